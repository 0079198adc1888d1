"""A plan's review: where it stands on a date against what it planned, from the plan alone.

The review of a plan as of a day (``plangen review --as-of``, by default today), or
for a period of it (``--period 2027-Q2``: as of the last day of that period),
holds, for each measure of each goal, the baseline, the target, the value the
latest actual is measured against, that actual, the variance between them and a
status; the actuals missing for milestones already due; the activities done
against those due; the training hours delivered against those planned; and the
manager's own account (``reviews:``) of the periods it covers. It is a pure
function of the validated plan, the labels and the date, like :mod:`.context`,
whose goal standings it reads: the review and the site never disagree about a
goal.

How a measure stands on the day, from its latest actual whose sub-period has
begun by then (see :func:`~plangen.context.goal_standing`):

``no_data``
    no actual is recorded for a sub-period begun by the day, or none for the last
    milestone due by then or later (the latest is older: it is shown, not judged).
``behind``
    the actual falls short of the value it is measured against: the milestone due
    last by the end of the actual's sub-period and by the day (the target, on the
    goal's due date, is the last milestone).
``ahead``
    the actual meets that value and also a later one that is better than it (a
    later milestone or the target, higher for a goal that goes up, lower for one
    that goes down): it is where the plan wanted it only later. When nothing was
    due by then, an actual that already meets a planned value better than the
    baseline is ahead.
``on_track``
    otherwise: the actual meets the value it is measured against, or nothing was
    due yet and it meets no planned value.

The variance is the actual less the value it is measured against, in the
measure's unit (-0.4% for a retention rate 0.4 points short), whatever the
direction: the status says whether it is good. A milestone (or the target) due
by the day with no actual recorded for its sub-period or a later one is a
missing actual, listed on its own: the standing is then that of an older value.

Activities count as due when their dates have ended by the day and they are not
cancelled, or when they are done (early, or without a date), so that those done
are never more than those due; those due still planned are overdue. Training
hours are per participant: a programme delivers what its ``delivered`` says, or
all its hours once it is done; hours of cancelled programmes are not planned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .context import (
    ActivityView,
    Figure,
    GoalView,
    ProgramView,
    format_date,
    format_number,
    format_span,
    plan_context,
    plan_period,
    planned,
    recorded,
    sub_period_label,
)
from .errors import PlangenError
from .i18n import _
from .model import Language, Measure, Plan, Review, Span, parse_span, resolve_sub_period

ReviewStatus = Literal["ahead", "on_track", "behind", "no_data"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("ahead", "on_track", "behind", "no_data")
"""Where a measure can stand in a review, in the order the review counts them."""


@dataclass(frozen=True)
class ReviewDate:
    """What a review is as of: a day, and the period it reports on when one was asked for."""

    day: dt.date
    period: Span | None = None

    @property
    def key(self) -> str:
        """What the review's document depends on besides the plan, for the build cache."""
        return f"review as of {self.day.isoformat()}" + (f" for {self.period.text}" if self.period else "")


def review_date(as_of: dt.date | None = None, period: str | None = None, today: dt.date | None = None) -> ReviewDate:
    """The review as of *as_of*, or for *period* (as of its last day: 2027-Q2, 2027年上半年,
    2027-06), else as of *today* (the real one when None). Both is an error."""
    if as_of is not None and period is not None:
        raise PlangenError(_("give --as-of or --period, not both"))
    if period is not None:
        try:
            span = parse_span(period.strip())
        except ValueError as exc:
            raise PlangenError(_("--period: {problem}").format(problem=exc)) from None
        return ReviewDate(span.end, span)
    return ReviewDate(as_of or today or dt.date.today())


def unreviewable(plan: Plan, when: ReviewDate) -> str | None:
    """Why *plan* has no review for *when*, if it has none: it names no period (a draft's
    figures have no dates to stand on), or not one that holds *when*'s period."""
    if plan.period is None:
        return _("the plan names no period yet, so it has nothing to review")
    if when.period is None:
        return None
    if when.period not in plan.period:
        message = _("{period} is outside the plan's period ({plan_period}): choose a period within it")
        return message.format(period=when.period.text, plan_period=plan.period.text)
    return None


@dataclass(frozen=True)
class Missing:
    """A planned value due by the review's day for which no actual is recorded, for then or later."""

    when: str
    """The sub-period, as the document's language names it (三季度, Q3), or the due date of the target."""
    value: Figure
    due: str
    """The day it was due, as printed."""


@dataclass(frozen=True)
class MeasureReview:
    """One measure of a goal in a review (a goal with several has one for each)."""

    view: GoalView
    """The measure as the plan document and the site print it, standing as of the review's day."""
    expected: tuple[str, Figure] | None
    """What the actual is measured against; without an actual, the value due last by the day."""
    actual: tuple[str, Figure] | None
    variance: float | None
    """The actual less the value it is measured against, exactly as written (90.6 - 91 is -0.4)."""
    variance_text: str
    """The variance with its sign and unit, e.g. -0.4% or +40 k USD; empty without one."""
    status: ReviewStatus
    missing: list[Missing]
    progress: float | None
    """Share of the way from baseline to target the actual has come, 0 to 1 (None: unknown)."""
    planned_progress: float | None
    """Share of the way the value it is measured against stands at, 0 to 1."""

    @property
    def percent(self) -> str:
        """:attr:`progress` in whole percent, e.g. 63%; empty when unknown."""
        return "" if self.progress is None else f"{round(100 * self.progress)}%"

    @property
    def bar(self) -> str:
        """:attr:`progress` and :attr:`planned_progress` in thousandths, as the Word chart reads a
        bar (630/850, or 630/ with nothing planned yet); empty when progress is unknown."""
        if self.progress is None:
            return ""
        planned_part = "" if self.planned_progress is None else str(round(1000 * self.planned_progress))
        return f"{round(1000 * self.progress)}/{planned_part}"


@dataclass(frozen=True)
class ActivityCounts:
    """The plan's activities on the review's day."""

    planned: int
    """In the plan, cancelled ones included."""
    due: int
    """Not cancelled, with dates that ended by the day."""
    done: int
    """Marked done, due or not."""
    cancelled: int
    overdue: int
    """Due and not marked done."""


@dataclass(frozen=True)
class ProgramReview:
    view: ProgramView
    planned: float | None
    """Hours per participant the programme plans; None when it gives none."""
    delivered: float
    due: bool
    """Whether its dates ended by the day."""
    status: str


@dataclass(frozen=True)
class TrainingReview:
    programs: list[ProgramReview]
    planned: float
    """Hours of the programmes not cancelled, of those that give them."""
    due: float
    """Of those, the hours of programmes whose dates ended by the day."""
    delivered: float


@dataclass(frozen=True)
class Narrative:
    """The manager's account of one period (完成情况, 存在问题, 下步措施)."""

    label: str
    review: Review


def exact(value: float) -> Decimal:
    """A figure as written (a float holds it exactly to 15 digits: model.FIGURE_DIGITS)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _meets(value: float, planned_value: float, rising: bool) -> bool:
    return value >= planned_value if rising else value <= planned_value


def _better(value: float, than: float, rising: bool) -> bool:
    return value > than if rising else value < than


def _share(value: float, measure: Measure) -> float | None:
    """How far *value* is along the way from the measure's baseline to its target, 0 to 1."""
    if measure.baseline is None or measure.target == measure.baseline:
        return None
    return max(0.0, min(1.0, (value - measure.baseline) / (measure.target - measure.baseline)))


def measure_review(view: GoalView, period: Span, day: dt.date, language: Language) -> MeasureReview:
    """*view* (standing as of *day*, of a plan for *period*) as the review shows it: see the
    module's docstring for what each status means."""
    measure = view.measure
    standing = view.standing
    values = planned(measure, period)
    due = [value for value in values if value[0].end <= day]
    latest = recorded(measure, period, day)
    last_recorded = latest[-1][0].end if latest else None

    def label(key: str) -> str:
        return sub_period_label(key, period, language)

    missing = [
        Missing(label(key), Figure(value, measure.unit), format_date(span.end, language))
        for span, key, value in due
        if last_recorded is None or last_recorded < span.end
    ]
    variance = None
    status: ReviewStatus
    if standing.actual is None or standing.standing == "no_actual":  # none, or none for what is due
        status = "no_data"
        expected = (label(due[-1][1]), Figure(due[-1][2], measure.unit)) if due else None
    else:
        value = standing.actual[1]
        expected = view.expected
        if standing.expected is not None:
            variance = float(exact(value) - exact(standing.expected[1]))
            reference: tuple[dt.date, float] | None = (
                next(span.end for span, key, _v in values if key == standing.expected[0]),
                standing.expected[1],
            )
        else:
            reference = (period.start, measure.baseline) if measure.baseline is not None else None
        if standing.standing == "behind":
            status = "behind"
        else:
            later = [v for span, _key, v in values if reference is None or span.end > reference[0]]
            better = [v for v in later if reference is None or _better(v, reference[1], measure.rising)]
            status = "ahead" if any(_meets(value, v, measure.rising) for v in better) else "on_track"
    sign = "+" if variance is not None and variance > 0 else ""
    return MeasureReview(
        view=view,
        expected=expected,
        actual=view.actual,
        variance=variance,
        variance_text="" if variance is None else sign + str(Figure(variance, measure.unit)),
        status=status,
        missing=missing,
        progress=view.progress,
        planned_progress=_share(standing.expected[1], measure) if standing.expected else None,
    )


def activity_counts(plan: Plan, day: dt.date) -> ActivityCounts:
    """The plan's activities counted as of *day* (see the module's docstring)."""
    activities = plan.activities
    # due: ended by the day, or done already (an activity done early counts among those due)
    due = [a for a in activities if a.status == "done" or (a.status != "cancelled" and a.when and a.when.end <= day)]
    return ActivityCounts(
        planned=len(activities),
        due=len(due),
        done=sum(a.status == "done" for a in due),
        cancelled=sum(a.status == "cancelled" for a in activities),
        overdue=sum(a.status == "planned" for a in due),
    )


def _reviewed_activity(view: ActivityView, day: dt.date) -> bool:
    """Whether the review lists the activity: begun by the day, recurring, or no longer just planned."""
    activity = view.activity
    return activity.when is None or activity.when.start <= day or activity.status != "planned" or bool(activity.outcome)


def training_review(programs: list[ProgramView], labels: dict[str, Any], day: dt.date) -> TrainingReview:
    """Training hours planned, due by *day* and delivered (see the module's docstring)."""
    reviewed = []
    for view in programs:
        program = view.program
        delivered = program.delivered
        if delivered is None:
            delivered = (program.hours or 0) if program.status == "done" else 0
        due = program.when is not None and program.when.end <= day
        reviewed.append(ProgramReview(view, program.hours, delivered, due, labels["states"][program.status]))
    counted = [p for p in reviewed if p.view.program.status != "cancelled" and p.planned is not None]
    return TrainingReview(
        programs=reviewed,
        planned=float(sum(exact(p.planned or 0) for p in counted)),
        due=float(sum(exact(p.planned or 0) for p in counted if p.due)),
        delivered=float(sum(exact(p.delivered) for p in reviewed)),
    )


def narratives(plan: Plan, when: ReviewDate, language: Language) -> list[Narrative]:
    """The manager's accounts the review shows, by when their periods end (of two ending together,
    the shorter first: the second quarter, then the half-year): for a period, those of the periods
    within it; as of a day, those of the periods begun by then (ended, or under way)."""
    period = plan_period(plan)
    found = []
    for key, review in plan.reviews.items():
        span = resolve_sub_period(key, period)
        shown = span in when.period if when.period is not None else span.start <= when.day
        if shown:
            found.append((span.end, -span.start.toordinal(), Narrative(format_span(span, language), review)))
    return [narrative for _end, _start, narrative in sorted(found, key=lambda f: (f[0], f[1]))]


def review_context(plan: Plan, labels: dict[str, Any], when: ReviewDate) -> dict[str, Any]:
    """Everything a review template may print: the plan's context (:func:`~plangen.context.plan_context`)
    as of the review's day, and the review's own figures."""
    context = plan_context(plan, labels, when.day)
    language: Language = context["language"]
    period = plan_period(plan)
    rows = [measure_review(view, period, when.day, language) for view in context["goals"]]
    counts = {status: sum(row.status == status for row in rows) for status in REVIEW_STATUSES}
    training = training_review(context["programs"], labels, when.day)
    return {
        **context,
        "review_title": labels["review_title"].format(title=plan.title),
        "as_of": format_date(when.day, language),
        "reviewed_period": format_span(when.period, language) if when.period else None,
        "date": format_date(when.day, language),
        "rows": rows,
        "charted": [row for row in rows if row.progress is not None],
        "counts": counts,
        "status_names": {status: labels["review_statuses"][status] for status in REVIEW_STATUSES},
        "missing": [(row, missing) for row in rows for missing in row.missing],
        "activity_counts": activity_counts(plan, when.day),
        "reviewed_activities": [view for view in context["activities"] if _reviewed_activity(view, when.day)],
        "training": training,
        "training_figures": {
            "planned": format_number(training.planned),
            "due": format_number(training.due),
            "delivered": format_number(training.delivered),
        },
        "narratives": narratives(plan, when, language),
    }
