"""Property-based robustness: the example plans mutated at random (types swapped, keys
removed or misspelled, huge strings, odd Unicode, control characters) always end in a
valid plan or clean located errors, never an exception; every plan that validates
renders to a Word document (every part well-formed XML) and site pages."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import REPO
from plangen.build import DocxBuilder
from plangen.loading import load_plans
from plangen.settings import Project, Settings
from plangen.site_writer import SiteWriter

EXAMPLES = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "plans").rglob("*.yml"))]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False), TEXT,
    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=3),
    st.sampled_from(["2027-02-30", "2027-Q5", "多", "", "Q1", "2027-13", "1e309"]),
    st.text(st.sampled_from("\x00\x07\x0b\x1b\ufffe\u200b\u202e"), min_size=1, max_size=5),
    st.integers(10_000, 200_000).map(lambda n: "长" * n),
)  # fmt: skip


def paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at] if at else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*at, index))
    return found


def mutate(data: Any, draw: Any) -> Any:
    path = draw(st.sampled_from(paths(data)))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = draw(
        st.sampled_from(["replace", "delete", "misspell"] if isinstance(parent, dict) else ["replace", "delete"])
    )
    if action == "replace":
        parent[last] = draw(VALUES)
    elif action == "delete":
        del parent[last]
    else:
        key = str(last)
        cut = draw(st.integers(0, max(0, len(key) - 1)))
        parent[key[:cut] + key[cut + 1 :] + draw(st.sampled_from(["", "s", "_"]))] = parent.pop(last)
    return data


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_plans_validate_cleanly_and_valid_ones_render(data: Any) -> None:
    plan = yaml.safe_load(yaml.safe_dump(data.draw(st.sampled_from(EXAMPLES))))
    for _ in range(data.draw(st.integers(1, 4))):
        if paths(plan):
            plan = mutate(plan, data.draw)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "plans").mkdir()
        (root / "plans" / "fuzz.yml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
        project = Project(root, Settings())
        result = load_plans(project)
        assert all(p.line >= 1 and p.column >= 1 and p.message for p in result.problems)
        if result.plans:
            [loaded] = result.plans
            with zipfile.ZipFile(io.BytesIO(DocxBuilder(project).render(loaded.plan))) as package:
                for name in package.namelist():
                    if name.endswith((".xml", ".rels")):
                        etree.fromstring(package.read(name))  # raises unless well-formed
            SiteWriter(project, result.plans, dt.date(2027, 1, 1)).write(root / "site-src", {})
            assert (root / "site-src" / "plans" / f"{loaded.plan.id}.md").is_file()
