"""The first pages of every example plan look as approved: LibreOffice lays each Word
document out (plangen's own PDF export), pdftoppm draws its first pages in grey at low
resolution, and each page is compared with its image in tests/approved/pages/, so that
any change of layout is a conscious one (``python tools/approve_pages.py`` approves it).

In CI these programs must be there (.ci/run installs them); elsewhere the tests skip.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from PIL import Image, ImageChops, ImageFilter

from conftest import REPO, require


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("approve_pages", REPO / "tools" / "approve_pages.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


tool = _tool()
Rendering = tool.Rendering
APPROVE = "python tools/approve_pages.py"

# A pixel has changed when, both pages blurred by BLUR pixels (so a glyph's edge drawn a
# shade differently does not count), its grey differs by more than THRESHOLD of 255; a
# page has changed when more than TOLERANCE of its pixels have. Reruns differ in no pixel;
# the smallest change below (two level-one headings of six Chinese characters in another
# font) in 0.27% of the page, one line of the contents moved down in 0.57%.
BLUR = 1
THRESHOLD = 16
TOLERANCE = 0.0005


def changed_pixels(approved: Image.Image, drawn: Image.Image) -> Image.Image:
    """A mask of the pixels that differ between two pages of the same size."""
    blur = ImageFilter.GaussianBlur(BLUR)
    difference = ImageChops.difference(approved.filter(blur), drawn.filter(blur))
    return difference.point(lambda grey: 255 if grey > THRESHOLD else 0)


def marked(approved: Image.Image, changed: Image.Image) -> Image.Image:
    """The approved page faded, with the changed pixels in red."""
    faded = approved.point(lambda grey: 160 + grey * 95 // 255).convert("RGB")
    return Image.composite(Image.new("RGB", approved.size, (255, 0, 0)), faded, changed)


def approved(plan_id: str) -> Rendering:
    """The example's pages as approved."""
    counts = json.loads(tool.COUNTS.read_text(encoding="utf-8"))
    images = []
    for page in range(1, min(counts[plan_id], tool.PAGES) + 1):
        with Image.open(tool.APPROVED / tool.approved_name(plan_id, page)) as image:
            images.append(image.convert("L"))
    return Rendering(counts[plan_id], images)


def differences(name: str, expected: Rendering, drawn: Rendering, out: Path) -> list[str]:
    """How the pages drawn of document *name* differ from those *expected*; each page that
    differs is written into *out* with a picture of where."""
    found = []
    if drawn.pages != expected.pages:
        found.append(f"{name}: {drawn.pages} pages, approved {expected.pages}")
    for page, (before, after) in enumerate(zip(expected.images, drawn.images, strict=False), start=1):
        new = out / tool.approved_name(name, page)
        if before.size != after.size:
            new.write_bytes(tool.png(after))
            found.append(f"{name} page {page}: {after.size} pixels, approved {before.size}; new page: {new}")
            continue
        changed = changed_pixels(before, after)
        share = changed.histogram()[255] / (changed.width * changed.height)
        if share > TOLERANCE:
            new.write_bytes(tool.png(after))
            difference = new.with_suffix(".difference.png")
            marked(before, changed).save(difference)
            found.append(
                f"{name} page {page}: {share:.2%} of the pixels changed (tolerance {TOLERANCE:.2%}); "
                f"new page: {new}, changes in red: {difference}"
            )
    return found


def heading_font(document: Document) -> None:
    """Level-one headings in a serif font, one of the CJK fonts .ci/run installs."""
    fonts = document.styles["Heading 1"].element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), "Noto Serif CJK SC")


def moved_line(document: Document) -> None:
    """The body down by a line after the title block: lines move on the first page."""
    first = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1")
    first.insert_paragraph_before()


def extra_page(document: Document) -> None:
    """A page more at the end, beyond the pages drawn."""
    document.add_page_break()
    document.add_paragraph("—")


CHANGES: dict[str, tuple[str, Callable[[Document], None], str]] = {
    "heading-font-zh": ("qingyunxi-customer-managers", heading_font, "pixels changed"),
    "heading-font-en": ("harbor-sarah-jones", heading_font, "pixels changed"),
    "moved-line": ("harbor-sarah-jones", moved_line, "pixels changed"),
    "extra-page": ("qingyunxi-customer-managers", extra_page, "pages, approved"),
}
"""Changes of layout the test must catch: the example changed, and what is said about it."""


@pytest.fixture(scope="module")
def rendered(example_docx: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendering]:
    """The examples' first pages, and those of the examples with each change, all laid out
    in one LibreOffice run: document name → rendering."""
    require("soffice")
    require("pdftoppm")
    folder = tmp_path_factory.mktemp("pages")
    changed = []
    for change, (plan_id, make, _) in CHANGES.items():
        document = docx.Document(str(example_docx[plan_id]))
        make(document)
        changed.append(folder / f"{plan_id}+{change}.docx")
        document.save(str(changed[-1]))
    return tool.render([*example_docx.values(), *changed], folder)


def test_the_first_pages_of_every_example_look_as_approved(
    rendered: dict[str, Rendering],
    example_docx: dict[str, Path],
    tmp_path: Path,
) -> None:
    counts = json.loads(tool.COUNTS.read_text(encoding="utf-8"))
    assert sorted(counts) == sorted(example_docx), f"the approved pages are of other plans: run {APPROVE}"
    found = [
        line
        for plan_id in sorted(example_docx)
        for line in differences(plan_id, approved(plan_id), rendered[plan_id], tmp_path)
    ]
    assert not found, "\n".join(
        [*found, f"If the change is meant: run {APPROVE}, look at the pages and commit tests/approved/pages/."]
    )


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_of_layout_is_caught(rendered: dict[str, Rendering], change: str, tmp_path: Path) -> None:
    """Each change is compared with the example as laid out in the same run (which the test
    above holds to the approved pages), so it tests the comparison, whatever is approved."""
    plan_id, _, said = CHANGES[change]
    found = differences(plan_id, rendered[plan_id], rendered[f"{plan_id}+{change}"], tmp_path)
    assert any(said in line for line in found), found
    # A page that changed is there to look at, with its changes marked; the others are not.
    assert any(tmp_path.glob("*.difference.png")) == (said == "pixels changed")
