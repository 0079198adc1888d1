"""What needs rebuilding: a content hash of everything a plan's document depends on.

A plan's Word document is stale when the hash of its validated plan, the
templates (plangen's and the project's), the reference documents, the settings
and the plangen version differs from the hash recorded when it was last
written. Any change to templates or settings therefore rebuilds everything. A
missing or unreadable cache file just means a full build.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from .model import Plan
from .outputs import write_atomic
from .settings import BUILTIN_TEMPLATES, Project

CACHE_FILE = ".plangen-cache.json"


def inputs_digest(project: Project) -> str:
    """The hash of everything but the plans: plangen, settings, templates, reference documents."""
    digest = hashlib.sha256(version("plangen").encode())
    digest.update(project.settings.model_dump_json().encode())
    references = [project.root / path for path in project.settings.docx.references.values()]
    for base in (BUILTIN_TEMPLATES, project.templates_dir, *references):
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
        for file in files:
            if file.suffix in (".pyc",) or "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(base) if file != base else file.name).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def plan_digest(inputs: str, plan: Plan) -> str:
    return hashlib.sha256((inputs + plan.model_dump_json()).encode()).hexdigest()


class BuildCache:
    """Plan id → digest of what its document was last built from, kept beside the outputs."""

    def __init__(self, output: Path) -> None:
        self.path = output / CACHE_FILE
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self.digests: dict[str, str] = {str(k): str(v) for k, v in loaded["docx"].items()}
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            self.digests = {}

    def fresh(self, plan_id: str, digest: str, document: Path) -> bool:
        return self.digests.get(plan_id) == digest and document.is_file()

    def record(self, plan_id: str, digest: str) -> None:
        self.digests[plan_id] = digest

    def save(self) -> None:
        write_atomic(self.path, json.dumps({"docx": self.digests}, sort_keys=True, indent=1) + "\n")
