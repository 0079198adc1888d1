"""Derive what the templates print from a validated plan: labels, formatted
figures and dates, totals, shares and goal progress.

One context serves every writer, so the Word document and the site say the
same thing in the same words. Everything here is a pure function of the plan
and the labels.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import string
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from .errors import InvalidFile, Problem
from .i18n import _
from .model import (
    FIGURE_DIGITS,
    Activity,
    Clients,
    Goal,
    Language,
    Measure,
    Member,
    Plan,
    Program,
    Span,
    describe,
    parse_span,
    resolve_sub_period,
)
from .settings import BUILTIN_TEMPLATES
from .validation import did_you_mean
from .yaml_source import FieldPath, Source, display_path, read_source

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_CN_DIGITS = "零一二三四五六七八九"
WIDE_CHARACTERS = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
"""Chinese characters and full-width punctuation, as a regular-expression character range."""
WIDE = re.compile(f"[{WIDE_CHARACTERS}]")
"""A Chinese character or full-width punctuation: about one em wide, where other characters are about half."""
SHARED_PUNCTUATION = "\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u2025\u2026\u203b"
"""Punctuation Chinese shares with Latin text (· — ― ‘ ’ “ ” ‥ … ※): Chinese text wants it from its
own font, Latin text from the Latin font, where it is narrower; so it is not :data:`WIDE`."""
EAST_ASIAN = re.compile(f"[{WIDE_CHARACTERS}{SHARED_PUNCTUATION}]")
"""A Chinese character or punctuation mark, shared ones included: what Chinese text sets in its own font."""


def half_widths(text: str, wide: re.Pattern[str] = WIDE) -> int:
    """How wide *text* is in halves of a Chinese character (a terminal's columns): what *wide*
    finds (a Chinese character or full-width mark) takes two, anything else one."""
    return len(text) + len(wide.findall(text))


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十; from 10,000 on, digits."""
    if n < 10:
        return _CN_DIGITS[n]
    if n >= 10_000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + (
                "" if (digit == 1 and unit == "十" and not out) else _CN_DIGITS[digit]
            )
            out += unit
            zero = False
        else:
            zero = True
    return out


def load_labels(project_templates: Path, language: Language) -> dict[str, Any]:
    """The built-in labels of *language*, with the project's own file laid over them.

    The project's file may hold only labels plangen has, each text (or, for a
    mapping such as the statuses, some of its keys), using none but the built-in
    label's {placeholders}: a mistake there is an error on its line, not a
    failure halfway through a build.
    """
    labels: dict[str, Any] = _read_labels(BUILTIN_TEMPLATES / "labels" / f"{language}.yml").data
    path = project_templates / "labels" / f"{language}.yml"
    if not os.path.lexists(path):
        return labels
    source = _read_labels(path, within=project_templates.parent)
    problems = [p for key, value in source.data.items() for p in _label_problems(source, (key,), value, labels)]
    if problems:
        raise InvalidFile(problems)
    return labels | {
        key: labels[key] | value if isinstance(value, dict) else value for key, value in source.data.items()
    }


def _read_labels(path: Path, within: Path | None = None) -> Source:
    source = read_source(path, display_path(path), within=within)
    if source.problems:
        raise InvalidFile(source.problems)
    if not isinstance(source.data, dict):
        message = _("expected a mapping of labels, got {got}").format(got=describe(source.data))
        raise InvalidFile([source.problem((), message)])
    return source


def _label_problems(source: Source, path: FieldPath, value: Any, builtin: dict[str, Any]) -> list[Problem]:
    """What is wrong with a project's label *value* at *path*, against the built-in labels
    (or mapping of labels) it overrides one of."""
    key = path[-1]
    if key not in builtin:
        message = _("unknown label '{key}'{suggestion}").format(key=key, suggestion=did_you_mean(key, list(builtin)))
        return [source.problem(path, message, at_key=True)]
    if isinstance(builtin[key], dict):
        if not isinstance(value, dict):
            message = _("expected a mapping of {keys}, got {got}")
            return [source.problem(path, message.format(keys=", ".join(builtin[key]), got=describe(value)))]
        return [p for k, v in value.items() for p in _label_problems(source, (*path, k), v, builtin[key])]
    if not isinstance(value, str):
        return [source.problem(path, _("expected text, got {got}").format(got=describe(value)))]
    allowed = _placeholders(builtin[key])
    if not allowed:  # a label without placeholders is printed as it is: braces are just text
        return []
    try:
        used = _placeholders(value)
    except ValueError:  # Python's words for it, such as "Single '}' encountered in format string"
        return [
            source.problem(path, _("a brace that opens or closes no placeholder; write {{ and }} for a brace itself"))
        ]
    if not used <= allowed:
        unknown = ", ".join(f"{{{name}}}" for name in sorted(used - allowed))
        known = ", ".join(f"{{{name}}}" for name in sorted(allowed))
        message = _("unknown placeholder {unknown}; this label can use {known}")
        return [source.problem(path, message.format(unknown=unknown, known=known))]
    return []


def _placeholders(text: str) -> set[str]:
    """The {placeholders} of a label that is filled in with str.format, each written as such
    (a conversion, format or index is taken as part of its name, and so as unknown)."""
    found = set()
    for _text, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            found.add(name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
    return found


class Labels:
    """The labels of each language for one project, each read once (when first asked for)."""

    def __init__(self, project_templates: Path) -> None:
        self.project_templates = project_templates
        self.read: dict[Language, dict[str, Any]] = {}

    def __getitem__(self, language: Language) -> dict[str, Any]:
        if language not in self.read:
            self.read[language] = load_labels(self.project_templates, language)
        return self.read[language]


def format_number(value: float) -> str:
    """19630 → 19,630; 4.5 → 4.5; 3.0 → 3; 0.00001 → 0.00001; never in exponent notation.

    A figure has at most 15 significant digits (model.FIGURE_DIGITS), so it prints as
    written; rounding there also takes off what adding floats leaves (0.1 + 0.2 → 0.3).
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{Decimal(f'{value:.{FIGURE_DIGITS}g}'):,f}"


def format_date(day: dt.date, language: Language) -> str:
    if language == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_span(span: Span, language: Language) -> str:
    """How a period reads in running text: 2027年第一季度, Q1 2027, 2027年3月1日至4月30日."""
    zh = language == "zh-CN"
    year = span.start.year
    if re.fullmatch(r"\d{4}", span.text):
        return f"{year}年" if zh else str(year)
    if match := re.fullmatch(r"\d{4}-([HQ])(\d)", span.text):
        part, n = match[1], int(match[2])
        if zh:
            return f"{year}年{('上半年', '下半年')[n - 1]}" if part == "H" else f"{year}年第{chinese_number(n)}季度"
        return f"{part}{n} {year}"
    if re.fullmatch(r"\d{4}-\d{2}", span.text):
        return f"{year}年{span.start.month}月" if zh else f"{MONTHS[span.start.month - 1]} {year}"
    if span.start == span.end:
        return format_date(span.start, language)
    start, end = format_date(span.start, language), format_date(span.end, language)
    if zh:
        same_year = span.end.year == year
        return f"{start}至{end[5:] if same_year else end}"
    if span.end.year == year:
        start = start.rsplit(" ", 1)[0]
    return f"{start} – {end}"


@dataclass(frozen=True)
class Figure:
    """A value with its unit, as printed."""

    value: float
    unit: str | None

    def __str__(self) -> str:
        text = format_number(self.value)
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit == "%" or not self.unit.isascii() else f"{text} {self.unit}"


Standing = Literal["behind", "on_track", "no_actual", "not_due"]
STANDINGS: tuple[Standing, ...] = ("behind", "on_track", "no_actual", "not_due")
"""Where a goal can stand, in the order the site lists goals: those behind first."""


@dataclass(frozen=True)
class GoalStanding:
    """Where a goal stands on a date: its latest value against the one planned for then."""

    standing: Standing
    actual: tuple[str, float] | None
    """The latest value recorded by the date, with its key as written."""
    expected: tuple[str, float] | None
    """The milestone it is measured against, with its key (the due date for the target)."""
    shortfall: float
    """How far behind, as a share of the way from baseline to target (of the expected value when
    there is no such way): comparable across goals of any unit. 0 unless behind."""


@dataclass(frozen=True)
class GoalView:
    """One measure of a goal, as printed: a goal with several has a view for each."""

    goal: Goal
    measure: Measure
    anchor: str
    """The id of its row on the site: goal-<id>, then goal-<id>-2 for a goal's second measure."""
    baseline: Figure | None
    target: Figure
    direction: str
    due: str
    milestones: list[tuple[str, Figure]]
    standing: GoalStanding
    actual: tuple[str, Figure] | None
    """The latest recorded value and its sub-period."""
    expected: tuple[str, Figure] | None
    """The value planned for the latest actual's sub-period and when it was due."""
    progress: float | None
    """Share of the way from baseline to target reached by the latest actual, 0 to 1."""
    on_track: bool | None
    """Whether the latest actual meets the value planned for it (None: no actual, or nothing due by then)."""
    verdict: str
    """on_track as words ("on track", "behind"), empty when unknown."""


@dataclass(frozen=True)
class ProgramView:
    program: Program
    method: str
    when: str


@dataclass(frozen=True)
class ActivityView:
    activity: Activity
    when: str
    goal: str
    status: str


@dataclass(frozen=True)
class SegmentView:
    name: str
    count: str
    """With the segment's unit when it counts something other than clients."""
    share: str
    """Of the stated total, else of the segments' sum; empty for a segment not counting clients."""
    service: str | None
    notes: str | None


@dataclass(frozen=True)
class ClientsView:
    segments: list[SegmentView]
    summed: str
    """The client-counting segments added up, approximate when any of them is."""
    summed_share: str
    """``summed`` as a share of the stated total."""
    stated: str | None
    """The plan's stated total, when it differs from ``summed``: both are shown, and explained only
    in the author's words (an acknowledged difference's reason, when it is to be shown)."""
    reason: str | None
    """Why the total differs from the sum, as the author wrote it, when it is to be shown."""
    excluded: list[str]
    """Segments counted in another unit, which ``summed`` leaves out."""


def sub_period_label(key: str, period: Span, language: Language) -> str:
    """A milestone's sub-period as the document's language names one: Q1 / 一季度, H1 / 上半年, whichever
    way the key is written (Q1, 一季度, 第一季度); other keys as the period they name."""
    span = resolve_sub_period(key, period)
    part = re.fullmatch(r"\d{4}-([QH])(\d)", span.text)
    if part is None or re.match(r"\s*[0-9０-９]{4}", key):  # not a quarter or half, or one named with its year
        return format_span(span, language)
    if language != "zh-CN":
        return part[1] + part[2]
    n = int(part[2])
    return f"{chinese_number(n)}季度" if part[1] == "Q" else ("上半年", "下半年")[n - 1]


def _by_sub_period(values: dict[str, float], period: Span) -> list[tuple[Span, str, float]]:
    """*values* by sub-period, ordered by when each ends (then starts): keys compared as the
    periods they name, so 一季度 and Q1 are one."""
    dated = [(resolve_sub_period(key, period), key, value) for key, value in values.items()]
    return sorted(dated, key=lambda d: (d[0].end, d[0].start))


def planned(goal: Measure, period: Span) -> list[tuple[Span, str, float]]:
    """The values *goal*, of a plan for *period*, plans to reach, by when each is due: its
    milestones, then its target on its due date (the end of the period unless it says), unless
    a milestone is due then. The target's key is that date."""
    values = _by_sub_period(goal.milestones, period)
    due = goal.due or period.end
    if not values or values[-1][0].end < due:
        values.append((Span(due, due, due.isoformat()), due.isoformat(), goal.target))
    return values


def recorded(goal: Measure, period: Span, as_of: dt.date | None = None) -> list[tuple[Span, str, float]]:
    """The actuals of *goal*, of a plan for *period*, whose sub-period has begun by *as_of*
    (None: all of them), by when each ends."""
    return [a for a in _by_sub_period(goal.actuals, period) if as_of is None or a[0].start <= as_of]


def goal_standing(goal: Measure, period: Span, as_of: dt.date | None = None) -> GoalStanding:
    """Where *goal*, of a plan for *period*, stands on *as_of* (None: with every value recorded).

    Its latest actual whose sub-period has begun by then is measured against the milestone due
    last by the end of that sub-period and by *as_of*: for a quarter under way, the one due
    before it. The target is a last milestone, due on the goal's due date, unless one is due then.
    An actual older than a milestone due by *as_of* says nothing of it: the goal has no actual
    for what is due (the missing actual the review lists, and validate warns of).
    """
    actuals = recorded(goal, period, as_of)
    values = planned(goal, period)
    due = [m for m in values if as_of is not None and m[0].end <= as_of]
    if not actuals:
        return GoalStanding("no_actual", None, None, 0.0)
    span, key, value = actuals[-1]
    if due and span.end < due[-1][0].end:
        return GoalStanding("no_actual", (key, value), (due[-1][1], due[-1][2]), 0.0)
    by = span.end if as_of is None else min(span.end, as_of)
    reached = [m for m in values if m[0].end <= by]
    if not reached:
        return GoalStanding("not_due", (key, value), None, 0.0)
    _span, expected_key, expected = reached[-1]
    gap = expected - value if goal.rising else value - expected
    if gap <= 0:
        return GoalStanding("on_track", (key, value), (expected_key, expected), 0.0)
    way = abs(goal.target - goal.baseline) if goal.baseline is not None else 0.0
    return GoalStanding("behind", (key, value), (expected_key, expected), gap / (way or abs(expected) or 1.0))


def plan_period(plan: Plan) -> Span:
    """The plan's period, for reading what only a plan with one can have (checks.py sees to it):
    milestones, actuals, reviews and targets due at its end. A plan without one stands in a
    period of its own day, so that nothing is read against a year it never named."""
    if plan.period is not None:
        return plan.period
    day = plan.date or dt.date.min
    return Span(day, day, "")


def goal_views(
    goal: Goal, plan: Plan, labels: dict[str, Any], language: Language, as_of: dt.date | None
) -> list[GoalView]:
    """A view of each of *goal*'s measures; none for a goal without figures."""
    return [
        _goal_view(goal, measure, f"goal-{goal.id}" + (f"-{n}" if n > 1 else ""), plan, labels, language, as_of)
        for n, measure in enumerate(goal.measured, start=1)
    ]


def _goal_view(
    goal: Goal,
    measure: Measure,
    anchor: str,
    plan: Plan,
    labels: dict[str, Any],
    language: Language,
    as_of: dt.date | None,
) -> GoalView:
    period = plan_period(plan)

    def figure(value: float) -> Figure:
        return Figure(value, measure.unit)

    def dated(pair: tuple[str, float] | None) -> tuple[str, Figure] | None:
        return (sub_period_label(pair[0], period, language), figure(pair[1])) if pair else None

    standing = goal_standing(measure, period, as_of)
    on_track = {"on_track": True, "behind": False}.get(standing.standing)
    progress = None
    if standing.actual and measure.baseline is not None and measure.target != measure.baseline:
        progress = max(0.0, min(1.0, (standing.actual[1] - measure.baseline) / (measure.target - measure.baseline)))
    return GoalView(
        goal=goal,
        measure=measure,
        anchor=anchor,
        baseline=None if measure.baseline is None else figure(measure.baseline),
        target=figure(measure.target),
        direction=labels["up"] if measure.rising else labels["down"],
        due=format_date(measure.due or period.end, language),
        milestones=[
            (sub_period_label(key, period, language), figure(value))
            for _span, key, value in _by_sub_period(measure.milestones, period)
        ],
        standing=standing,
        actual=dated(standing.actual),
        expected=dated(standing.expected),
        progress=progress,
        on_track=on_track,
        verdict="" if on_track is None else labels["on_track" if on_track else "behind"],
    )


def count_text(count: int, approximate: bool, labels: dict[str, Any]) -> str:
    """A count as printed: 19,630, or 约19,630 (about 19,630) where it is approximate."""
    text = format_number(count)
    return str(labels["approximately"]).format(count=text) if approximate else text


def _clients_view(clients: Clients | None, labels: dict[str, Any]) -> ClientsView | None:
    if clients is None or not clients.segments:
        return None
    summed = clients.summed
    base = clients.total or summed
    segments = [
        SegmentView(
            s.name,
            count_text(s.count, s.approximate, labels) + (s.unit or ""),
            "" if s.unit else f"{100 * s.count / base:.1f}%" if base else "—",
            s.service,
            s.notes,
        )
        for s in clients.segments
    ]
    stated = clients.total if clients.total is not None and clients.total != summed else None
    share = f"{100 * summed / (stated or summed):.1f}%" if stated or (stated is None and summed) else "—"
    if clients.approximate or any(s.approximate for s in clients.segments):  # no share to a tenth of 约 figures
        segments = [dataclasses.replace(s, share="") for s in segments]
        share = ""
    difference = clients.difference
    return ClientsView(
        segments,
        count_text(summed, clients.summed_approximate, labels),
        share,
        None if stated is None else count_text(stated, clients.approximate, labels),
        difference.reason if difference and difference.show and stated is not None else None,
        [s.name for s in clients.segments if s.unit],
    )


def _activity_when(activity: Activity, labels: dict[str, Any], language: Language) -> str:
    """When an activity happens: its dates, its rhythm, or both; one planned with neither runs all
    period, and of one done or cancelled without them nothing is known."""
    frequency = labels["frequencies"][activity.frequency] if activity.frequency else None
    if activity.when and frequency:
        both: str = labels["when_with_frequency"]
        return both.format(when=format_span(activity.when, language), frequency=frequency)
    if activity.when:
        return format_span(activity.when, language)
    return frequency or (labels["ongoing"] if activity.status == "planned" else "")


def plan_context(
    plan: Plan, labels: dict[str, Any], as_of: dt.date | None = None, redacted: Collection[str] = ()
) -> dict[str, Any]:
    """Everything a plan template may print; ``plan`` itself is there too. Goals stand as of
    *as_of* (the site's date), or with every value recorded (a document, which has no date).
    *redacted* says what was left out of *plan* (redaction.py), so the key accounts of a plan
    without their names are told as a count rather than a table of stubs."""
    language: Language = plan.language or "zh-CN"
    goal_titles = {g.id: g.title for g in plan.goals}
    measured = {g.id: goal_views(g, plan, labels, language, as_of) for g in plan.goals}
    programs = plan.training.programs if plan.training else []
    activities = plan.activities  # in the author's order; the site's calendar orders by date
    return {
        "plan": plan,
        "redacted": list(redacted),
        "L": labels,
        "language": language,
        "period": format_span(plan.period, language) if plan.period else None,
        "author": author(plan),
        "members": labels["list_separator"].join(_member(m, labels) for m in plan.members),
        "date": format_date(plan.date, language) if plan.date else None,
        "status": labels["statuses"][plan.status],
        "clients": _clients_view(plan.clients, labels),
        "goals": [view for views in measured.values() for view in views],
        "measured": measured,
        "qualitative": [g for g in plan.goals if not measured[g.id]],
        "programs": [
            ProgramView(
                p, labels["methods"][p.method] if p.method else "", format_span(p.when, language) if p.when else ""
            )
            for p in programs
        ],
        # A total only when every programme has its hours: a partial sum would read as the whole.
        "training_hours": (
            format_number(sum(p.hours or 0 for p in programs))
            if programs and all(p.hours is not None for p in programs)
            else None
        ),
        "activities": [
            ActivityView(
                a,
                _activity_when(a, labels, language),
                goal_titles.get(a.goal or "", ""),
                labels["states"][a.status],
            )
            for a in activities
        ],
    }


# --- across plans: the site's dashboard, roll-ups and calendar ----------------


@dataclass(frozen=True)
class Dated:
    """Something on the calendar: an activity or a training programme of a plan."""

    start: dt.date
    end: dt.date
    when: str
    title: str
    kind: str
    """``activity`` or ``training``."""
    plan: Plan


T = TypeVar("T")
K = TypeVar("K")
N = TypeVar("N", int, float)


def _member(member: Member, labels: dict[str, Any]) -> str:
    """A team member as the plan's header lists them: 李强（客户经理、负责政企客户）."""
    details = labels["list_separator"].join(filter(None, [member.title, member.role]))
    return str(labels["member_with_role"]).format(name=member.name, role=details) if details else member.name


def author(plan: Plan) -> str:
    """Whose plan it is, as listed: its owner, else its unit (a draft may not name its owner yet)."""
    return plan.owner.name if plan.owner else (plan.unit or plan.organization or "—")


def unit_key(plan: Plan) -> str:
    """How plans group into units for roll-ups: organisation and unit."""
    return " · ".join(filter(None, [plan.organization, plan.unit])) or "—"


def grouped(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """*items* by *key*, each group in the order given, the groups in the order they first come."""
    groups: dict[K, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def named_period(span: Span) -> Span:
    """The period *span* covers, by its shortest name: what roll-ups group plans by. Plans for
    2027, 2027年 and {start: 2027-01-01, end: 2027-12-31} cover one period, 2027; a plan for
    2027-H1 covers another, whose figures are never added to the year's."""
    year = span.start.year
    for text in (
        str(year),
        f"{year}-H1",
        f"{year}-H2",
        *(f"{year}-Q{q}" for q in range(1, 5)),
        f"{year}-{span.start.month:02d}",
    ):
        named = parse_span(text)
        if (named.start, named.end) == (span.start, span.end):
            return named
    return span


def newest_first(period: Span) -> tuple[int, dt.date]:
    """A sort key for periods: the latest ending first, and of those the longest."""
    return -period.end.toordinal(), period.start


def segment_totals(plans: list[Plan]) -> list[tuple[str, int, bool]]:
    """Client counts per segment name, summed across plans (of one period and organisation),
    largest first, each with whether it adds an approximate count; segments counted in another
    unit (buildings) are no client counts and are left out."""
    totals: dict[str, tuple[int, bool]] = {}
    for plan in plans:
        for segment in plan.clients.segments if plan.clients else []:
            if segment.unit is None:
                count, approximate = totals.get(segment.name, (0, False))
                totals[segment.name] = (count + segment.count, approximate or segment.approximate)
    return sorted(
        ((name, count, approximate) for name, (count, approximate) in totals.items()), key=lambda t: (-t[1], t[0])
    )


@dataclass(frozen=True)
class ClientTotal:
    """The clients of some plans of one period and organisation."""

    plans: int
    counted: int
    """How many of the plans give clients: a stated total, or segments counting clients."""
    clients: int | None
    """Each plan's stated total, or its segments' sum where it states none, added up; None when no plan gives any."""
    summed: int | None
    """The client-counting segments of the plans added up (segments may overlap); None when no plan has one."""
    difference: int | None
    """The segments' sums less the stated totals of the same plans (as validate and an acknowledged
    difference's amount count it); None unless some plan gives both."""
    approximate: bool = False
    """Whether ``clients`` adds an approximate count (19630户左右)."""
    summed_approximate: bool = False
    """Whether ``summed`` adds an approximate count."""


def client_total(plans: Sequence[Plan]) -> ClientTotal:
    """The clients of *plans* (of one period and organisation): the stated total of a plan counts
    where it gives one, since its segments may overlap; segments in another unit (栋) never count."""
    counts: list[int] = []
    sums: list[int] = []
    differences: list[int] = []
    approximate = summed_approximate = False
    for plan in plans:
        clients = plan.clients
        stated = clients.total if clients else None
        summed = clients.summed if clients and any(s.unit is None for s in clients.segments) else None
        if clients and summed is not None:
            sums.append(summed)
            summed_approximate |= clients.summed_approximate
            if stated is not None:
                differences.append(summed - stated)
        if clients and (count := summed if stated is None else stated) is not None:
            counts.append(count)
            approximate |= clients.summed_approximate if stated is None else clients.approximate
    return ClientTotal(
        len(plans), len(counts), _total(counts), _total(sums), _total(differences), approximate, summed_approximate
    )


def _total(values: list[N]) -> N | None:
    """The sum of *values*, None for no values (no data, which is not 0)."""
    return sum(values) if values else None


@dataclass(frozen=True)
class HoursTotal:
    """The training hours (per participant) of some plans of one period and organisation."""

    hours: float | None
    """Over every programme that gives its hours; None when none does."""
    programs: int
    counted: int
    """How many programmes give their hours."""


def training_hours(plans: Sequence[Plan]) -> HoursTotal:
    """The training hours of *plans*: a programme without hours adds none but is counted, so that a
    partial sum can say it is one."""
    programs = [p for plan in plans for p in (plan.training.programs if plan.training else [])]
    hours = [p.hours for p in programs if p.hours is not None]
    return HoursTotal(_total(hours), len(programs), len(hours))


@dataclass(frozen=True)
class GoalCounts:
    """How many goals stand where (see :data:`STANDINGS`)."""

    goals: int
    """Measures of goals with figures, each of which stands somewhere."""
    qualitative: int
    """Goals without figures, which stand nowhere and are counted apart."""
    behind: int
    on_track: int
    no_actual: int
    not_due: int


@dataclass(frozen=True)
class Rollup:
    """What an overview page shows of some plans of one period (and one organisation, when it adds up clients)."""

    plans: int
    statuses: dict[str, int]
    clients: ClientTotal
    hours: HoursTotal
    goals: GoalCounts


def rollup(plans: Sequence[Plan], standings: Iterable[GoalStanding]) -> Rollup:
    """The figures of *plans*, whose goals stand as *standings* say."""
    where = [s.standing for s in standings]
    return Rollup(
        len(plans),
        {status: sum(p.status == status for p in plans) for status in ("draft", "submitted", "approved")},
        client_total(plans),
        training_hours(plans),
        GoalCounts(
            goals=len(where),
            qualitative=sum(not goal.measured for plan in plans for goal in plan.goals),
            **{standing: where.count(standing) for standing in STANDINGS},
        ),
    )


def behind_first(goals: Iterable[tuple[T, GoalView]]) -> list[tuple[T, GoalView]]:
    """Goals (each with what it belongs to) in the order the site lists them: behind, the
    furthest behind first, then on track, without actuals, with nothing due yet."""
    return sorted(goals, key=lambda pair: (STANDINGS.index(pair[1].standing.standing), -pair[1].standing.shortfall))


def most_behind(goals: Iterable[tuple[T, GoalView]], count: int | None = None) -> list[tuple[T, GoalView]]:
    """The *count* goals furthest behind (all that are behind, with None)."""
    return [pair for pair in behind_first(goals) if pair[1].standing.standing == "behind"][:count]


def calendar(plans: list[Plan], language: Language) -> list[Dated]:
    """Every dated activity and training programme, in date order."""
    entries = []
    for plan in plans:
        # what was cancelled is not on the calendar, nor coming up
        dated = [(a.when, a.title, "activity") for a in plan.activities if a.status != "cancelled"]
        programs = plan.training.programs if plan.training else []
        dated += [(p.when, p.title, "training") for p in programs if p.status != "cancelled"]
        for span, title, kind in dated:
            if span:
                entries.append(Dated(span.start, span.end, format_span(span, language), title, kind, plan))
    return sorted(entries, key=lambda e: (e.start, e.end, e.title, e.plan.id or ""))


def months(entries: list[Dated], language: Language) -> list[tuple[str, list[Dated]]]:
    """Calendar entries grouped by the month they start in."""
    grouped: dict[tuple[int, int], list[Dated]] = {}
    for entry in entries:
        grouped.setdefault((entry.start.year, entry.start.month), []).append(entry)
    return [
        (format_span(Span(dt.date(y, m, 1), dt.date(y, m, 1), f"{y}-{m:02d}"), language), items)
        for (y, m), items in sorted(grouped.items())
    ]


def recurring(plans: list[Plan]) -> list[tuple[Plan, list[Activity]]]:
    """Each plan's activities without dates that recur or run all period (weekly, irregular,
    all year), which the calendar's months cannot show; plans without such activities are left
    out. One done or cancelled without a date or rhythm happened once, nobody knows when."""
    found = [
        (
            plan,
            [
                a
                for a in plan.activities
                if a.when is None and a.status != "cancelled" and (a.frequency or a.status == "planned")
            ],
        )
        for plan in plans
    ]
    return [(plan, activities) for plan, activities in found if activities]


def horizon(today: dt.date, weeks: int) -> dt.date:
    """The last day *weeks* weeks from *today*, or the end of the calendar, should that come first."""
    return today + dt.timedelta(days=min(7 * weeks, (dt.date.max - today).days))


def upcoming(entries: list[Dated], today: dt.date, weeks: int) -> list[Dated]:
    """Entries running at any time from *today* to :func:`horizon`."""
    last = horizon(today, weeks)
    return [e for e in entries if e.end >= today and e.start <= last]
