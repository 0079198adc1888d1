"""Project settings: what all plans of a repository share.

They live in an optional ``plangen.yml`` at the project root; every setting has
a default, so a repository holding nothing but one plan works as it is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import PlainValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from .errors import InvalidFile, PlangenError
from .i18n import _
from .model import Block, Count, Language, Text, describe
from .redaction import REDACTABLE, Redactable
from .validation import did_you_mean, validate_file
from .yaml_source import FieldPath, display_path, input_problem, place_in, read_source

SETTINGS_FILE = "plangen.yml"
BUILTIN_TEMPLATES = Path(str(files("plangen.templates")))
"""plangen's own templates, labels and reference documents, installed with the package."""


LayoutName = Literal["zh-official", "business"]
Publish = Literal["artifact", "gitlab-pages", "github-pages"]

BOLD = ":bold"
"""Written after a family in docx.fonts, as fontconfig writes it (``fc-match 'Noto Serif CJK SC:bold'``):
that font is set bold."""


def _font_families(value: Any) -> list[str]:
    """One family or a list of them, each perhaps followed by ``:bold``, as a list."""
    families = [value] if isinstance(value, str) else value
    if not (isinstance(families, list) and families and all(isinstance(f, str) and f.strip() for f in families)):
        message = _("expected an installed font family, such as Noto Serif CJK SC, or a list of them, got {got}")
        raise PydanticCustomError("font", message.format(got=describe(value)))
    for family in families:
        name, colon, style = family.partition(":")
        if colon and not (name.strip() and colon + style.strip().lower() == BOLD):
            message = _("expected a font family, followed by :bold at most (Noto Serif CJK SC:bold), got {got}")
            raise PydanticCustomError("font", message.format(got=describe(family)))
    return [family.strip() for family in families]


FontFamilies = Annotated[
    list[str],
    PlainValidator(_font_families),
    WithJsonSchema({"type": "array", "items": {"type": "string"}, "minItems": 1}),
]
"""The families a font of the documents is set in when it is not installed, in order of preference."""

DEFAULT_FONTS: dict[str, list[str]] = {
    "方正小标宋简体": ["Noto Serif CJK SC:bold"],
    "仿宋_GB2312": ["FandolFang", "Noto Serif CJK SC"],
    "楷体_GB2312": ["AR PL UKai CN", "Noto Serif CJK SC"],
    "黑体": ["Noto Sans CJK SC"],
    "宋体": ["Noto Serif CJK SC"],
    "SimSun": ["Noto Serif CJK SC"],
    "Times New Roman": ["Liberation Serif"],
    "Cambria": ["Caladea"],
    "Calibri": ["Carlito"],
    "Courier New": ["Liberation Mono"],
}
"""Open fonts for the fonts plangen's layouts name, which few Linux machines have: the Simplified
Chinese faces of the same styles (小标宋 is heavy, so its stand-in is bold; Fandol's FangSong
covers GB 2312 only, so Noto Serif CJK SC sets what it lacks), and Latin fonts with the same
metrics as the ones they stand for, so that lines and pages break as in Word."""


class DocxSettings(Block):
    """How Word documents are made."""

    layouts: dict[Language, LayoutName] = {"zh-CN": "zh-official", "en": "business"}
    """The document layout for plans of each language. Default: zh-CN → zh-official, en → business."""
    references: dict[LayoutName, str] = {}
    """An organisation's own reference .docx per layout (styles, page setup, letterhead): an ordinary file
    of the project, relative to its root. Default: templates/reference/<layout>.docx in the project, else
    plangen's own."""
    contents: Literal["auto", "always", "never"] = "auto"
    """Whether a Word document has a contents list, on a page of its own after the title: `auto` when the
    document runs to about five pages or more, so that a short plan starts on its first page."""
    pdf: bool = False
    """Also export a PDF of every plan, with page numbers in the contents (needs LibreOffice). The CI
    pipelines of `plangen init` install LibreOffice when this is on; `--pdf`/`--no-pdf` decide for one run."""
    show_status: bool = False
    """Print the plan's workflow status (draft, submitted, approved) in the title block. Off, as a
    document submitted after GB/T 9704 shows none."""
    fonts: dict[Text, FontFamilies] = DEFAULT_FONTS
    """For PDFs: the installed font family to set each font the documents name in (仿宋_GB2312, 黑体 …) when
    that font is not installed, e.g. an organisation's licensed fonts (仿宋_GB2312: 方正仿宋_GBK); or a list of
    families, where characters the first lacks come from the next; `:bold` after a family sets it bold. A family
    named here that is not installed (nor in `font_dirs`) stops a PDF build. Entries replace the defaults one
    by one. Default (open fonts, see Fonts in PDFs): 方正小标宋简体 → Noto Serif CJK SC:bold; 仿宋_GB2312 →
    FandolFang, Noto Serif CJK SC; 楷体_GB2312 → AR PL UKai CN, Noto Serif CJK SC; 黑体 → Noto Sans CJK SC; 宋体,
    SimSun → Noto Serif CJK SC; Times New Roman → Liberation Serif; Cambria → Caladea; Calibri → Carlito;
    Courier New → Liberation Mono."""
    font_dirs: list[Text] = []
    """For PDFs: folders of the project holding font files (.ttf, .otf, .ttc) that `fonts` may name, such as
    an organisation's licensed fonts, relative to the project root, e.g. [fonts]."""

    @field_validator("fonts")
    @classmethod
    def _over_defaults(cls, fonts: dict[str, list[str]]) -> dict[str, list[str]]:
        """The defaults, with the fonts the settings name put in their place."""
        return {**DEFAULT_FONTS, **fonts}


def _redaction(value: Any) -> list[Redactable]:
    """What site.redact leaves out: all of it for true, nothing for false, else the kinds listed, in plangen's order."""
    if isinstance(value, bool):
        return list(REDACTABLE) if value else []
    kinds = ", ".join(REDACTABLE)
    if not (isinstance(value, list) and all(isinstance(kind, str) for kind in value)):
        message = _("expected true, false or a list of what to leave out ({kinds}), got {got}")
        raise PydanticCustomError("redact", message.format(kinds=kinds, got=describe(value)))
    if unknown := [kind for kind in value if kind not in REDACTABLE]:
        message = _("unknown kind {got}{suggestion}; what can be left out: {kinds}")
        got, suggestion = describe(unknown[0]), did_you_mean(unknown[0], [*REDACTABLE])
        raise PydanticCustomError("redact", message.format(got=got, suggestion=suggestion, kinds=kinds))
    return [kind for kind in REDACTABLE if kind in value]


Redaction = Annotated[
    list[Redactable],
    PlainValidator(_redaction),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"type": "array", "items": {"enum": list(REDACTABLE)}}]}),
]


class SiteSettings(Block):
    """How the intranet site is made."""

    language: Language | None = None
    """Language of the site's own pages (home, units, calendar); the project's language when left out.
    The mkdocs.yml of `plangen init` (and plangen's own, used when a project has none) follows it;
    in your own mkdocs.yml, set `theme.language` to match (zh or en): a site build stops when they differ."""
    source_url: str | None = None
    """Where the plan files can be read in the repository, e.g. https://git.example.com/team/plans/-/blob/main;
    each plan page then links to its YAML file there."""
    upcoming_weeks: Count = 8
    """How many weeks ahead the home page lists coming activities and training."""
    redact: Redaction = []
    """Leave out of the site what identifies clients and people, for a site that may be public: `true` for all
    of it, or a list of `clients` (key accounts, shown as a count, and the places of activities), `contacts` (the
    owner's phone and e-mail, and any e-mail address or phone number in the plan's text) and `people` (who looks
    after an account, goal or activity in the owner's place). Each shows as withheld, and its value is replaced
    wherever the plan's text repeats it. The site then offers Word files redacted the same way, and PDFs when the
    same run makes PDFs (out/redacted-docx, out/redacted-pdf); out/docx keeps the full documents. What stays:
    see The site. Default: false."""
    publish: Publish = "artifact"
    """Where the CI pipelines of `plangen init` put the built site, which shows every plan's clients:
    `artifact` keeps it with each CI run, for those who can see the repository's CI; `gitlab-pages` and
    `github-pages` publish it from the default branch (GitHub Pages is public on the internet unless the
    organisation's GitHub plan has private Pages; give GitLab Pages the access control "Only project
    members"). See "Working as a team". Default: `artifact`."""


class Settings(Block):
    """Settings in `plangen.yml`; paths are relative to the project root."""

    organization: str | None = None
    """Organisation name used by plans that do not name their own."""
    language: Language = "zh-CN"
    """Language of plans that do not name their own: zh-CN or en."""
    plans: str = "plans"
    """Folder holding the plan files (searched at any depth): a visible folder of the project."""
    output: str = "out"
    """Folder the generated documents are written to."""
    docx: DocxSettings = DocxSettings()
    """Word document settings."""
    site: SiteSettings = SiteSettings()
    """Site settings."""

    @property
    def site_language(self) -> Language:
        """The language of the site's own pages: its own setting, else the project's."""
        return self.site.language or self.language


SETTINGS_BLOCKS = (Settings, DocxSettings, SiteSettings)
"""The blocks of plangen.yml, in the order the README describes them."""


def setting_text(settings: Settings, key: str) -> str:
    """One setting, by dotted key (e.g. ``docx.pdf``), as a shell script reads it:
    text as it is, anything else as JSON (``true``, ``8``, ``null``, ``{...}``).

    CI pipelines ask this way whether a run needs more than Python, such as
    LibreOffice for PDFs, so the answer always follows plangen.yml."""
    value: object = settings.model_dump(mode="json")
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            known = _keys(settings)
            message = _("no setting {key!r}{suggestion}; the settings are: {settings}")
            raise PlangenError(message.format(key=key, suggestion=did_you_mean(key, known), settings=", ".join(known)))
        value = value[part]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _keys(block: Block, prefix: str = "") -> list[str]:
    keys = []
    for name in type(block).model_fields:
        keys.append(prefix + name)
        value = getattr(block, name)
        if isinstance(value, Block):
            keys += _keys(value, f"{prefix}{name}.")
    return keys


@dataclass(frozen=True)
class Project:
    """Where a project lives and how it is set up."""

    root: Path
    settings: Settings

    @property
    def plans_dir(self) -> Path:
        return self.root / self.settings.plans

    @property
    def output_dir(self) -> Path:
        return self.root / self.settings.output

    @property
    def font_dirs(self) -> list[Path]:
        """The folders of font files the settings name, for PDFs."""
        return [self.root / folder for folder in self.settings.docx.font_dirs]

    @property
    def templates_dir(self) -> Path:
        """The project's own templates, which override plangen's built-in ones."""
        return self.root / "templates"


def find_root(start: Path) -> Path:
    """The nearest folder at or above *start* holding a settings file, else *start*."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return start


def open_project(root: Path) -> Project:
    """Read the project's settings; raises InvalidFile naming every problem."""
    path = root / SETTINGS_FILE
    settings = Settings()
    if path.exists():
        found, problems = validate_file(Settings, path, display_path(path))
        errors = [p for p in problems if p.severity == "error"]
        if found is None or errors:
            raise InvalidFile(errors)
        settings = found
    project = Project(root, settings)
    if why := _plans_problem(project):
        raise setting_error(root, [(("plans",), why)])
    if path.exists() and (why := misplaced(project, project.output_dir, _("output folder"))):
        raise setting_error(root, [(("output",), why)])
    misplaced_fonts = [
        (("docx", "font_dirs", index), why)
        for index, folder in enumerate(project.font_dirs)
        if (why := _font_dir_problem(project, folder))
    ]
    if misplaced_fonts:
        raise setting_error(root, misplaced_fonts)
    return project


def setting_error(root: Path, problems: list[tuple[FieldPath, str]]) -> PlangenError:
    """Each problem (where in the settings, why) as an error at that place in the settings file of
    the project in *root* (at plans when the file leaves the setting out: then the plans folder is
    what makes it wrong), or as it is when there is no file."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return PlangenError("\n".join(why for _where, why in problems))
    source = read_source(path, display_path(path), empty={})  # again, to place the error: a rare case
    return InvalidFile(
        [source.problem(where if where[0] in source.data else ("plans",), why) for where, why in problems]
    )


def _font_dir_problem(project: Project, folder: Path) -> str | None:
    """Why plangen must not hand *folder*, named in docx.font_dirs, to LibreOffice for fonts:
    like every path the repository names, it must be a visible folder of the project."""
    shown = os.path.relpath(folder, project.root)
    where = place_in(folder.resolve(), project.root)
    if where == "outside":
        return _(
            "the font folder {folder} is outside the project; put the fonts in a folder of the project, such as fonts"
        ).format(folder=shown)
    if where == "hidden":
        return _(
            "the font folder {folder} is a hidden folder or inside one; choose a visible folder such as fonts"
        ).format(folder=shown)
    if not folder.is_dir():
        return _("the font folder {folder} does not exist or is not a folder").format(folder=shown)
    return None


def _plans_problem(project: Project) -> str | None:
    """Why plangen must not take its plans from the plans folder, if it must not.

    The repository names the folder (plans in plangen.yml), and plangen reads every
    file in it, quotes them in its reports and publishes them, and ``plangen new``
    writes there: so it must be a visible folder of the project, such as plans.
    """
    shown = os.path.relpath(project.plans_dir, project.root)
    where = _where(project, project.plans_dir)
    if where == "outside":
        return _(
            "the plans folder {folder} is outside the project; plangen reads, reports and publishes what it holds, "
            "so it must be a folder of the project, such as plans"
        ).format(folder=shown)
    if where == "hidden":
        return _(
            "the plans folder {folder} is a hidden folder or inside one; choose a visible folder such as plans"
        ).format(folder=shown)
    return None


def named_file_problem(project: Project, path: Path) -> str | None:
    """Why plangen must not read *path*, a file the repository names (plangen.yml's reference
    documents), if it exists: like every file plangen reads from the project
    (:func:`~plangen.yaml_source.input_problem`), it must be an ordinary file of the
    project, and the settings must not name one elsewhere (an absolute path, ``..``)."""
    if not os.path.lexists(path):
        return None
    if why := input_problem(path, project.root):
        return why
    if place_in(path.resolve(), project.root) == "outside":
        return _("it is outside the project; put it in the project")
    return None


def _where(project: Project, folder: Path) -> Literal["root", "outside", "hidden"] | None:
    """Where *folder* is when it is not simply a visible folder inside the project."""
    real = folder.resolve()
    return "root" if real == project.root.resolve() else place_in(real, project.root)


def misplaced(project: Project, folder: Path, what: str, *, chosen_here: bool = False) -> str | None:
    """Why plangen must not write its *what* (a folder it empties and replaces, named in the
    language in use) at *folder*, or None when it may.

    Never inside the plans folder: what plangen writes there (the generated
    mkdocs.yml among it) would be read back as plans. A folder named by the
    repository (plangen.yml's output, mkdocs.yml's site_dir) is also held to the
    project, since anyone who can push can change those files: it must be a folder
    of its own inside the project, neither the project itself, nor hidden (.git),
    nor holding the plans or the templates. A folder the user gives on the command
    line (*chosen_here*, -o) may be anywhere else.
    """
    shown, plans = (os.path.relpath(path, project.root) for path in (folder, project.plans_dir))  # as files have them
    if folder.resolve().is_relative_to(project.plans_dir.resolve()):
        return _(
            "the {what} {folder} is inside the plans folder {plans}, "
            "where plangen would read back what it writes as plans: choose a folder outside it"
        ).format(what=what, folder=shown, plans=plans)
    if chosen_here:
        return None
    where = _where(project, folder)
    if where == "root":
        return _(
            "the {what} {folder} is the project folder itself; plangen empties and replaces it, "
            "so it must be a folder of its own inside the project, such as out or site"
        ).format(what=what, folder=shown)
    if where == "outside":
        return _(
            "the {what} {folder} is outside the project; plangen empties and replaces it, "
            "so it must be a folder of its own inside the project, such as out or site"
        ).format(what=what, folder=shown)
    if where == "hidden":
        return _(
            "the {what} {folder} is a hidden folder or inside one; choose a visible folder such as out or site"
        ).format(what=what, folder=shown)
    for held in (project.plans_dir, project.templates_dir):
        if held.resolve().is_relative_to(folder.resolve()):
            return _("the {what} {folder} holds {held}; choose a folder of its own").format(
                what=what, folder=shown, held=os.path.relpath(held, project.root)
            )
    return None
