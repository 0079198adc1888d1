"""The plan format: every block a manager can write, its fields and their types.

Field names are English, values may be in any language. The docstring under
each field is its documentation: the JSON Schema that editors use and the
format reference in the README are both generated from it.

Keywords, periods and dates may be written the Chinese way too (status: 已提交,
period: 2027年上半年, due: 2027年3月31日): both spellings mean the same, and the
validated plan holds plangen's own (submitted, 2027-H1, 2027-03-31), so that
documents, the site and roll-ups read one form. Milestone keys (一季度, Q1) are
kept as written, so that problems can point at them, and read where they are
used. A value that is neither is refused with a message naming the forms of
the plan's language (:func:`written_in`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticKnownError

from .i18n import LANGUAGES, N_, _, language
from .i18n import Language as Language  # the languages plans are written in are those plangen speaks


def describe(value: Any) -> str:
    """A value as a manager would recognise it in an error message."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(_shortened(value), ensure_ascii=False)
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, (dt.date, dt.datetime)):
        return _("the date {date}").format(date=value.isoformat())
    return _shortened(str(value))


def _shortened(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _fail(kind: str, message: str, value: Any, hint: str | None = None, **values: Any) -> PydanticCustomError:
    """An error of *kind*: *message* (translated, with {got} for *value* and the other *values*
    named), then *hint*. Made whole here, so that braces in the value are taken as they are."""
    text = message.format(got=describe(value), **values)
    if hint:
        text = _("{problem} ({hint})").format(problem=text, hint=hint)
    return PydanticCustomError(kind, text)


# --- the language of the plan being read ------------------------------------

_WRITTEN_IN: ContextVar[Language | None] = ContextVar("written_in", default=None)


@contextmanager
def written_in(*languages: object) -> Iterator[None]:
    """Read values as written in a plan of the first of *languages* that is one (a plan's own
    ``language:`` may hold anything, so the project's follows it): messages made inside name the
    forms of that language. When none is, the language around stays; outside any, the reader's."""
    chosen = next((code for candidate in languages for code in LANGUAGES if code == candidate), None)
    token = _WRITTEN_IN.set(chosen or _WRITTEN_IN.get())
    try:
        yield
    finally:
        _WRITTEN_IN.reset(token)


def _plan_language() -> Language:
    """The language of the plan being read (see :func:`written_in`)."""
    return _WRITTEN_IN.get() or language()


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
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
"""Full-width letters, digits and signs (１２，３４５．５, ＠), as a Chinese input method types them, to
ASCII, one character for one (so positions in the text stay as they are)."""
_NUMBER_HINTS = tuple(
    (re.compile(pattern, re.IGNORECASE), hint)
    for pattern, hint in (
        (r"[-+]?0[0-9]+(?:\.[0-9]*)?", N_("write {bare}: a number does not start with 0")),
        (
            r"[-+]?[0-9]+(?:,[0-9]+)+(?:\.[0-9]*)?",
            N_("use a decimal point, e.g. 4.5; a comma only separates thousands"),
        ),
        (r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?", N_("write it without '_', e.g. 1000 or 1,000")),
        (r"[-+]?0[xob][0-9a-f_]+", N_("write the number in decimal digits")),
        (r"[-+]?[0-9]+(?::[0-9]+)+(?:\.[0-9]*)?", N_("write one number, e.g. 1.5 for an hour and a half")),
        (r"[-+]?\.?(?:inf|infinity|nan)", N_("infinity and NaN are not figures")),
        (
            r"(?:约|大约)?\s*[-+]?[0-9][0-9,]*(?:\.[0-9]+)?\s*[^\s0-9.,]+",
            N_("write the number alone: its unit goes under unit:, e.g. unit: 户 or unit: %"),
        ),
    )
)
"""Hints for forms YAML 1.1 reads as other numbers (0700 as 448, 1:30 as 90, 0x1F as 31,
1_000 as 1000), which plan files keep as written (yaml_source.py), and for near misses."""


def _number(value: Any, expected: str | None = None) -> int | float:
    """A figure: a number, or text written as one (1,000 or １２), that a float holds
    exactly (FIGURE_DIGITS); other forms get a hint, never another value. *expected* names
    what was expected (translated): a number unless said."""
    expected = expected or _("a number")
    whole = isinstance(value, int) and not isinstance(value, bool)
    if whole:
        exact = Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        exact = Decimal(repr(value))
    elif isinstance(value, str):
        written = value.strip().translate(FULL_WIDTH)
        if not _DECIMAL.fullmatch(written):
            hint = next((hint for pattern, hint in _NUMBER_HINTS if pattern.fullmatch(written)), None)
            bare = re.sub(r"^([-+]?)0+(?=[0-9])", r"\1", written)
            hint = hint and _(hint).format(bare=bare)
            raise _fail("number", _("expected {expected}, got {got}"), value, hint, expected=expected)
        exact = Decimal(written.replace(",", ""))
        whole = "." not in written and exact == exact.to_integral_value()
    else:
        raise _fail("number", _("expected {expected}, got {got}"), value, expected=expected)
    if exact.copy_abs() >= _FIGURE_LIMIT:
        message = _("expected {expected} with at most {digits} digits before the decimal point, got {got}")
        raise _fail("number", message, value, expected=expected, digits=FIGURE_DIGITS)
    if whole:
        return int(exact)
    number = float(exact)
    if Decimal(f"{number:.{FIGURE_DIGITS}g}") != exact:
        message = _("expected {expected} with at most {digits} significant digits, got {got}")
        raise _fail("number", message, value, _("round it"), expected=expected, digits=FIGURE_DIGITS)
    return number


def _at_least_zero(value: Any, expected: str | None = None) -> int | float:
    number = _number(value, expected)
    if number < 0:
        raise _fail("number", _("expected a number of 0 or more, got {got}"), value)
    return number


def _count(value: Any) -> int:
    expected = _("a whole number")
    number = _at_least_zero(value, expected)
    if number != int(number):
        raise _fail("number", _("expected {expected}, got {got}"), value, expected=expected)
    return int(number)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(_plangens_form(value))
        except ValueError:
            pass
    raise _fail("date", _("expected a real date written {date_format}, e.g. {date}, got {got}"), value, **_forms())


def read_date(value: Any) -> dt.date:
    """*value* as a date, written as a plan may write one (2027-07-15, 2027年7月15日); ValueError
    saying how to write it otherwise, for the command line's dates."""
    try:
        return _date(value)
    except PydanticCustomError as exc:
        raise ValueError(exc.message()) from None


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        message = _("expected text, got {got} (YAML reads true and false as yes-or-no values: put the text in quotes)")
        raise _fail("text", message, value)
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
# Plain text, never empty.
TEXT_LENGTH = 500
"""The most characters a name, title or place may have: the site's Markdown engine takes time
growing with the square of such a text's length, so a 60,000-character title would stall a
build for minutes. Long text belongs in Markdown fields, which are read in linear time."""
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_LENGTH), BeforeValidator(_text)
]
# A short text such as a name or a place.
Line = Annotated[str, StringConstraints(max_length=TEXT_LENGTH), BeforeValidator(_text)]
# Free text with Markdown formatting (paragraphs, **bold**, lists, tables, links).
Markdown = Annotated[
    str, BeforeValidator(_text), WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"})
]
# An identifier for file names and references, e.g. ``retention``.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]

SITE_NAMES = frozenset(
    {"index", "plans", "units", "orgs", "periods", "reviews", "changes", "calendar", "tags", "guide", "downloads",
     "assets", "pagefind", "sitemap", "404"}
)  # fmt: skip
"""The names of the site's own pages and folders: those site_writer.py writes (index, plans,
units, calendar and tags; plans/, units/, orgs/, periods/, reviews/, changes/, downloads/ and assets/), the
hand-written guide, what MkDocs adds (sitemap.xml, 404.html) and the search index (pagefind/).
test_site_writer.py checks the list against a built site."""
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})
"""Names Windows keeps for devices, in any case and with any extension (CON, con.docx)."""


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
"""Chinese characters (CJK Unified Ideographs and Extension A), as a regular-expression range."""
PLAN_ID_PATTERN = rf"^[a-z0-9{_HAN}][a-z0-9{_HAN}_-]{{0,63}}$"
"""A plan id: a slug, or a name in Chinese characters (王敏, 王敏-2027), as plan files are
often named. Every system plangen writes to takes these as file names and URLs (the site's
links to them are percent-encoded), and they have no upper and lower case that a file system
could fold together; ids are compared as written."""


def plan_id_problem(text: str) -> str | None:
    """Why *text* cannot be a plan id, if it cannot. A plan id names the plan's page and its
    Word and PDF files, so it must not be a name the site uses for its own pages (the plan's
    would take their place) or one Windows refuses for a file. Ids hold no dots, so Windows'
    rule that con.docx is taken too comes down to the id itself."""
    if not re.fullmatch(PLAN_ID_PATTERN, text):
        return _("an id is Chinese characters, lowercase letters, digits, '-' and '_'")
    if text in SITE_NAMES:
        return _("the site has a page or folder of that name")
    if text in WINDOWS_DEVICES:
        return _("Windows keeps that name for a device")
    return None


def _plan_id(value: str) -> str:
    problem = plan_id_problem(value)
    if problem:
        message = _("'{id}' cannot be a plan id: {problem}; choose another, e.g. qingyunxi-wangmin-2027")
        raise PydanticCustomError("plan_id", message.format(id=value, problem=problem))
    return value


PlanId = Annotated[
    str,
    AfterValidator(_plan_id),
    WithJsonSchema(
        {"type": "string", "pattern": PLAN_ID_PATTERN, "not": {"enum": sorted(SITE_NAMES | WINDOWS_DEVICES)}}
    ),
]


# --- periods and dates ------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of calendar time: a year, half, quarter, month, day or range."""

    start: dt.date
    end: dt.date
    text: str
    """The span as plangen writes it: 2027, 2027-H1, 2027-Q2, 2027-03, 2027-03-31 or start/end."""

    def __contains__(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


_SPAN_TEXT = re.compile(r"^(\d{4})(?:-(?:(H[12])|(Q[1-4])|(\d{2})))?$", re.IGNORECASE)
_CN_NUMBER = "[0-9]{1,2}|十[一二]?|[一二三四五六七八九]"
"""A number in a Chinese period, in digits or in characters: 3, 03, 三, 十二."""
_CN_NUMBERS = {**{digit: n for n, digit in enumerate("一二三四五六七八九", start=1)}, "十": 10, "十一": 11, "十二": 12}
_CN_PART = f"第?(?P<quarter>{_CN_NUMBER})季度|(?P<half>[上下])半年|(?P<month>{_CN_NUMBER})月"
"""A part of a year the Chinese way: a quarter (第二季度, 二季度, 2季度), half (上半年) or month (3月, 三月)."""
_CN_DAY = "(?P<day_month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日"
CN_SUB_PERIOD = re.compile(_CN_PART)
_CN_SPAN = re.compile(f"(?P<year>[0-9]{{4}})年度?(?:{_CN_PART}|(?P<part>[QqHh][0-9])|{_CN_DAY})?")
"""A period the Chinese way: 2027年 (2027年度), 2027年上半年, 2027年第二季度 (2027年Q2), 2027年3月, 2027年3月31日."""
_FORMS: dict[Language, dict[str, str]] = {
    "en": {
        "year": "2027",
        "half": "2027-H1",
        "quarter": "2027-Q2",
        "month": "2027-03",
        "date": "2027-03-31",
        "date_format": "YYYY-MM-DD",
        "quarters": "Q1–Q4",
        "halves": "H1/H2",
        "months": "M1–M12",
    },
    "zh-CN": {
        "year": "2027年",
        "half": "2027年上半年",
        "quarter": "2027年第二季度",
        "month": "2027年3月",
        "date": "2027年3月31日",
        "date_format": "YYYY年M月D日",
        "quarters": "一季度–四季度",
        "halves": "上半年/下半年",
        "months": "1月–12月",
    },
}
"""Periods and dates as a plan of each language writes them, for the messages that ask for one."""


def _forms() -> dict[str, str]:
    return _FORMS[_plan_language()]


def _cn_number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_NUMBERS[text]


def _plangens_part(match: re.Match[str]) -> str | None:
    """The part of a year matched by _CN_PART as plangen writes it (Q2, H1, M3), if one was."""
    if match["quarter"]:
        return f"Q{_cn_number(match['quarter'])}"
    if match["half"]:
        return "H1" if match["half"] == "上" else "H2"
    if match["month"]:
        return f"M{_cn_number(match['month'])}"
    return None


def _plangens_form(text: str) -> str:
    """A period or date written the Chinese way (2027年上半年, 2027年3月31日) as plangen
    writes it (2027-H1, 2027-03-31); anything else as it is, less spaces and full-width letters."""
    text = text.strip().translate(FULL_WIDTH)
    match = _CN_SPAN.fullmatch(text)
    if match is None:
        return text
    year = match["year"]
    if match["day"]:
        return f"{year}-{int(match['day_month']):02d}-{int(match['day']):02d}"
    part = _plangens_part(match) or match["part"]
    if part is None:
        return year
    return f"{year}-{int(part[1:]):02d}" if part[0] == "M" else f"{year}-{part.upper()}"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_span(value: Any) -> Span:
    """Read a period or 'when' value; raises ValueError saying what was expected, in the
    forms of the plan's language."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2999:
        return Span(dt.date(value, 1, 1), dt.date(value, 12, 31), str(value))
    if isinstance(value, (dt.date, dt.datetime)):
        day = _date(value)
        return Span(day, day, day.isoformat())
    if isinstance(value, dict):
        return _range(value)
    if isinstance(value, str):
        text = _plangens_form(value).upper()
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
    message = _(
        "expected a year ({year}), half ({half}), quarter ({quarter}), month ({month}), date ({date}) or {range}, "
        "got {got}"
    )
    raise ValueError(message.format(**_forms(), range="{start: …, end: …}", got=describe(value)))


def _range(value: dict[Any, Any]) -> Span:
    unknown = set(value) - {"start", "end"}
    if unknown or not {"start", "end"} <= set(value):
        keys = ", ".join(map(str, value))
        raise ValueError(_("a date range needs exactly start: and end:, got keys {keys}").format(keys=keys))
    try:
        start, end = _date(value["start"]), _date(value["end"])
    except PydanticCustomError as exc:
        raise ValueError(_("{problem} in a date range").format(problem=exc.message())) from None
    if end < start:
        raise ValueError(_("the range ends ({end}) before it starts ({start})").format(end=end, start=start))
    return Span(start, end, f"{start.isoformat()}/{end.isoformat()}")


def _span(value: Any) -> Span:
    try:
        return parse_span(value)
    except ValueError as exc:
        raise PydanticCustomError("span", str(exc)) from None


def schema_pattern(regex: re.Pattern[str]) -> str:
    """*regex* as a JSON Schema pattern, which has no named groups."""
    return re.sub(r"\?P<\w+>", "", regex.pattern)


_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": f"^[0-9]{{4}}年{schema_pattern(re.compile(_CN_DAY))}$"},
    ]
}
Date = Annotated[dt.date, PlainValidator(_date), PlainSerializer(dt.date.isoformat), WithJsonSchema(_DATE_SCHEMA)]
_SPAN_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1900, "maximum": 2999},
        {  # a year, half, quarter or month, with digits as parse_span reads them (full-width too)
            "type": "string",
            "pattern": r"^\s*(?![0０]{4})[0-9０-９]{4}"
            r"(-([Hh][12１２]|[Qq][1-4１-４]|[0０][1-9１-９]|[1１][0-2０-２]))?\s*$",
        },
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": f"^{schema_pattern(_CN_SPAN)}$"},  # the Chinese forms
        {
            "type": "object",
            "properties": {"start": _DATE_SCHEMA, "end": _DATE_SCHEMA},
            "required": ["start", "end"],
            "additionalProperties": False,
        },
    ],
    "description": "A period of time: a year (2027, 2027年), half (2027-H1, 2027年上半年), quarter (2027-Q2, "
    "2027年第二季度), month (2027-03, 2027年3月), date (2027-03-31, 2027年3月31日) or {start: …, end: …}.",
}


def _span_data(span: Span) -> Any:
    """A span as it would be written in a plan file (and read back the same)."""
    if "/" in span.text:
        return {"start": span.start.isoformat(), "end": span.end.isoformat()}
    return int(span.text) if span.text.isdigit() else span.text


SpanField = Annotated[Span, PlainValidator(_span), PlainSerializer(_span_data), WithJsonSchema(_SPAN_SCHEMA)]

_SUB_PERIOD = re.compile(r"^(?:(H[12])|(Q[1-4])|M(\d{1,2}))$", re.IGNORECASE)


def sub_period_help() -> str:
    """The keys milestones and actuals take, as a plan in the language being read writes them."""
    return _("{quarters}, {halves}, {months}, {quarter}, {month} or a date").format(**_forms())


def resolve_sub_period(key: str, period: Span) -> Span:
    """Read a milestone key such as ``Q2`` or ``二季度`` against the plan period's year."""
    text = key.strip().translate(FULL_WIDTH)
    chinese = CN_SUB_PERIOD.fullmatch(text)
    match = _SUB_PERIOD.match((chinese and _plangens_part(chinese)) or text)
    year = period.start.year
    if match:
        text = f"{year:04d}-{match[1] or match[2]}" if not match[3] else f"{year:04d}-{int(match[3]):02d}"
        return parse_span(text)
    return parse_span(key)


def _key_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, int)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


SubPeriod = Annotated[str, BeforeValidator(_key_text)]

CHINESE_NAMES: dict[str, tuple[str, ...]] = {
    "draft": ("草稿",),
    "submitted": ("已提交", "待审批"),
    "approved": ("已批准", "已审批"),
    "up": ("上升", "提高", "提升", "增加"),
    "down": ("下降", "降低", "减少"),
    "course": ("内训", "课程", "内部培训班"),
    "mentoring": ("师带徒", "导师辅导", "以老带新"),
    "lecture": ("专家讲座", "讲座"),
    "external": ("外出培训", "外部培训", "外部机构培训"),
    "study-tour": ("考察学习", "参观考察"),
    "rotation": ("轮岗", "跟岗", "跟班轮岗"),
    "product-briefing": ("产品培训", "产品说明会", "新产品推介"),
    "self-study": ("自学",),
    "planned": ("计划中", "计划", "未开始"),
    "done": ("已完成", "完成"),
    "cancelled": ("已取消", "取消"),
    "daily": ("每天", "每日"),
    "weekly": ("每周", "每星期"),
    "monthly": ("每月",),
    "quarterly": ("每季度", "每季"),
    "half-yearly": ("每半年",),
    "yearly": ("每年",),
    "irregular": ("不定期",),
    "continuous": ("长期", "全年", "持续"),
}
"""The Chinese names of plangen's keywords (status, direction, training method), each meaning
the keyword; messages give the first. The built-in labels documents print for them
(templates/labels/zh-CN.yml) are among them, so that what a document says can be written."""


def _keyword(words: Any) -> PlainValidator:
    """A keyword of the Literal *words*, or a Chinese name for one, read as the keyword; a value
    that is neither is refused naming the forms of the plan's language."""
    english: tuple[str, ...] = get_args(words)
    names = {word: word for word in english} | {name: word for word in english for name in CHINESE_NAMES[word]}

    def read(value: Any) -> str:
        word = names.get(value.strip()) if isinstance(value, str) else None
        if word is None:
            shown = [CHINESE_NAMES[word][0] for word in english] if _plan_language() == "zh-CN" else english
            quoted = [f"'{name}'" for name in shown]
            raise PydanticKnownError("literal_error", {"expected": f"{', '.join(quoted[:-1])} or {quoted[-1]}"})
        return word

    return PlainValidator(read, json_schema_input_type=Literal[tuple(names)])


_Statuses = Literal["draft", "submitted", "approved"]
Status = Annotated[_Statuses, _keyword(_Statuses)]
_Directions = Literal["up", "down"]
Direction = Annotated[_Directions, _keyword(_Directions)]
_TrainingMethods = Literal[
    "course", "mentoring", "lecture", "external", "study-tour", "rotation", "product-briefing", "self-study"
]
TrainingMethod = Annotated[_TrainingMethods, _keyword(_TrainingMethods)]
_States = Literal["planned", "done", "cancelled"]
State = Annotated[_States, _keyword(_States)]
_Frequencies = Literal["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly", "irregular", "continuous"]
Frequency = Annotated[_Frequencies, _keyword(_Frequencies)]


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
    """Who the plan belongs to: a person, or the head of the unit whose plan it is."""

    name: Text
    """Full name, e.g. 王敏."""
    title: Line | None = None
    """Job title, e.g. 客户经理."""
    email: Line | None = None
    """E-mail address."""
    phone: Line | None = None
    """Phone number."""


class Member(Owner):
    """Someone else whose work the plan covers, in a plan of a unit or team."""

    role: Line | None = None
    """What they do in this plan, e.g. 负责商铺客户."""


_FIGURE_CHARACTERS = "[0-9０-９,，.．]+"
_APPROXIMATE = re.compile(
    rf"\s*(?:(?:约|大约|~|[Aa]bout\s+)\s*(?P<before>{_FIGURE_CHARACTERS})\s*户?|(?P<after>{_FIGURE_CHARACTERS})\s*户?\s*左右)\s*"
)
"""A count written as approximate: 约9300, 大约9300, 9300左右, 19630户左右, ~9300, about 9300."""


def _approximate(data: Any) -> Any:
    """A block whose count is written as approximate (9300左右) read as the count and approximate: true."""
    if isinstance(data, dict):
        key = "count" if "count" in data else "total"
        match = _APPROXIMATE.fullmatch(data[key]) if isinstance(data.get(key), str) else None
        if match:
            return {**data, key: match["before"] or match["after"], "approximate": True}
    return data


ApproximateCount = Annotated[
    int,
    PlainValidator(_count),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, **_BELOW_LIMIT},
                {"type": "string", "pattern": f"^{schema_pattern(_APPROXIMATE)}$"},
            ]
        }
    ),
]
"""A count, which may be written as approximate (see :func:`_approximate`)."""


class Segment(Block):
    """A group of clients counted together."""

    name: Text
    """Segment name, e.g. 宽带用户."""
    count: ApproximateCount
    """Number of clients (households, accounts) in the segment; 9300左右 or 约9300 is read as 9300 with
    approximate: true."""
    approximate: bool = False
    """Whether the count is approximate (左右, 约): it is printed as such, and so is any sum it is part of."""
    unit: Line | None = None
    """What the count counts when it is not clients, e.g. 栋 for buildings. Such a segment is shown with
    its unit and is not added to the client total."""
    service: Line | None = None
    """Service promised to every client of the segment."""
    notes: Markdown | None = None
    """Anything to say about the segment."""

    _approximate = model_validator(mode="before")(_approximate)


class ClientClass(Block):
    """A class of clients that is served in its own way, counted or not, e.g. 高端客户."""

    name: Text
    """The class, e.g. 高端客户."""
    service: Line | None = None
    """The service promised to its clients, e.g. 24小时保姆式服务."""
    notes: Markdown | None = None
    """Who belongs to it, and anything else about it."""


class Difference(Block):
    """A difference between the stated total and the segments' sum that a person has checked."""

    amount: int
    """The segments' sum less the stated total, as it was checked, e.g. 290 (or -290 when the total
    is larger). While the figures give this amount, validation says nothing of it; when they change,
    it warns again."""
    reason: Markdown
    """Why the figures differ, e.g. 各客户群之间有重叠."""
    show: bool = True
    """Whether the reason is printed under the client table; false keeps it in the plan file only."""


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

    total: ApproximateCount | None = None
    """The stated total number of clients; segments may overlap, so it may differ from their sum."""
    approximate: bool = False
    """Whether the stated total is approximate (19630户左右)."""
    difference: Difference | None = None
    """A known difference between the total and the segments' sum, acknowledged with its reason."""
    segments: list[Segment] = []
    """The client groups with their counts."""
    classes: list[ClientClass] = []
    """Classes of clients with a service of their own, e.g. 高端客户: 24小时保姆式服务."""
    key_accounts: list[KeyAccount] = []
    """Clients looked after individually."""
    notes: Markdown | None = None
    """How the client base is organised and served."""

    _approximate = model_validator(mode="before")(_approximate)

    @property
    def summed(self) -> int:
        """The segments' counts added up, of those that count clients (no other unit)."""
        return sum(s.count for s in self.segments if s.unit is None)

    @property
    def summed_approximate(self) -> bool:
        """Whether :attr:`summed` adds any approximate count."""
        return any(s.approximate for s in self.segments if s.unit is None)


class Measured(Block):
    """The fields a measure has, none of them required: a goal's own measure, if any, is written in
    them (see Measure, Goal)."""

    metric: Text | None = None
    """What is measured, e.g. 客户流失率."""
    unit: Line | None = None
    """Unit of the metric, e.g. %, 户, 万元."""
    baseline: Number | None = None
    """The value at the start of the period."""
    target: Number | None = None
    """The value to reach by the due date."""
    direction: Direction | None = None
    """up if higher is better, down if lower is better (in Chinese 上升, 提高, 提升 or 增加; 下降, 降低 or
    减少); worked out from baseline and target when left out."""
    due: Date | None = None
    """When the target is due; the end of the plan period when left out."""
    milestones: dict[SubPeriod, Number] = {}
    """Interim targets per sub-period: keys Q1–Q4 (一季度–四季度, 第一季度), H1/H2 (上半年/下半年),
    M1–M12 (1月–12月, 一月), a period such as 2027-06 (2027年6月) or a date."""
    actuals: dict[SubPeriod, Number] = {}
    """Values reached so far, with the same kind of keys as milestones."""

    @property
    def rising(self) -> bool:
        """Whether higher values are better (stated, or read off baseline and target)."""
        if self.direction:
            return self.direction == "up"
        return self.baseline is None or self.target is None or self.target >= self.baseline


class Measure(Measured):
    """One measure of a goal that has several: a metric, its target, and the rest as in a goal."""

    metric: Text
    """What is measured, e.g. 客户满意度."""
    target: Number
    """The value to reach by the due date."""


def _goal_schema(schema: dict[str, Any]) -> None:
    """What checks.py asks of a goal's own measure, for editors: whole (metric and target) or
    absent, and never beside measures."""
    fields = [name for name in Measured.model_fields if name != "metric"]
    schema["dependentRequired"] = {"metric": ["target"], **{name: ["metric"] for name in fields}}
    schema["if"] = {"required": ["measures"], "properties": {"measures": {"minItems": 1}}}
    schema["then"] = {"not": {"anyOf": [{"required": [name]} for name in ["metric", *fields]]}}


def _plan_schema(schema: dict[str, Any]) -> None:
    """What checks.py asks of a plan that is no longer a draft, for editors: an owner and a period."""
    settled = [name for word in ("submitted", "approved") for name in (word, *CHINESE_NAMES[word])]
    schema["if"] = {"required": ["status"], "properties": {"status": {"enum": settled}}}
    schema["then"] = {"required": ["owner", "period"]}


class Goal(Measured):
    """A goal: measurable (a metric from a baseline to a target by a due date, or several measures),
    or not (a title, and detail saying what is meant)."""

    model_config = ConfigDict(json_schema_extra=_goal_schema)

    id: Slug
    """Short identifier that activities refer to, e.g. retention."""
    title: Text
    """What the goal is, e.g. 加大客户存量保有，避免客户流失."""
    detail: Markdown | None = None
    """What is meant, in Markdown: all a goal without figures says about itself."""
    measures: list[Measure] = []
    """Several measures of the goal, each with its metric and target, when one metric is not enough;
    a goal has either its own metric and target or measures, not both."""
    owner: Line | None = None
    """Who is responsible, if not the plan owner."""
    actions: list[Item] = []
    """How the goal will be reached."""

    @property
    def measured(self) -> list[Measure]:
        """The goal's measures: its own metric and target, or those under measures; none for a goal
        without figures."""
        if self.metric is not None and self.target is not None:
            own = {name: getattr(self, name) for name in Measured.model_fields}
            return [Measure.model_construct(**own)]
        return list(self.measures)


class Program(Block):
    """One training programme."""

    title: Text
    """Name of the programme, e.g. 新任客户经理岗前培训."""
    audience: Line | None = None
    """Who takes part, e.g. 新任客户经理."""
    method: TrainingMethod | None = None
    """How it is taught: course (in-house course; 内训, 课程), mentoring (师带徒, 导师辅导),
    lecture (expert lecture; 专家讲座, 讲座), external (at another institution; 外出培训, 外部培训),
    study-tour (考察学习, 参观考察), rotation (job rotation; 轮岗, 跟岗), product-briefing (产品培训,
    产品说明会) or self-study (自学)."""
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
    status: State = "planned"
    """planned, done or cancelled (计划中, 已完成, 已取消)."""
    delivered: Number | None = None
    """Hours per participant delivered so far, for the review."""
    notes: Markdown | None = None
    """Anything else about the programme."""


class Content(Block):
    """What training covers for one audience, and the qualities expected of it."""

    audience: Text
    """Who it is for, e.g. 新任客户经理."""
    detail: Markdown | None = None
    """Why and how, in Markdown."""
    topics: list[Text] = []
    """What is taught, e.g. 银行有关的法律."""
    qualities: list[Text] = []
    """Qualities expected of this audience, e.g. 具有丰富的实践经验."""


class Training(Block):
    """The training programme."""

    summary: Markdown | None = None
    """Why training matters here (its standing in the organisation)."""
    purposes: list[Item] = []
    """What the training is for."""
    principles: list[Item] = []
    """Principles the training follows, e.g. 激励原则."""
    methods: list[Item] = []
    """The ways training is given, e.g. 银行内部举办专业培训班, 到其它业务部门接受短期培训."""
    contents: list[Content] = []
    """What training covers, per audience (全体客户经理, 新任客户经理, 高级客户经理)."""
    programs: list[Program] = []
    """Scheduled programmes, each with its audience, hours and dates."""


class Activity(Block):
    """A campaign, event or recurring action."""

    title: Text
    """What happens, e.g. 元旦社区宣传."""
    when: SpanField | None = None
    """A date, month, quarter or date range; leave out for an ongoing or recurring activity."""
    frequency: Frequency | None = None
    """How often a recurring activity happens: daily, weekly, monthly, quarterly, half-yearly, yearly,
    irregular or continuous (每天, 每周, 每月, 每季度, 每半年, 每年, 不定期, 长期)."""
    status: State = "planned"
    """planned, done or cancelled (计划中, 已完成, 已取消)."""
    outcome: Markdown | None = None
    """What came of it, once done."""
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


class Review(Block):
    """The manager's own account of one period of the plan, for the review document."""

    achieved: Markdown | None = None
    """What was achieved (完成情况)."""
    problems: Markdown | None = None
    """Problems met (存在问题)."""
    next_steps: Markdown | None = None
    """What comes next (下步措施)."""


class Section(Block):
    """A free-form section, placed in the author's order."""

    title: Text
    """The section heading."""
    body: Markdown
    """The section text in Markdown."""


class Plan(Block):
    """A manager's work plan for one period."""

    model_config = ConfigDict(json_schema_extra=_plan_schema)

    id: PlanId | None = None
    """Identifier used for file names and links; the file name when left out (plans/2027/王敏.yml:
    王敏). Chinese characters, lowercase letters, digits, - and _; not a name the site uses for its
    own pages, such as index or plans, nor one Windows keeps for a device, such as con or nul."""
    title: Text
    """Title of the plan, e.g. 青云西区域客户经理2027年工作计划."""
    period: SpanField | None = None
    """The period the plan covers; a draft may leave it out while the year is not known."""
    language: Language | None = None
    """zh-CN or en; the project's default language when left out."""
    owner: Owner | None = None
    """Who the plan belongs to; a draft may leave it out while that is not known."""
    members: list[Member] = []
    """The others whose work the plan covers, in a plan of a unit or team."""
    unit: Line | None = None
    """The team, branch or district, e.g. 青云西区域."""
    organization: Line | None = None
    """The organisation; the project's when left out."""
    status: Status = "draft"
    """draft, submitted or approved; in Chinese 草稿, 已提交 (待审批) or 已批准 (已审批)."""
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
    reviews: dict[SubPeriod, Review] = {}
    """The manager's account of each period under way or past, for the review document: keys as for
    milestones (Q1, 上半年, 2027-06)."""

    @model_validator(mode="wrap")
    @classmethod
    def _in_its_language(cls, data: Any, handler: ModelWrapValidatorHandler[Plan]) -> Plan:
        """Messages about the plan's values name the forms of the language it is written in."""
        with written_in(data.get("language") if isinstance(data, dict) else None):
            return handler(data)


BLOCKS: tuple[type[Block], ...] = (
    Plan,
    Owner,
    Member,
    Item,
    Clients,
    Segment,
    ClientClass,
    Difference,
    KeyAccount,
    Goal,
    Measure,
    Training,
    Content,
    Program,
    Activity,
    Criterion,
    Risk,
    Section,
    Review,
)
"""The models in the order the format reference documents them."""
