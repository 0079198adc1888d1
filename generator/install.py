"""How a plan repository installs plangen: the pip requirement its pipelines and pre-commit
hook install plangen from, the wheel of the running plangen for runners that reach only PyPI
(where plangen is not published), and the exact versions of plangen's dependencies, so that
the repository's CI builds the same documents and site tomorrow as today.

The wheel is built from the package as it is imported, not from a source tree: the running
plangen may be installed from a wheel, which has none. Its bytes depend only on the files
(fixed times and modes, sorted entries), so running ``plangen init`` again writes the same file.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import platform
import zipfile
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .errors import PlangenError
from .i18n import _

NAME = "plangen"
PACKAGES = {"plangen": "plangen/", "plangen.templates": "plangen/templates/"}
"""The packages of the distribution, each with where its files go in a wheel (pyproject.toml's
package-dir maps them from generator/ and templates/ in a checkout)."""
TAG = "py3-none-any"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip file can record, for every entry: a wheel's bytes must not depend on when it was made."""
VENDOR = "vendor"
EXTRA = "pdf"
"""The extra a plan repository installs plangen with: turning PDFs on in plangen.yml then needs no
other change."""


def _distribution() -> Distribution:
    try:
        return distribution(NAME)
    except PackageNotFoundError:
        raise PlangenError(
            _("plangen is not installed (pip install), so it cannot name its own version and dependencies")
        ) from None


def _package_files() -> dict[str, Path]:
    """Every file of plangen's packages as imported, by its name in a wheel; compiled
    bytecode and hidden files (an editor's, a file manager's) left out."""
    found: dict[str, Path] = {}
    for package, prefix in PACKAGES.items():
        folder = Path(str(files(package)))
        for path in folder.rglob("*"):
            parts = path.relative_to(folder).parts
            hidden = any(part == "__pycache__" or part.startswith(".") for part in parts)
            if path.is_file() and not hidden and path.suffix != ".pyc":
                found[prefix + "/".join(parts)] = path  # installed, plangen/ holds templates/: the same names
    return dict(sorted(found.items()))  # in one order however the packages are laid out


def _record_line(name: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return [name, f"sha256={digest}", str(len(data))]


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.create_system = 3  # Unix, wherever it is made, so the mode below is read as one
    entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def wheel() -> bytes:
    """A wheel of the running plangen (PEP 427), named :func:`wheel_name`: its packages'
    files, then a dist-info with its metadata, entry points and a RECORD of every file's
    SHA-256 hash and size."""
    dist = _distribution()
    metadata = dist.read_text("METADATA") or dist.read_text("PKG-INFO")  # PKG-INFO: a checkout's .egg-info
    if metadata is None:
        raise PlangenError(_("plangen's installed metadata cannot be read; install plangen again with pip"))
    info = wheel_name().removesuffix(f"-{TAG}.whl") + ".dist-info/"
    contents = {name: path.read_bytes() for name, path in _package_files().items()}
    contents[info + "METADATA"] = metadata.encode("utf-8")
    contents[info + "WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: {NAME} ({dist.version})\nRoot-Is-Purelib: true\nTag: {TAG}\n"
    ).encode()
    if entry_points := dist.read_text("entry_points.txt"):
        contents[info + "entry_points.txt"] = entry_points.encode("utf-8")
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    writer.writerows(_record_line(entry, data) for entry, data in contents.items())
    writer.writerow([info + "RECORD", "", ""])
    contents[info + "RECORD"] = record.getvalue().encode("utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for entry, data in contents.items():  # the packages sorted, then the dist-info, RECORD last
            zipped.writestr(_zip_entry(entry), data, compresslevel=9)
    return archive.getvalue()


def pinned_dependencies() -> dict[str, str]:
    """Every distribution plangen needs, recursively, with the version installed here (name → version),
    as the requirements and their markers say for this Python and system (extras followed), PDF
    export's included where they are installed."""
    pinned: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    todo = [(_distribution(), EXTRA)]
    while todo:
        dist, extra = todo.pop()
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
                continue
            key = canonicalize_name(requirement.name)
            for wanted in ("", *sorted(requirement.extras)):
                if (key, wanted) not in seen:
                    seen.add((key, wanted))
                    try:
                        needed = distribution(requirement.name)
                    except PackageNotFoundError:
                        if dist.metadata["Name"] == NAME and requirement.marker:  # PDF export's, not installed here
                            continue
                        message = _("{name}, which plangen needs, is not installed; install plangen again with pip")
                        raise PlangenError(message.format(name=requirement.name)) from None
                    pinned[needed.metadata["Name"]] = needed.version
                    todo.append((needed, wanted))
    return dict(sorted(pinned.items(), key=lambda item: canonicalize_name(item[0])))


def constraints() -> str:
    """constraints.txt for a plan repository: the exact versions of plangen's dependencies here."""
    where = f"plangen {_distribution().version}, Python {platform.python_version()} on {platform.system()}"
    lines = [
        "# The versions of plangen's dependencies (recursively), as installed where this file",
        f"# was made ({where}). The pipelines install with",
        "#   pip install -r requirements.txt -c constraints.txt",
        "# so that they build the same documents and site tomorrow as today. To move on to newer",
        '# versions, see "Working as a team" in plangen\'s README.',
        *(f"{name}=={version}" for name, version in pinned_dependencies().items()),
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Source:
    """Where a plan repository gets plangen from, as its requirements.txt and its pre-commit hook say."""

    requirement: str
    """The line of requirements.txt that installs plangen."""
    wheel: str | None = None
    """The wheel in the repository the requirement names (vendor/plangen-….whl), if it names one."""
    hook_repository: tuple[str, str] | None = None
    """plangen's source repository and the rev to take, when the requirement names one (a git URL):
    pre-commit takes the plangen-validate hook from there."""


def source(spec: str | None) -> Source:
    """Where a repository gets plangen: from *spec*, a pip requirement (plangen==1.2 from an
    internal index, plangen @ git+https://…@v1.2), or, without one, the running plangen's wheel
    in the repository's vendor/ folder."""
    if spec is None:
        wheel_path = f"{VENDOR}/{wheel_name()}"
        return Source(requirement=f"./{wheel_path}[{EXTRA}]", wheel=wheel_path)
    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        requirement = None
    if requirement is None or canonicalize_name(requirement.name) != NAME:
        message = _(
            "--plangen-spec: expected a pip requirement for plangen, such as plangen==1.2 or "
            "plangen @ git+https://git.example.com/tools/plangen.git@v1.2, got {spec!r}"
        )
        raise PlangenError(message.format(spec=spec))
    return Source(requirement=spec.strip(), hook_repository=_git_repository(requirement.url or ""))


def wheel_name() -> str:
    """The file name of the running plangen's wheel, without building it."""
    version = _distribution().version.replace("-", "_")  # as a wheel's name escapes it (- parts the name)
    return f"{NAME}-{version}-{TAG}.whl"


def _git_repository(url: str) -> tuple[str, str] | None:
    """The repository and rev of a pip git URL (git+https://host/plangen.git@v1.2), as pre-commit
    clones them; None for another URL, one without a rev, or a package in a subfolder (pre-commit
    reads the hooks a repository offers at its root)."""
    if not url.startswith("git+"):
        return None
    parts = urlsplit(url.removeprefix("git+"))
    path, at, rev = parts.path.rpartition("@")
    if not (at and path and rev) or parts.query or parts.fragment:
        return None
    return urlunsplit(parts._replace(path=path)), rev
