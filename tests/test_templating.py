"""Templates from a plan repository run sandboxed, and mistakes name the template and line."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from conftest import posix_only
from plangen import templating
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.templating import environment, render


def template(tmp_path: Path, text: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "t.j2").write_text(text, encoding="utf-8")
    return tmp_path


def test_project_templates_override_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "starter").mkdir()
    (tmp_path / "starter" / "en.yml.j2").write_text("custom {{ owner }}", encoding="utf-8")
    assert render(environment(tmp_path), "starter/en.yml.j2", owner="Li") == "custom Li"


def test_missing_value_is_an_error_with_template_and_line(tmp_path: Path) -> None:
    env = environment(template(tmp_path, "line one\n{{ nope }}\n"))
    with pytest.raises(PlangenError) as caught:
        render(env, "t.j2")
    assert caught.value.message == f"{tmp_path / 't.j2'}:2: template error: 'nope' is undefined"


def test_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    env = environment(template(tmp_path, "a\n{% if %}\n"))
    with pytest.raises(PlangenError, match=r"t.j2:2: template error: "):
        render(env, "t.j2")


def test_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    env = environment(template(tmp_path, "{{ ''.__class__.__mro__ }}"))
    with pytest.raises(PlangenError, match="template error"):
        render(env, "t.j2")


def test_yaml_filter_quotes_any_text(tmp_path: Path) -> None:
    env = environment(template(tmp_path, "name: {{ v | yaml }}"))
    assert render(env, "t.j2", v='a: "b"\n#c') == 'name: "a: \\"b\\"\\n#c"'


class Thing:
    mro = "fine"
    gi_frame = "fine"


@pytest.mark.parametrize(("name", "value"), [("mro", Thing), ("gi_frame", (n for n in [1]))])
def test_internals_stay_refused_after_the_same_names_were_read_safely(tmp_path: Path, name: str, value: object) -> None:
    env = environment(template(tmp_path, f"{{{{ v.{name} }}}}"))
    assert render(env, "t.j2", v=Thing()) == "fine"
    with pytest.raises(PlangenError, match="access to attribute"):
        render(env, "t.j2", v=value)


def test_compiled_templates_are_kept_and_an_edited_or_damaged_one_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "compiled"
    kept.mkdir(mode=0o700)
    monkeypatch.setattr(templating, "_compiled_templates", lambda: templating._CompiledTemplates(str(kept)))
    folder = template(tmp_path / "templates", "{{ a }} one")
    assert render(environment(folder), "t.j2", a=1) == "1 one"
    [compiled] = kept.iterdir()
    (folder / "t.j2").write_text("{{ a }} two", encoding="utf-8")
    assert render(environment(folder), "t.j2", a=1) == "1 two"
    compiled.write_bytes(compiled.read_bytes()[: len(jinja2.bccache.bc_magic) + 2])  # cut inside its header
    assert render(environment(folder), "t.j2", a=2) == "2 two"
    assert len(compiled.read_bytes()) > len(jinja2.bccache.bc_magic) + 2, "compiled and kept again"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a\n{{ 1 / 0 }}\n", 2, "division by zero"),
        ("a\nb\n{{ 'a' + 1 }}", 3, 'can only concatenate str (not "int") to str'),
        ("a\n{% for i in range(10**12) %}{{ i }}{% endfor %}", 2,
         "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
        ("a\n{{ v.y.z }}", 2, "'int object' has no attribute 'y'"),
        ("a\n\n{{ v() }}", 3, "'int' object is not callable"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}", 1, "maximum recursion depth exceeded"),
        ("a\n{{ 10 ** 100 ** 100 ** 100 }}", 2, "the power is too large a number for a template"),
        ("{% set n = namespace(v=3) %}{% for i in range(40) %}{% set n.v = n.v * n.v %}{% endfor %}", 1,
         "the product is too large a number for a template"),
        ("a\n{{ 7 ** 100000 }}", 2, "the power is too large a number for a template"),
        ("{% set n = 10 ** 12 %}\n{{ 'x' * n }}", 2, "repeating makes more than 100,000 items"),
        ("{{ [1, 2] * 10 ** 6 }}", 1, "repeating makes more than 100,000 items"),
    ],
    ids=["division", "text-plus-number", "range", "attribute-of-a-number", "call", "recursion", "power",
         "squaring", "large-power", "repeated-text", "repeated-list"],
)  # fmt: skip
def test_a_template_failing_as_it_runs_is_one_error_naming_its_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    env = environment(template(tmp_path, text))
    with pytest.raises(PlangenError) as caught:
        render(env, "t.j2", v=5)
    assert caught.value.message.startswith(f"{tmp_path / 't.j2'}:{line}: template error: {message}")


def test_an_error_in_an_included_template_names_that_file(tmp_path: Path) -> None:
    folder = template(tmp_path, 'one\n{% include "parts/x.j2" %}\n')
    (folder / "parts").mkdir()
    (folder / "parts" / "x.j2").write_text("a\nb\n{{ 1 // 0 }}\n", encoding="utf-8")
    with pytest.raises(PlangenError) as caught:
        render(environment(folder), "t.j2")
    assert caught.value.message == f"{folder / 'parts' / 'x.j2'}:3: template error: integer division or modulo by zero"


@posix_only
@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("{outside}", "it is a link to a file outside the project; put the file itself in the project"),
        ("/proc/self/environ", "it is a link to a file outside the project; put the file itself in the project"),
        ("{root}/.git/config", "it is a link to a hidden file or folder, such as .git; put the file itself here"),
        ("{root}/nothing", "it is a link to nothing; put the file itself here"),
        ("fifo", "it is a named pipe (FIFO), not an ordinary file; only ordinary files are read"),
    ],
)
def test_a_project_template_is_read_only_if_it_is_an_ordinary_file_of_the_project(
    tmp_path: Path, target: str, why: str
) -> None:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text("token = SECRET", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET", encoding="utf-8")
    planted = root / "templates" / "docx" / "plan.md.j2"
    planted.parent.mkdir(parents=True)
    if target == "fifo":
        os.mkfifo(planted)
    else:
        planted.symlink_to(target.format(outside=outside, root=root))
    env = environment(root / "templates")
    with pytest.raises(PlangenError) as caught:
        render(env, "docx/plan.md.j2")
    assert caught.value.message == f"{planted}: {why}"
    (root / "templates" / "docx" / "main.md.j2").write_text('{% include "docx/plan.md.j2" %}', encoding="utf-8")
    with pytest.raises(PlangenError) as caught:  # included, the same
        render(env, "docx/main.md.j2")
    assert caught.value.message == f"{planted}: {why}"


def test_powers_and_repeats_within_bounds_still_work(tmp_path: Path) -> None:
    text = "{{ 2 ** 10 }} {{ 1 ** 99999 }} {{ 2 ** -1 }} {{ '-' * 3 }} {{ 3 * 'ab' }} {{ 6 * 7 }} {{ [0] * 2 }}"
    assert render(environment(template(tmp_path, text)), "t.j2") == "1024 1 0.5 --- ababab 42 [0, 0]"


def test_a_template_linked_to_another_of_the_project_is_read(tmp_path: Path) -> None:
    (tmp_path / "templates" / "docx").mkdir(parents=True)
    (tmp_path / "shared.md.j2").write_text("shared {{ 1 + 1 }}", encoding="utf-8")
    (tmp_path / "templates" / "docx" / "plan.md.j2").symlink_to(tmp_path / "shared.md.j2")
    assert render(environment(tmp_path / "templates"), "docx/plan.md.j2") == "shared 2"


def test_template_errors_are_in_chinese_for_a_chinese_reader(tmp_path: Path) -> None:
    env = environment(template(tmp_path, "a\n{{ 7 ** 100000 }}\n"))
    with speaking("zh-CN"):
        with pytest.raises(PlangenError) as large:
            render(env, "t.j2")
        with pytest.raises(PlangenError) as missing:
            render(env, "nothing.j2")
    assert large.value.message == f"{tmp_path / 't.j2'}:2: 模板错误：乘方的结果太大，模板中的数最多约 30,000 位"
    assert missing.value.message == "找不到模板：nothing.j2"
