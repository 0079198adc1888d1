"""LibreOffice, run headless, for what only an office suite can do: laying pages out.

It exports PDFs, and tells on which page each heading landed, so that the
contents list of a document can show page numbers.

The documents name the fonts Chinese offices have (仿宋_GB2312, 黑体 …), which
a Linux machine or a CI runner does not. LibreOffice there asks fontconfig for a
font in their place, and fontconfig knows nothing of what each was for: it set
every style in one sans-serif face. So each conversion gets a fontconfig
configuration of its own that names the stand-in for each font (the settings'
``docx.fonts``) and adds the project's font folders.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from .docx_writer import heading_bookmark
from .errors import PlangenError
from .i18n import _
from .outputs import write_atomic
from .settings import BOLD, DEFAULT_FONTS, Project, setting_error

# Word bookmarks become named destinations in the PDF, so headings' pages can be read off it.
_FILTERS = {"pdf": 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'}


def soffice(*, from_settings: bool = False) -> str:
    """The LibreOffice program; an error saying how to install it, or pypdf (which reads the
    pages headings landed on), when it is not (and, when PDFs are wanted *from_settings*
    rather than asked for, where they are turned on)."""
    try:
        import pypdf  # noqa: F401
    except ImportError:
        raise PlangenError(_('PDF export needs pypdf, which is not installed: pip install "plangen[pdf]"')) from None
    program = find_soffice()
    if program is None:
        message = (
            _(
                "PDF export needs LibreOffice, which is not installed ({system}: {command}); "
                "PDFs are on in plangen.yml (docx.pdf), and --no-pdf builds without them"
            )
            if from_settings
            else _("PDF export needs LibreOffice, which is not installed ({system}: {command})")
        )
        system, command = _INSTALL_LIBREOFFICE.get(sys.platform, _INSTALL_LIBREOFFICE["linux"])
        raise PlangenError(message.format(system=system, command=command))
    return program


_INSTALL_LIBREOFFICE = {
    "linux": ("Debian/Ubuntu", "apt-get install libreoffice-writer-nogui"),
    "win32": ("Windows", "winget install TheDocumentFoundation.LibreOffice"),
    "darwin": ("macOS", "brew install --cask libreoffice"),
}


def find_soffice() -> str | None:
    """The LibreOffice program on PATH, else where its Windows and macOS installers put it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    places = [
        Path(os.environ.get(folder, "")) / "LibreOffice" / "program" / "soffice.exe"
        for folder in ("ProgramFiles", "ProgramFiles(x86)")
        if os.environ.get(folder)
    ]
    places.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(place) for place in places if place.is_file()), None)


def libreoffice_version(program: str) -> str:
    """What *program* says of its version ("LibreOffice 7.4.7.2 40(Build:2)"), or "?"."""
    try:
        said = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return said.splitlines()[0] if said else "?"


SYSTEM_FONTS_CONFIG = "/etc/fonts/fonts.conf"
"""fontconfig's own configuration, which plangen's includes (unless FONTCONFIG_FILE names another)."""
TEX_FONTS = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
"""Where Debian, Ubuntu and Fedora put TeX Live's Fandol fonts (FandolFang, the open FangSong that
covers GB 2312), which TeX Live does not make known to fontconfig."""
FONT_PACKAGES = {
    "FandolFang": "texlive-lang-chinese",
    "AR PL UKai CN": "fonts-arphic-ukai",
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Liberation Serif": "fonts-liberation",
    "Liberation Mono": "fonts-liberation",
    "Caladea": "fonts-crosextra-caladea",
    "Carlito": "fonts-crosextra-carlito",
}
"""The Debian and Ubuntu package of each family of the default fonts (DEFAULT_FONTS)."""


@dataclass(frozen=True)
class Fonts:
    """The fontconfig configuration LibreOffice lays documents out with, and what to tell about it."""

    config: str
    """The text of a fonts.conf: the system's configuration, the project's font folders, a stand-in per font."""
    covered: tuple[tuple[int, int], ...]
    """The characters some installed font has, as ranges of code points (first, last), in order."""
    warnings: tuple[str, ...] = ()

    def lacking(self, text: str) -> list[str]:
        """The characters of *text* that no installed font has, which a PDF cannot show."""
        starts = [first for first, _last in self.covered]

        def covered(code: int) -> bool:
            place = bisect.bisect_right(starts, code) - 1
            return place >= 0 and code <= self.covered[place][1]

        return sorted(char for char in set(text) if not char.isspace() and not covered(ord(char)))

    @property
    def digest(self) -> str:
        """What the layout of a document depends on here: which fonts stand in, and which are missing."""
        return "\n".join([self.config, *self.warnings])


def pdf_fonts(project: Project) -> Fonts | None:
    """The fonts PDFs of *project* are set in, checked before anything is written: a family the
    settings name that is not installed is an error at its place in plangen.yml (an official
    document must not go out in another font unnoticed); a family of plangen's defaults that is
    not installed is a warning naming the package that has it (the PDF is made, as before they
    were chosen). None where LibreOffice takes fonts from Windows or macOS, not from fontconfig.

    A font the documents name that is installed is used as it is: LibreOffice looks for a stand-in
    only for a font it does not have."""
    if sys.platform in ("win32", "darwin"):
        return None
    folders = [TEX_FONTS, *map(str, project.font_dirs)]
    installed, covered = _installed(_config(folders, {}))
    chosen = {name: families for name, families in project.settings.docx.fonts.items() if _key(name) not in installed}
    missing = {
        name: [family for family in families if _key(family) not in installed] for name, families in chosen.items()
    }
    errors = [
        (("docx", "fonts", name), _missing_message(name, absent))
        for name, absent in missing.items()
        if absent and DEFAULT_FONTS.get(name) != chosen[name]
    ]
    if errors:
        raise setting_error(project.root, errors)
    absent: dict[str, list[str]] = {}  # family → the fonts it stands in for
    for name, families in missing.items():
        for family in families:
            absent.setdefault(family, []).append(name)
    warnings: tuple[str, ...] = ()
    if absent:
        message = _(
            "PDFs: plangen's open fonts {fonts} are not installed, so LibreOffice sets that text in others "
            "(Debian/Ubuntu: {command}; or name installed fonts in plangen.yml, docx.fonts)"
        )
        fonts = ", ".join(_("{family} (for {font})").format(family=f, font="/".join(n)) for f, n in absent.items())
        command = "apt-get install " + " ".join(sorted({FONT_PACKAGES[family] for family in absent}))
        warnings = (message.format(fonts=fonts, command=command),)
    return Fonts(_config(folders, chosen), covered, warnings)


def _missing_message(name: str, absent: list[str]) -> str:
    return _(
        "{families}, to set {font} in PDFs, is not installed; install it, put its files in a folder of "
        "docx.font_dirs, or build without PDFs (--no-pdf)"
    ).format(families=", ".join(absent), font=name)


def _key(family: str) -> str:
    """A family as fontconfig compares them: without case, blanks or a ``:bold``."""
    return "".join(family.removesuffix(BOLD).split()).casefold()


def _config(folders: list[str], fonts: dict[str, list[str]]) -> str:
    """A fonts.conf: the system's, then *folders* of fonts, then each font of *fonts* set in its
    families (bold for those written with ``:bold``)."""
    root = ElementTree.Element("fontconfig")
    system = os.environ.get("FONTCONFIG_FILE", SYSTEM_FONTS_CONFIG)
    ElementTree.SubElement(root, "include", ignore_missing="yes").text = system
    for folder in folders:
        ElementTree.SubElement(root, "dir").text = folder
    for name, families in fonts.items():
        match = ElementTree.SubElement(root, "match", target="pattern")
        test = ElementTree.SubElement(match, "test", name="family")
        ElementTree.SubElement(test, "string").text = name
        edit = ElementTree.SubElement(match, "edit", name="family", mode="assign", binding="strong")
        for family in families:
            ElementTree.SubElement(edit, "string").text = family.removesuffix(BOLD)
        if any(family.endswith(BOLD) for family in families):
            bold = ElementTree.SubElement(match, "edit", name="weight", mode="assign")
            ElementTree.SubElement(bold, "const").text = "bold"
    return '<?xml version="1.0"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _installed(config: str) -> tuple[set[str], tuple[tuple[int, int], ...]]:
    """The font families installed as fontconfig sees them with *config*, each as :func:`_key`
    gives it, and the characters they have, as ranges of code points."""
    program = shutil.which("fc-list")
    if program is None:
        raise PlangenError(
            _("PDF export needs fontconfig's fc-list, which is not installed (Debian/Ubuntu: {command})").format(
                command="apt-get install fontconfig"
            )
        )
    with tempfile.TemporaryDirectory(prefix="plangen-fonts-") as work:
        path = Path(work) / "fonts.conf"
        path.write_text(config, encoding="utf-8")
        listed = subprocess.run(
            [program, "--format", "%{family}\t%{charset}\n"],
            capture_output=True,
            text=True,
            env={**os.environ, "FONTCONFIG_FILE": str(path)},
            check=False,
        ).stdout
    families: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for line in listed.splitlines():
        names, _tab, charset = line.partition("\t")
        families |= {_key(name) for name in names.split(",")}
        for span in charset.split():  # hexadecimal code points, such as 20-7e or 3000
            start, _dash, end = span.partition("-")
            ranges.append((int(start, 16), int(end or start, 16)))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return families, tuple(merged)


def convert(
    documents: list[Path], target: str, output_dir: Path, jobs: int = 1, fonts: Fonts | None = None
) -> list[Path]:
    """Convert *documents* (e.g. to ``pdf``) into *output_dir*, on up to *jobs* LibreOffice
    processes at once (each with its own profile), with *fonts* (:func:`pdf_fonts`) where given;
    each result is written atomically."""
    program = soffice()
    if not documents:
        return []
    jobs = max(1, min(jobs, len(documents)))
    batches = [documents[start::jobs] for start in range(jobs)]
    with ThreadPoolExecutor(jobs) as pool:
        done = pool.map(lambda batch: _convert(program, batch, target, output_dir, fonts), batches)
        found = {path.stem: path for paths in done for path in paths}
    return [found[document.stem] for document in documents]


def _convert(program: str, documents: list[Path], target: str, output_dir: Path, fonts: Fonts | None) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="plangen-office-") as work:
        profile = Path(work) / "profile"
        environment = dict(os.environ)
        if fonts is not None:
            environment["FONTCONFIG_FILE"] = str(Path(work) / "fonts.conf")
            Path(environment["FONTCONFIG_FILE"]).write_text(fonts.config, encoding="utf-8")
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            _FILTERS.get(target, target),
            "--outdir",
            work,
            *map(str, documents),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=120 + 30 * len(documents), env=environment
            )
        except subprocess.TimeoutExpired:
            raise PlangenError(_("LibreOffice did not finish converting in time")) from None
        written = []
        for document in documents:
            result = Path(work) / f"{document.stem}.{target}"
            if done.returncode != 0 or not result.exists():
                said = done.stderr.strip() or done.stdout.strip()
                raise PlangenError(
                    _("LibreOffice could not convert {file}: {output}").format(file=document, output=said)
                )
            destination = output_dir / result.name
            write_atomic(destination, result.read_bytes(), area=output_dir)
            written.append(destination)
        return written


def heading_pages(pdf: Path) -> dict[str, int]:
    """The page number of each heading in a PDF exported from a plangen document, by the
    heading's bookmark (:func:`heading_bookmark`)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = {}
    for name, destination in reader.named_destinations.items():
        # LibreOffice escapes the bookmark's underscore in the destination's name.
        found = re.search(r"Toc(\d{8})$", name)
        page = reader.get_destination_page_number(destination)
        if found and page is not None:
            pages[heading_bookmark(int(found[1]))] = page + 1
    return pages
