"""site.redact: a site that may be public holds no withheld value in any file (pages, their Markdown,
the search index, the downloads), says what it left out in the plan's language, keeps every figure,
and leaves the managers' own documents as they are."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, load, require
from plangen.build import build
from plangen.cli import main
from plangen.model import Plan
from plangen.redaction import REDACTABLE, Redactable, redact
from plangen.settings import open_project

PLANS = FIXTURES / "redaction"
CHINESE_PLAN = [
    "翠湖湾壹号", "Zorblatt Holdings", "Acme & Sons (Asia)", "滨江花苑会所",  # key accounts and places
    "钱多多", "qian.duoduo@cuihuwan.example", "13912345678",  # a key account's notes
    "诸葛明亮", "欧阳克",  # who looks after an account, a goal, an activity
    "liu.ruyan@bank-example.cn", "87654321", "138-0013-8000", "contact@zorblatt.example",  # contacts
    "Zorblatt",  # a single word, as the search index keeps words
]  # fmt: skip
ENGLISH_PLAN = ["Quillfeather Bakery", "Dana Whitlock", "sam.carter@bank-example.com", "7946 0958", "Quillfeather"]
WITHHELD = CHINESE_PLAN + ENGLISH_PLAN
"""What tests/fixtures/redaction's plans hold and a redacted site must not, each found anywhere
it is written however it is spaced or cased (the owner's phone as 87654321, in every spelling)."""


def _normal(text: str) -> str:
    """*text* as it reads: JSON's \\u escapes, HTML entities and Markdown's backslashes undone,
    without white space (Pagefind splits Chinese into words with zero-width spaces) and case."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda found: chr(int(found[1], 16)), text)
    text = re.sub(r"\\(?=[^\w\s])", "", html.unescape(text))
    return re.sub(r"[\s\u200b]+", "", text).casefold()


def _texts(data: bytes) -> Iterator[str]:
    """The text of a file, opened however it is packed: gzip (Pagefind's index and fragments, the
    sitemap), zip (a Word file's parts), PDF; each also without its markup, which may split a
    value over Word's runs."""
    if data[:2] == b"\x1f\x8b":
        yield from _texts(gzip.decompress(data))
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for name in package.namelist():
                yield from _texts(package.read(name))
    elif data[:5] == b"%PDF-":
        pdftotext = require("pdftotext")
        yield subprocess.run([pdftotext, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    else:
        text = data.decode("utf-8", errors="ignore")
        yield from (text, re.sub(r"<[^>]*>", "", text))


def found(root: Path, folders: list[str], values: list[str]) -> dict[str, set[str]]:
    """Each of *values* with the files under *folders* of *root* that hold it."""
    where: dict[str, set[str]] = {value: set() for value in values}
    for folder in folders:
        for path in sorted(p for p in (root / folder).rglob("*") if p.is_file()):
            texts = [_normal(text) for text in _texts(path.read_bytes())]
            for value in values:
                if any(_normal(value) in text for text in texts):
                    where[value].add(path.relative_to(root).as_posix())
    return where


SITE = ["site", "out/site-src"]
"""What a site is made of: the built site, and the Markdown it is built from."""


def _project(root: Path, settings: str) -> Path:
    (root / "plans").mkdir(parents=True)
    for plan in PLANS.glob("*.yml"):
        shutil.copy(plan, root / "plans")
    (root / "plangen.yml").write_text(settings, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """The fixture plans built (documents and site) into two projects alike but for site.redact."""
    roots = {}
    for redacted in (True, False):
        root = _project(tmp_path_factory.mktemp("redacted" if redacted else "full"), f"site: {{redact: {redacted}}}\n")
        result = build(open_project(root), site=True, today=dt.date(2027, 1, 2))
        assert result.site == root / "site" and not result.load.problems
        roots[redacted] = root
    return roots


def test_a_redacted_site_holds_no_withheld_value_in_any_file(built: dict[bool, Path]) -> None:
    root = built[True]
    assert {p.name for p in (root / "site" / "downloads").iterdir()} == {"redaction-zh.docx", "redaction-en.docx"}
    assert {value: files for value, files in found(root, SITE, WITHHELD).items() if files} == {}


def test_turning_redaction_on_leaves_nothing_of_the_full_site(tmp_path: Path) -> None:
    """Pages, downloads and the index of the full site built before are all replaced."""
    root = _project(tmp_path, "")
    build(open_project(root), site=True)
    assert found(root, SITE, ["Zorblatt Holdings"])["Zorblatt Holdings"]
    (root / "plangen.yml").write_text("site: {redact: true}\n", encoding="utf-8")
    build(open_project(root), site=True)
    assert {value: files for value, files in found(root, SITE, WITHHELD).items() if files} == {}


def test_the_same_site_without_redaction_holds_them_all(built: dict[bool, Path]) -> None:
    """So the test above can fail: the search finds the values in every kind of file it must look in."""
    where = found(built[False], SITE, WITHHELD)
    assert [value for value, files in where.items() if not files] == []
    kinds = {"/".join(file.split("/")[:2]) for file in where["翠湖湾壹号"]}
    assert {"site/plans", "site/pagefind", "site/downloads", "site/tags.json", "out/site-src"} <= kinds
    assert any(file.startswith("site/pagefind/index/") for file in where["Zorblatt"])
    assert "site/downloads/redaction-zh.docx" in where["liu.ruyan@bank-example.cn"]


def test_the_managers_documents_keep_everything(built: dict[bool, Path]) -> None:
    """out/docx is the manager's: redaction changes none of its bytes."""
    documents = [sorted((root / "out" / "docx").iterdir()) for root in (built[True], built[False])]
    assert [[p.name, p.read_bytes()] for p in documents[0]] == [[p.name, p.read_bytes()] for p in documents[1]]
    where = found(built[True], ["out/docx"], WITHHELD)
    assert [value for value, files in where.items() if not files] == []


def test_what_is_left_out_says_so_in_the_plans_language(built: dict[bool, Path]) -> None:
    pages = built[True] / "out" / "site-src" / "plans"
    chinese = (pages / "redaction-zh.md").read_text(encoding="utf-8")
    assert "### 重点客户\n\n重点客户共3户，名称及明细已隐去。\n" in chinese
    assert "| （已隐去）业主答谢会 | 2027年5月20日 | （已隐去） | 提升高端客户留存 | （已隐去） |" in chinese
    english = (pages / "redaction-en.md").read_text(encoding="utf-8")
    assert "Key accounts: 1 \\(names and details withheld\\)\\." in english
    assert "| Breakfast with \\(withheld\\) | 10 February 2027 | \\(withheld\\) |" in english
    download = "".join(_texts((built[True] / "site" / "downloads" / "redaction-zh.docx").read_bytes()))
    assert "联系电话：（已隐去）" in download and "电子邮箱：（已隐去）" in download
    assert "重点客户共3户，名称及明细已隐去。" in download


def test_redaction_keeps_every_figure_and_changes_only_what_it_says(built: dict[bool, Path]) -> None:
    """Every line of every page that differs from the site without redaction says what it withheld,
    so no figure changed; the roll-ups of periods, units and organisations are the same."""
    sources = {redacted: root / "out" / "site-src" for redacted, root in built.items()}
    pages = [page.relative_to(sources[True]) for page in sorted(sources[True].rglob("*.md"))]
    assert len(pages) >= 12
    for page in pages:
        full = (sources[False] / page).read_text(encoding="utf-8").splitlines()
        shown = (sources[True] / page).read_text(encoding="utf-8").splitlines()
        changed = [line for line in shown if line not in full]
        assert all(re.search(r"已隐去|withheld", line) for line in changed), (page, changed)
        if page.parent.name in ("units", "orgs", "periods"):
            assert shown == full, page
    plan = (sources[True] / "plans" / "redaction-zh.md").read_text(encoding="utf-8")
    assert "客户总数19,630户，增长4.5%，2027-03-31前完成第一阶段，编号20271231的文件" in plan
    assert "| **合计** | **19,630** | **100.0%** |" in plan


def test_what_redaction_cannot_know_or_does_not_withhold_stays(built: dict[bool, Path]) -> None:
    """As the README says: the owner, unit and organisation, trainers, and a person the plan names
    only in its running text (陆小凤, a key account's contact) are published."""
    where = found(built[True], ["site"], ["柳如烟", "西湖支行公司部", "分行培训中心", "陆小凤"])
    assert all(files for files in where.values()), where


def _plan(**fields: Any) -> Plan:
    return Plan.model_validate({"title": "计划", "period": 2027, "owner": {"name": "柳如烟"}, **fields})


@pytest.mark.parametrize("kind", REDACTABLE)
def test_each_kind_withholds_its_own_fields_and_no_other(project: Path, kind: Redactable) -> None:
    """On a plan with every field, each holding a value found nowhere else."""
    shutil.copy(FIXTURES / "docx" / "every-field.yml", project / "plans")
    [loaded] = load(project).plans

    def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
        if isinstance(value, dict | list):
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                yield from leaves(item, f"{path}.{key}" if path else str(key))
        else:
            yield path, value

    before = dict(leaves(loaded.plan.model_dump(mode="json", exclude_none=True)))
    after = dict(leaves(redact(loaded.plan, [kind], "WITHHELD").model_dump(mode="json", exclude_none=True)))
    changed = {path: after.get(path) for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    account = "clients.key_accounts.0"
    expected = {
        "clients": {f"{account}.name": "WITHHELD", "activities.0.where.0": "WITHHELD"}
        | {f"{account}.{field}": None for field in ("kind", "tier", "owner", "service", "notes")},
        "contacts": {"owner.email": "WITHHELD", "owner.phone": "WITHHELD"}
        | {"members.0.email": "WITHHELD", "members.0.phone": "WITHHELD"},
        "people": {f"{account}.owner": "WITHHELD", "goals.0.owner": "WITHHELD", "activities.0.owner": "WITHHELD"}
        | {"members.0.name": "WITHHELD"},
    }
    assert changed == expected[kind]


@pytest.mark.parametrize(
    ("fields", "text", "shown"),
    [
        ({"clients": {"key_accounts": [{"name": "Acme Trading"}]}}, "ACME  trading, Acme Tradingville", "X, Acme Tradingville"),
        ({"clients": {"key_accounts": [{"name": "翠湖湾壹号"}]}}, "走访翠湖湾\n壹号业主", "走访X业主"),
        ({"clients": {"key_accounts": [{"name": "A"}]}}, "A plan", "A plan"),  # one character is no name to look for
        ({"activities": [{"title": "t", "where": ["滨江会所"]}]}, "滨江会所活动", "X活动"),
        ({"goals": [{"id": "g", "title": "t", "metric": "m", "target": 1, "owner": "欧阳克"}]}, "欧阳克负责", "X负责"),
        ({"goals": [{"id": "g", "title": "t", "metric": "m", "target": 1, "owner": "柳如烟"}]}, "柳如烟负责", "柳如烟负责"),
        ({"owner": {"name": "柳如烟", "phone": "0571-87654321"}}, "电话0571 8765 4321。", "电话X。"),
        ({}, "致电13912345678或139-1234-5678", "致电X或X"),
        ({}, "Call +44 20 7946 0958 or (010) 1234 5678, write to a.b@c.example.", "Call X or X, write to X."),
        ({}, "19,630户，4.5%，2027-03-31至2027-12-31，1200000元，20271231号", "19,630户，4.5%，2027-03-31至2027-12-31，1200000元，20271231号"),
        ({"owner": {"name": "宋青书", "phone": "13805719876", "email": "sqs@zj-bank.example"}},
         "手机１３８０５７１９８７６，座机0571－88776655，8613805719876，邮箱ｓｑｓ＠ｚｊ-bank.example。",
         "手机X，座机X，X，邮箱X。"),
        ({"clients": {"key_accounts": [{"name": "翠微湖畔壹号院"}]}}, "走访翠微湖畔壹号**院**业主", "走访X**业主"),  # nothing leaks; the closing ** stays
    ],
    ids=["latin-words-any-case", "chinese-over-a-line-break", "one-character", "place", "colleague", "the-owner",
         "owners-phone-spaced", "mobile", "phones-and-e-mail", "figures-and-dates", "typed-full-width",
         "emphasis-inside-a-name"],
)  # fmt: skip
def test_a_withheld_value_is_replaced_however_the_text_writes_it(fields: dict[str, Any], text: str, shown: str) -> None:
    redacted = redact(_plan(summary=text, **fields), REDACTABLE, "X")
    assert redacted.summary == shown


def test_a_project_redacted_after_a_pdf_build_offers_only_pdfs_made_with_it(tmp_path: Path) -> None:
    """The site's PDFs are the redacted documents' own, made in the run that builds the site; a
    site built without making PDFs (plangen site) offers the Word files alone, as a PDF left from
    another run may have been made with other settings."""
    require("soffice")
    root = _project(tmp_path, "docx: {pdf: true}\nsite: {redact: true}\n")
    (root / "plans" / "en.yml").unlink()
    build(open_project(root), site=True, today=dt.date(2027, 1, 2))
    assert sorted(p.name for p in (root / "site" / "downloads").iterdir()) == ["redaction-zh.docx", "redaction-zh.pdf"]
    assert {value: files for value, files in found(root, ["site"], CHINESE_PLAN).items() if files} == {}
    pdf = "".join(_texts((root / "site" / "downloads" / "redaction-zh.pdf").read_bytes()))
    assert "重点客户共3户，名称及明细已隐去。" in "".join(pdf.split())
    assert [value for value, files in found(root, ["out/pdf"], CHINESE_PLAN).items() if not files] == []
    assert CliRunner().invoke(main, ["-C", str(root), "site"]).exit_code == 0
    assert sorted(p.name for p in (root / "site" / "downloads").iterdir()) == ["redaction-zh.docx"]
