"""The plan format: every block a manager can write, its fields and their types.

Field names are English, values may be in any language. The docstring under
each field is its documentation: the JSON Schema that editors use and the
format reference in the README are both generated from it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .i18n import Language as Language  # the languages plans are written in are those plangen speaks


def describe(value: Any) -> str:
    """A value as a manager would recognise it in an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(_shortened(value), ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return _shortened(str(value))


def _shortened(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _fail(kind: str, expected: str, value: Any, hint: str | None = None) -> PydanticCustomError:
    message = "{expected}, got {got}" + (" ({hint})" if hint else "")
    return PydanticCustomError(kind, message, {"expected": expected, "got": describe(value), "hint": hint})


# --- scalar types -----------------------------------------------------------


FIGURE_DIGITS = 15
"""Figures have at most this many significant digits, and as many before the decimal point:
a float holds 15 exactly (so a figure prints as written), and sums of such figures cannot
overflow to infinity."""
_FIGURE_LIMIT = Decimal(10) ** FIGURE_DIGITS
_DECIMAL = re.compile(
    r"[-+]?(?:(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?"
)
"""Figures as text: digits with a decimal point, commas between thousands (1,234.5) and an exponent (1e6)."""
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
"""Full-width digits and signs (１２，３４５．５), as a Chinese input method types them, to ASCII."""
_NUMBER_HINTS = tuple(
    (re.compile(pattern, re.IGNORECASE), hint)
    for pattern, hint in (
        (r"[-+]?0[0-9]+(?:\.[0-9]*)?", "write {bare}: a number does not start with 0"),
        (r"[-+]?[0-9]+(?:,[0-9]+)+(?:\.[0-9]*)?", "use a decimal point, e.g. 4.5; a comma only separates thousands"),
        (r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?", "write it without '_', e.g. 1000 or 1,000"),
        (r"[-+]?0[xob][0-9a-f_]+", "write the number in decimal digits"),
        (r"[-+]?[0-9]+(?::[0-9]+)+(?:\.[0-9]*)?", "write one number, e.g. 1.5 for an hour and a half"),
        (r"[-+]?\.?(?:inf|infinity|nan)", "infinity and NaN are not figures"),
    )
)
"""Hints for forms YAML 1.1 reads as other numbers (0700 as 448, 1:30 as 90, 0x1F as 31,
1_000 as 1000), which plan files keep as written (yaml_source.py), and for near misses."""


def _number(value: Any, expected: str = "a number") -> int | float:
    """A figure: a number, or text written as one (1,000 or １２), that a float holds
    exactly (FIGURE_DIGITS); other forms get a hint, never another value."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    if whole:
        exact = Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        exact = Decimal(repr(value))
    elif isinstance(value, str):
        written = value.strip().translate(_FULL_WIDTH)
        if not _DECIMAL.fullmatch(written):
            hint = next((hint for pattern, hint in _NUMBER_HINTS if pattern.fullmatch(written)), None)
            bare = re.sub(r"^([-+]?)0+(?=[0-9])", r"\1", written)
            raise _fail("number", f"expected {expected}", value, hint and hint.format(bare=bare))
        exact = Decimal(written.replace(",", ""))
        whole = "." not in written and exact == exact.to_integral_value()
    else:
        raise _fail("number", f"expected {expected}", value)
    at_most = f"expected {expected} with at most {FIGURE_DIGITS}"
    if exact.copy_abs() >= _FIGURE_LIMIT:
        raise _fail("number", f"{at_most} digits before the decimal point", value)
    if whole:
        return int(exact)
    number = float(exact)
    if Decimal(f"{number:.{FIGURE_DIGITS}g}") != exact:
        raise _fail("number", f"{at_most} significant digits", value, "round it")
    return number


def _at_least_zero(value: Any, expected: str = "a number") -> int | float:
    number = _number(value, expected)
    if number < 0:
        raise _fail("number", "expected a number of 0 or more", value)
    return number


def _count(value: Any) -> int:
    number = _at_least_zero(value, "a whole number")
    if number != int(number):
        raise _fail("number", "expected a whole number", value)
    return int(number)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail("date", "expected a real date written YYYY-MM-DD, e.g. 2027-03-31", value)


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "text",
            "expected text, got {got} (YAML reads true and false as yes-or-no values: put the text in quotes)",
            {"got": describe(value)},
        )
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_BELOW_LIMIT = {"exclusiveMaximum": 10**FIGURE_DIGITS}
Number = Annotated[
    int | float,
    PlainValidator(_number),
    WithJsonSchema({"type": "number", **_BELOW_LIMIT, "exclusiveMinimum": -(10**FIGURE_DIGITS)}),
]
# A number of 0 or more, such as a share.
Share = Annotated[
    int | float, PlainValidator(_at_least_zero), WithJsonSchema({"type": "number", "minimum": 0, **_BELOW_LIMIT})
]
Count = Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0, **_BELOW_LIMIT})]
Date = Annotated[
    dt.date,
    PlainValidator(_date),
    PlainSerializer(dt.date.isoformat),
    WithJsonSchema({"type": "string", "format": "date"}),
]
# Plain text, never empty.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), BeforeValidator(_text)]
# A short text such as a name or a place.
Line = Annotated[str, BeforeValidator(_text)]
# Free text with Markdown formatting (paragraphs, **bold**, lists, tables, links).
Markdown = Annotated[
    str, BeforeValidator(_text), WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"})
]
# An identifier for file names and references, e.g. ``retention``.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]

SITE_NAMES = frozenset(
    {"index", "plans", "units", "orgs", "calendar", "tags", "guide", "downloads", "assets", "search", "sitemap", "404"}
)
"""The names of the site's own pages and folders: those site_writer.py writes (index, plans,
units, calendar and tags; plans/, units/, orgs/, downloads/ and assets/), the hand-written
guide, and what MkDocs adds (search/, sitemap.xml, 404.html). test_site_writer.py checks the
list against a built site."""
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})
"""Names Windows keeps for devices, in any case and with any extension (CON, con.docx)."""


def plan_id_problem(text: str) -> str | None:
    """Why *text* cannot be a plan id, if it cannot. A plan id names the plan's page and its
    Word and PDF files, so it must not be a name the site uses for its own pages (the plan's
    would take their place) or one Windows refuses for a file. Ids hold no dots, so Windows'
    rule that con.docx is taken too comes down to the id itself."""
    if not re.fullmatch(SLUG_PATTERN, text):
        return "an id is lowercase letters, digits, '-' and '_'"
    if text in SITE_NAMES:
        return "the site has a page or folder of that name"
    if text in WINDOWS_DEVICES:
        return "Windows keeps that name for a device"
    return None


def _plan_id(value: str) -> str:
    problem = plan_id_problem(value)
    if problem:
        raise PydanticCustomError(
            "plan_id",
            "'{id}' cannot be a plan id: {problem}; choose another, e.g. qingyunxi-wangmin-2027",
            {"id": value, "problem": problem},
        )
    return value


PlanId = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    AfterValidator(_plan_id),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "not": {"enum": sorted(SITE_NAMES | WINDOWS_DEVICES)}}),
]


# --- periods and dates ------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of calendar time: a year, half, quarter, month, day or range."""

    start: dt.date
    end: dt.date
    text: str

    def __contains__(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


_SPAN_TEXT = re.compile(r"^(\d{4})(?:-(?:(H[12])|(Q[1-4])|(\d{2})))?$", re.IGNORECASE)
SPAN_HELP = "a year (2027), half (2027-H1), quarter (2027-Q2), month (2027-03), date (2027-03-31) or {start: …, end: …}"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_span(value: Any) -> Span:
    """Read a period or 'when' value; raises ValueError saying what was expected."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2999:
        return Span(dt.date(value, 1, 1), dt.date(value, 12, 31), str(value))
    if isinstance(value, (dt.date, dt.datetime)):
        day = _date(value)
        return Span(day, day, day.isoformat())
    if isinstance(value, dict):
        return _range(value)
    if isinstance(value, str):
        text = value.strip().upper()
        match = _SPAN_TEXT.match(text)
        if match:
            year = int(match[1])
            if match[2]:
                half = int(match[2][1])
                return Span(dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half), text)
            if match[3]:
                quarter = int(match[3][1])
                return Span(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), text)
            if match[4]:
                month = int(match[4])
                if 1 <= month <= 12:
                    return Span(dt.date(year, month, 1), _month_end(year, month), text)
            else:
                return Span(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return Span(day, day, day.isoformat())
    raise ValueError(f"expected {SPAN_HELP}, got {describe(value)}")


def _range(value: dict[Any, Any]) -> Span:
    unknown = set(value) - {"start", "end"}
    if unknown or not {"start", "end"} <= set(value):
        raise ValueError(f"a date range needs exactly start: and end:, got keys {', '.join(map(str, value))}")
    try:
        start, end = _date(value["start"]), _date(value["end"])
    except PydanticCustomError as exc:
        raise ValueError(f"{exc.message()} in a date range") from None
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    return Span(start, end, f"{start.isoformat()}/{end.isoformat()}")


def _span(value: Any) -> Span:
    try:
        return parse_span(value)
    except ValueError as exc:
        raise PydanticCustomError("span", str(exc)) from None


_SPAN_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1900, "maximum": 2999},
        {"type": "string", "pattern": r"^\d{4}(-([Hh][12]|[Qq][1-4]|\d{2}|\d{2}-\d{2}))?$"},
        {
            "type": "object",
            "properties": {"start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"}},
            "required": ["start", "end"],
            "additionalProperties": False,
        },
    ],
    "description": f"A period of time: {SPAN_HELP}.",
}


def _span_data(span: Span) -> Any:
    """A span as it would be written in a plan file (and read back the same)."""
    if "/" in span.text:
        return {"start": span.start.isoformat(), "end": span.end.isoformat()}
    return int(span.text) if span.text.isdigit() else span.text


SpanField = Annotated[Span, PlainValidator(_span), PlainSerializer(_span_data), WithJsonSchema(_SPAN_SCHEMA)]

_SUB_PERIOD = re.compile(r"^(?:(H[12])|(Q[1-4])|M(\d{1,2}))$", re.IGNORECASE)
SUB_PERIOD_HELP = "Q1–Q4, H1/H2, M1–M12, 2027-Q3, 2027-06 or a date"


def resolve_sub_period(key: str, period: Span) -> Span:
    """Read a milestone key such as ``Q2`` against the plan period's year."""
    match = _SUB_PERIOD.match(key.strip())
    year = period.start.year
    if match:
        text = f"{year}-{match[1] or match[2]}" if not match[3] else f"{year}-{int(match[3]):02d}"
        return parse_span(text)
    return parse_span(key)


def _key_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, int)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


SubPeriod = Annotated[str, BeforeValidator(_key_text)]
Status = Literal["draft", "submitted", "approved"]
Direction = Literal["up", "down"]
TrainingMethod = Literal[
    "course", "mentoring", "lecture", "external", "study-tour", "rotation", "product-briefing", "self-study"
]


# --- blocks -----------------------------------------------------------------


class Block(BaseModel):
    """A part of the format. The docstring under each field documents it: schema.py puts
    them in the JSON Schema and the README. (pydantic's use_attribute_docstrings would read
    them at import, about 25 ms on every command, for the one command that needs them.)"""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Item(Block):
    """A titled point with optional detail; a plain string is read as its title."""

    title: Text
    """The point itself, e.g. 开拓银行业务."""
    detail: Markdown | None = None
    """Explanation in Markdown."""

    @model_validator(mode="before")
    @classmethod
    def _title_only(cls, value: Any) -> Any:
        return {"title": value} if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value


class Owner(Block):
    """Who the plan belongs to."""

    name: Text
    """Full name, e.g. 王敏."""
    title: Line | None = None
    """Job title, e.g. 客户经理."""
    email: Line | None = None
    """E-mail address."""
    phone: Line | None = None
    """Phone number."""


class Segment(Block):
    """A group of clients counted together."""

    name: Text
    """Segment name, e.g. 宽带用户."""
    count: Count
    """Number of clients (households, accounts) in the segment."""
    notes: Markdown | None = None
    """Anything to say about the segment."""


class KeyAccount(Block):
    """A client that gets named, individual attention."""

    name: Text
    """Client name, e.g. 恒盛城市花园."""
    kind: Line | None = None
    """What sort of client, e.g. 住宅小区, SME, hospital."""
    tier: Line | None = None
    """Tier or grade in the organisation's scheme, e.g. A, 高端."""
    owner: Line | None = None
    """Who looks after the account, if not the plan owner."""
    service: Line | None = None
    """Service level promised, e.g. 24小时保姆式服务."""
    notes: Markdown | None = None
    """How the account is looked after."""


class Clients(Block):
    """The client base the plan works on."""

    total: Count | None = None
    """The stated total number of clients; segments may overlap, so it may differ from their sum."""
    segments: list[Segment] = []
    """The client groups with their counts."""
    key_accounts: list[KeyAccount] = []
    """Clients looked after individually."""
    notes: Markdown | None = None
    """How the client base is organised and served."""


class Goal(Block):
    """A measurable goal: from a baseline to a target by a due date."""

    id: Slug
    """Short identifier that activities refer to, e.g. retention."""
    title: Text
    """What the goal is, e.g. 加大客户存量保有，避免客户流失."""
    metric: Text
    """What is measured, e.g. 客户流失率."""
    unit: Line | None = None
    """Unit of the metric, e.g. %, 户, 万元."""
    baseline: Number | None = None
    """The value at the start of the period."""
    target: Number
    """The value to reach by the due date."""
    direction: Direction | None = None
    """up if higher is better, down if lower is better; worked out from baseline and target when left out."""
    due: Date | None = None
    """When the target is due; the end of the plan period when left out."""
    milestones: dict[SubPeriod, Number] = {}
    """Interim targets per sub-period: keys Q1–Q4, H1/H2, M1–M12, 2027-06 or a date."""
    actuals: dict[SubPeriod, Number] = {}
    """Values reached so far, with the same kind of keys as milestones."""
    owner: Line | None = None
    """Who is responsible, if not the plan owner."""
    actions: list[Item] = []
    """How the goal will be reached."""

    @property
    def rising(self) -> bool:
        """Whether higher values are better (stated, or read off baseline and target)."""
        if self.direction:
            return self.direction == "up"
        return self.baseline is None or self.target >= self.baseline


class Program(Block):
    """One training programme."""

    title: Text
    """Name of the programme, e.g. 新任客户经理岗前培训."""
    audience: Line | None = None
    """Who takes part, e.g. 新任客户经理."""
    method: TrainingMethod | None = None
    """How it is taught: course (in-house course), mentoring, lecture (expert lecture),
    external (at another institution), study-tour, rotation (job rotation),
    product-briefing or self-study."""
    topics: list[Text] = []
    """What is taught."""
    objectives: list[Text] = []
    """What participants should know or be able to do afterwards."""
    hours: Number | None = None
    """Total hours per participant."""
    when: SpanField | None = None
    """When it takes place: a date, month, quarter or date range."""
    trainer: Line | None = None
    """Who teaches: a person, department or institution."""
    notes: Markdown | None = None
    """Anything else about the programme."""


class Training(Block):
    """The training programme."""

    summary: Markdown | None = None
    """Why training matters here (its standing in the organisation)."""
    purposes: list[Item] = []
    """What the training is for."""
    principles: list[Item] = []
    """Principles the training follows, e.g. 激励原则."""
    programs: list[Program] = []
    """The programmes, each for an audience."""


class Activity(Block):
    """A campaign, event or recurring action."""

    title: Text
    """What happens, e.g. 元旦社区宣传."""
    when: SpanField | None = None
    """A date, month, quarter or date range; leave out for an ongoing activity."""
    frequency: Line | None = None
    """How often, for recurring activities, e.g. 每月, irregularly."""
    where: list[Text] = []
    """Places, e.g. residential estates or branches."""
    products: list[Text] = []
    """Products or services promoted."""
    goal: Slug | None = None
    """The id of the goal this activity serves."""
    owner: Line | None = None
    """Who runs it, if not the plan owner."""
    notes: Markdown | None = None
    """Details in Markdown."""


class Criterion(Item):
    """How performance is assessed."""

    weight: Share | None = None
    """Share of the assessment, in percent."""


class Risk(Block):
    """Something that could go wrong, and what is done about it."""

    title: Text
    """The risk, e.g. 坏账风险."""
    detail: Markdown | None = None
    """How it could come about."""
    mitigation: Markdown | None = None
    """What is done to prevent or contain it."""


class Section(Block):
    """A free-form section, placed in the author's order."""

    title: Text
    """The section heading."""
    body: Markdown
    """The section text in Markdown."""


class Plan(Block):
    """A manager's work plan for one period."""

    id: PlanId | None = None
    """Identifier used for file names and links; the file name when left out. Not a name the
    site uses for its own pages, such as index or plans, nor one Windows keeps for a device,
    such as con or nul."""
    title: Text
    """Title of the plan, e.g. 青云西区域客户经理2027年工作计划."""
    period: SpanField
    """The period the plan covers."""
    language: Language | None = None
    """zh-CN or en; the project's default language when left out."""
    owner: Owner
    """Who the plan belongs to."""
    unit: Line | None = None
    """The team, branch or district, e.g. 青云西区域."""
    organization: Line | None = None
    """The organisation; the project's when left out."""
    status: Status = "draft"
    """draft, submitted or approved."""
    date: Date | None = None
    """The date the plan is signed, shown at its end."""
    tags: list[Text] = []
    """Free labels for finding and grouping plans."""
    summary: Markdown | None = None
    """Opening text: the situation and the theme for the period."""
    duties: list[Item] = []
    """Main duties (主要职责)."""
    clients: Clients | None = None
    """The client base: segments, counts and key accounts."""
    goals: list[Goal] = []
    """Measurable goals with targets and milestones."""
    training: Training | None = None
    """The training programme."""
    activities: list[Activity] = []
    """Campaigns, events and recurring actions."""
    assessment: list[Criterion] = []
    """How the work is assessed (考核)."""
    incentives: list[Item] = []
    """Rewards and penalties tied to the assessment."""
    risks: list[Risk] = []
    """Risks and how they are handled."""
    sections: list[Section] = []
    """Further free-form sections, in order."""


BLOCKS: tuple[type[Block], ...] = (
    Plan,
    Owner,
    Item,
    Clients,
    Segment,
    KeyAccount,
    Goal,
    Training,
    Program,
    Activity,
    Criterion,
    Risk,
    Section,
)
"""The models in the order the format reference documents them."""
