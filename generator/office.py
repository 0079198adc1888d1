"""LibreOffice, run headless, for what only an office suite can do: laying pages out.

It exports PDFs, and tells on which page each heading landed, so that the
contents list of a document can show page numbers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .docx_writer import heading_bookmark
from .errors import PlangenError
from .i18n import _
from .outputs import write_atomic

# Word bookmarks become named destinations in the PDF, so headings' pages can be read off it.
_FILTERS = {"pdf": 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'}


def soffice(*, from_settings: bool = False) -> str:
    """The LibreOffice program; an error saying how to install it when it is not (and, when
    PDFs are wanted *from_settings* rather than asked for, where they are turned on)."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        message = (
            _(
                "PDF export needs LibreOffice, which is not installed (Debian/Ubuntu: {command}); "
                "PDFs are on in plangen.yml (docx.pdf), and --no-pdf builds without them"
            )
            if from_settings
            else _("PDF export needs LibreOffice, which is not installed (Debian/Ubuntu: {command})")
        )
        raise PlangenError(message.format(command="apt-get install libreoffice-writer-nogui"))
    return program


def convert(documents: list[Path], target: str, output_dir: Path, jobs: int = 1) -> list[Path]:
    """Convert *documents* (e.g. to ``pdf``) into *output_dir*, on up to *jobs* LibreOffice
    processes at once (each with its own profile); each result is written atomically."""
    program = soffice()
    if not documents:
        return []
    jobs = max(1, min(jobs, len(documents)))
    batches = [documents[start::jobs] for start in range(jobs)]
    with ThreadPoolExecutor(jobs) as pool:
        done = pool.map(lambda batch: _convert(program, batch, target, output_dir), batches)
        found = {path.stem: path for paths in done for path in paths}
    return [found[document.stem] for document in documents]


def _convert(program: str, documents: list[Path], target: str, output_dir: Path) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="plangen-office-") as work:
        profile = Path(work) / "profile"
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
            done = subprocess.run(command, capture_output=True, text=True, timeout=120 + 30 * len(documents))
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
