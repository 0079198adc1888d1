"""plangen for pre-commit, from this repository's vendor/ folder.

pre-commit runs this in an environment of its own (language: python), where plangen is not
installed at first: pre-commit installs a hook's dependencies from its cache folder, where
this repository's files cannot be named. So the hook installs the wheel requirements.txt
names itself, with the versions constraints.txt fixes, the first time it runs and whenever
that wheel changes, then runs plangen. It needs no plangen on PATH and no active virtual
environment, so it works in any git client. Written by plangen init.
"""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = Path(sys.prefix) / "plangen-wheel.sha256"


def pip(*args: str) -> None:
    """pip install *args*; if it fails, say so in Chinese and English (plangen, which speaks the
    reader's language, is what could not be installed)."""
    if subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args]).returncode:
        sys.exit(
            "plangen-hook：pip 没能安装 plangen，原因见上面 pip 的输出（常见原因：连不上 PyPI）。\n"
            f"plangen-hook: pip could not install plangen ({' '.join(args)}); see pip's output above."
        )


named = re.search(r"^\./(vendor/[^\s\[]+\.whl)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)
if named is None:
    sys.exit(
        "plangen-hook：requirements.txt 里没有写 vendor/ 中的 plangen 安装包；见 .pre-commit-config.yaml。\n"
        "plangen-hook: requirements.txt names no wheel in vendor/; see .pre-commit-config.yaml."
    )
wheel = ROOT / named[1]
digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
if not MARK.is_file() or MARK.read_text(encoding="utf-8") != digest:
    constraints = ROOT / "constraints.txt"
    pip(*(["-c", str(constraints)] if constraints.is_file() else []), str(wheel))
    pip("--force-reinstall", "--no-deps", str(wheel))  # the same version, other contents: init ran again
    MARK.write_text(digest, encoding="utf-8")
sys.exit(subprocess.run([sys.executable, "-m", "plangen", *sys.argv[1:]]).returncode)
