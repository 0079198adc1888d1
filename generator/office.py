"""LibreOffice, run headless, for what only an office suite can do: PDF export."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import PlangenError
from .outputs import write_atomic


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(documents: list[Path], target: str, output_dir: Path) -> list[Path]:
    """Convert *documents* (e.g. to ``pdf``) into *output_dir*; each result is written atomically."""
    program = soffice()
    if program is None:
        raise PlangenError(
            "PDF export needs LibreOffice, which is not installed (Debian/Ubuntu: apt-get install "
            "libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="plangen-office-") as work:
        profile = Path(work) / "profile"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            work,
            *map(str, documents),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120 + 30 * len(documents))
        except subprocess.TimeoutExpired:
            raise PlangenError("LibreOffice did not finish converting in time") from None
        written = []
        for document in documents:
            result = Path(work) / f"{document.stem}.{target}"
            if done.returncode != 0 or not result.exists():
                raise PlangenError(
                    f"LibreOffice could not convert {document}: {done.stderr.strip() or done.stdout.strip()}"
                )
            destination = output_dir / result.name
            write_atomic(destination, result.read_bytes())
            written.append(destination)
        return written
