"""Shared helpers: small plan trees written into a temporary project."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from plangen.loading import LoadResult, load_plans
from plangen.settings import open_project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="FIFOs, devices, file modes and signals are POSIX's; Windows has none of them"
)

MINIMAL = """\
title: 测试计划
period: 2027
owner: {name: 王敏}
"""


# Links whose scheme is not http, https or mailto, spelt every way an attacker might.
BAD_LINKS = [
    "[a](javascript:alert(1))",
    "[a](JavaScript:alert(1))",
    "[a](java&#x73;cript:alert(1))",
    "[a](java&#115;cript:alert(1))",
    "[a](<java script:alert(1)>)",
    "[a](<java\tscript:alert(1)>)",
    "[a](  javascript:alert(1)  )",
    "[a](%6Aavascript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](file:///etc/passwd)",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "[a][r]\n\n[r]: <JAVASCRIPT:alert(1)> 'title'",
    "[a]\n\n[a]: vbscript:x",
    "<javascript:alert(1)>",
    "<data:text/html,x>",
    "[a](//evil.example/x)",
    "[a](/relative/page)",
]


"""Plan Markdown that tries every way to put active content on a page."""
HOSTILE_MARKDOWN = [
    *BAD_LINKS,
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<!-- x --><iframe src=//evil.example></iframe>",
    '<div markdown="1">*x*</div>',
    "<details open ontoggle=alert(1)>",
    'para\n{: onclick="alert(1)" }',
    "# Heading {: onmouseover=alert(1) }",
    "text {: #id .class onfocus=alert(1) autofocus tabindex=1 }",
    '- item\n{: style="background:url(//evil.example/x)" }',
    "![alt](https://evil.example/pixel.png)",
    "![](https://evil.example/pixel.png)",
    "![alt][i]\n\n[i]: http://evil.example/x.png",
    "![x](javascript:alert(1))",
    "| a | b |\n| :-- | --: |\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "```\n<script>alert(1)</script>\n\n\n</div>\n```",
    "`<script>` and `</div>`",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "</div>\n\n<script>alert(1)</script>",
    "::: toc\n<script>alert(1)</script>\n:::",
    "> quote <img src=x onerror=alert(1)>\n>\n> [a](javascript:x)",
]
"""Markdown bodies that try every way to put active content on a page or load from elsewhere."""

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    'x" onmouseover="alert(1)',
    "{: onclick=alert(1) }",
    "[y](javascript:alert(1))",
    "{{ 7*7 }} | *x* `c` ::: &lt;b&gt; &#60;i&#62;",
    "[x](tabindex=1 autofocus onfocus=alert(3)//)",
    "[x](style=animation-name:pulse onanimationstart=alert(4)//)",
    "![seg](http://evil.example/seg.png)",
    "[x](style=background:url(http://evil.example/bg.png);x:)",
    "[x](nope.md)",
]
"""Plain text (names, titles, places) that tries to be markup."""


def hostile_plan() -> str:
    """A plan with hostile text in every plain-text field and hostile Markdown in every Markdown field."""
    text = iter(HOSTILE_TEXT * 40)
    body = iter(HOSTILE_MARKDOWN * 8)

    def t() -> str:
        return next(text)

    def b() -> str:
        return "\n\n".join(next(body) for _ in range(4))

    plan = {
        "title": t(), "period": 2027, "owner": {"name": t(), "title": t(), "email": t(), "phone": t()},
        "members": [{"name": t(), "title": t(), "role": t(), "email": t(), "phone": t()}],
        "unit": t(), "organization": t(), "tags": [t(), t()], "summary": b(),
        "duties": [{"title": t(), "detail": b()}, t()],
        "clients": {
            "total": 4, "difference": {"amount": -1, "reason": b()},
            "segments": [{"name": t(), "count": 2, "service": t(), "notes": b()}, {"name": t(), "count": 1}],
            "classes": [{"name": t(), "service": t(), "notes": b()}],
            "key_accounts": [{"name": t(), "kind": t(), "tier": t(), "owner": t(), "service": t(), "notes": b()}],
            "notes": b(),
        },
        "goals": [{
            "id": "g", "title": t(), "metric": t(), "unit": t(), "baseline": 1, "target": 2,
            "milestones": {"Q1": 1.5}, "actuals": {"Q1": 1.2}, "owner": t(),
            "actions": [{"title": t(), "detail": b()}],
        }, {"id": "q", "title": t(), "detail": b()}, {
            "id": "m", "title": t(), "measures": [{"metric": t(), "unit": t(), "target": 1}, {"metric": t(), "target": 2}],
        }],
        "training": {
            "summary": b(), "purposes": [{"title": t(), "detail": b()}], "principles": [t()],
            "methods": [{"title": t(), "detail": b()}],
            "contents": [{"audience": t(), "detail": b(), "topics": [t()], "qualities": [t()]}],
            "programs": [{"title": t(), "audience": t(), "topics": [t()], "objectives": [t()], "hours": 3,
                          "when": "2027-01", "trainer": t(), "notes": b()}],
        },
        "activities": [{"title": t(), "when": "2027-01-05", "frequency": "weekly", "where": [t()], "products": [t()],
                        "goal": "g", "owner": t(), "notes": b(), "status": "done", "outcome": b()}],
        "assessment": [{"title": t(), "detail": b(), "weight": 100}],
        "incentives": [{"title": t(), "detail": b()}],
        "risks": [{"title": t(), "detail": b(), "mitigation": b()}],
        "sections": [{"title": t(), "body": b()}],
        "reviews": {"Q1": {"achieved": b(), "problems": b(), "next_steps": b()}},
    }  # fmt: skip
    return json.dumps(plan, ensure_ascii=False, indent=1)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands speak English in tests, whatever the machine's locale, unless a test says
    otherwise (tests/test_i18n.py): most tests assert on the exact English message."""
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder that is also the working folder, so paths print relative."""
    (tmp_path / "plans").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_plan(root: Path, text: str, name: str = "plan.yml") -> Path:
    path = root / "plans" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path under *folder* with its mode and content: what a build must not change."""
    return {
        p.relative_to(folder).as_posix(): (p.lstat().st_mode, p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def load(root: Path, today: dt.date | None = None) -> LoadResult:
    return load_plans(open_project(root), today=today)


def problems(root: Path, text: str, name: str = "plan.yml") -> list[str]:
    """Write one plan and return its problems as printed."""
    write_plan(root, text, name)
    return [str(p) for p in load(root).problems]


def missing(message: str) -> NoReturn:
    """Stop a test that needs what *message* says is missing: a failure in CI, else a skip."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require(program: str) -> str:
    """The path of an outside program a test checks against; in CI its absence is a failure."""
    path = shutil.which(program)
    if path is None:
        missing(f"{program} is not installed (.ci/run installs it)")
    return path


def require_module(name: str) -> None:
    """A Python package of the test extras that a test checks against; in CI its absence is a failure."""
    if importlib.util.find_spec(name) is None:
        missing(f"{name} is not installed (pip install -e '.[test]')")


CHECKOUT_TAG = "tested"


@pytest.fixture(scope="session")
def checkout_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files as they are now, uncommitted changes included and ignored files left
    out (a build/ folder left over from an earlier build among them), committed to a git
    repository of their own and tagged CHECKOUT_TAG: plangen's source as a team would clone it."""
    git = require("git")
    listed = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO, check=True, capture_output=True
    ).stdout.decode()
    copy = tmp_path_factory.mktemp("source") / "plangen"
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():  # a file deleted but not committed yet is listed too
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    identity = ["-c", "user.name=plangen tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "tested"], ["tag", CHECKOUT_TAG]):
        subprocess.run([git, *identity, *command], cwd=copy, check=True, capture_output=True)
    return copy


@pytest.fixture(scope="session")
def checkout_wheel(tmp_path_factory: pytest.TempPathFactory, checkout_copy: Path) -> Path:
    """The wheel pip builds from this checkout (as anyone installing plangen from its source gets it)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(checkout_copy)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = dist.glob("plangen-*.whl")
    return wheel


@pytest.fixture(scope="session")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example plans built once into Word documents: plan id → path."""
    from plangen.build import build_docx

    output = tmp_path_factory.mktemp("out")
    result = build_docx(open_project(REPO), output=output)
    return {path.stem: path for path in result.documents}


SITE_TODAY = "2027-01-02"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans built once into a site (with downloads): the site folder."""
    import datetime as dt

    from plangen.build import build

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "plans", root / "plans")
    shutil.copy(REPO / "plangen.yml", root)
    shutil.copy(REPO / "mkdocs.yml", root)
    result = build(open_project(root), site=True, today=dt.date.fromisoformat(SITE_TODAY))
    assert result.site is not None
    return result.site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_until(url: str, deadline: float, until: str) -> str:
    """The page at *url* once it contains *until*; fails after *deadline*."""
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if until in last:
                return last
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {until!r}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves quietly, noting the size of every response in the server's list ``sent``."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-length":
            self.server.sent.append(int(value))  # type: ignore[attr-defined]
        super().send_header(keyword, value)


def serve(folder: Path, sent: list[int] | None = None) -> Iterator[str]:
    """*folder* served on localhost (a built site, for Chromium); the sizes of the responses go into
    *sent*. Also used by benchmarks/search.py."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.sent = [] if sent is None else sent  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def settled(page: Any, sent: list[int]) -> None:
    """Wait until the server of :func:`serve` has sent nothing more for half a second."""
    count = -1
    while count != len(sent):
        count = len(sent)
        page.wait_for_timeout(500)


@dataclass
class Served:
    """A running `plangen serve` (:func:`plangen_serve`): its address, and once it has stopped, what
    it wrote to its error output."""

    url: str
    errors: str = ""


@contextmanager
def plangen_serve(folder: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`plangen serve` of the project in *folder* on a free port (with *options*, in *env*),
    stopped when the block ends."""
    served = Served(f"http://127.0.0.1:{free_port()}")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "plangen"), "serve", "-a", served.url.removeprefix("http://"), *options],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        yield served
    finally:
        process.terminate()
        _, served.errors = process.communicate(timeout=20)


class GitRepo:
    """A real git repository in a temporary folder, committed to with fixed authors and dates,
    so that what a test expects of its history is known before plangen reads it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.day = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=environment, capture_output=True, text=True, encoding="utf-8"
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message: str, author: str = "王敏") -> str:
        """Commit everything as *author*, a day after the last commit (from 2027-01-01); its id."""
        self.day += 1
        when = f"2027-01-{self.day:02d}T09:00:00+08:00"
        self.git("add", "-A")
        self.git(
            "-c", f"user.name={author}", "-c", "user.email=someone@example.com", "commit", "-q", "-m", message,
            f"--date={when}",
        )  # fmt: skip
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_project(project: Path) -> GitRepo:
    """The project folder as a git repository (git must be installed: it is in CI)."""
    if shutil.which("git") is None:
        missing("git is not installed")
    return GitRepo(project)
