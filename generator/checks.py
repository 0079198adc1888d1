"""Checks across fields and files that the format alone cannot express.

Each check is a pure function of validated plans; the source is only asked
where a field was written. Figures that may legitimately disagree (client
segments overlap) give warnings, contradictions give errors.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING

from .context import format_number, planned, recorded
from .errors import Problem
from .i18n import N_, _
from .model import Goal, Measure, Measured, Plan, Span, resolve_sub_period, sub_period_help
from .validation import did_you_mean
from .yaml_source import Source

if TYPE_CHECKING:
    from .loading import LoadedPlan


def check_plan(plan: Plan, source: Source, skip: Collection[str] = (), today: dt.date | None = None) -> list[Problem]:
    """All cross-field checks of one plan, but those that read one of the top-level
    keys in *skip* (which had format errors, and were left out or stood in for); with
    *today*, also what is overdue by then."""
    problems = [problem for check, reads in _CHECKS if not reads.intersection(skip) for problem in check(plan, source)]
    if today is not None and not {"goals", "period"}.intersection(skip):
        problems += _overdue(plan, source, today)
    return problems


def check_unique_ids(plans: Sequence[LoadedPlan]) -> list[Problem]:
    """Plan ids name output files and pages, so two plans may not share one. Each of them is
    told which files the others are; the caller builds none of them, so that no document or
    download can go out under another manager's plan."""
    sharing: dict[str, list[LoadedPlan]] = {}
    for loaded in plans:
        sharing.setdefault(loaded.id, []).append(loaded)
    return [
        loaded.source.problem(
            ("id",),
            _(
                "plan id '{id}' is also used by {files}; ids must be unique, and plans that share one are not "
                "built: give one of them an id of its own (for example id: {suggested}) or another file name"
            ).format(
                id=plan_id,
                files=", ".join(o.source.file for o in group if o is not loaded),
                suggested=f"{plan_id}-{period.start.year}" if (period := loaded.plan.period) else f"{plan_id}-2",
            ),
        )
        for plan_id, group in sharing.items()
        if len(group) > 1
        for loaded in group
    ]


def _settled(plan: Plan, source: Source) -> Iterator[Problem]:
    """A plan goes out under a name and for a period: a draft may leave them out, no other may."""
    if plan.status == "draft":
        return
    if plan.owner is None:
        message = _(
            "a plan that is no longer a draft names its owner: add owner: with name: (the person, or the head of "
            "the unit), or keep status: draft until it is known"
        )
        yield source.problem(("status",), message)
    if plan.period is None:
        message = _("a plan that is no longer a draft names its period: add period: (e.g. 2027), or keep status: draft")
        yield source.problem(("status",), message)


def _client_total(plan: Plan, source: Source) -> Iterator[Problem]:
    clients = plan.clients
    if clients is None:
        return
    if clients.total is None or not any(s.unit is None for s in clients.segments):
        if clients.difference is not None:
            message = _("there is no difference to acknowledge: it needs a stated total and segments counting clients")
            yield source.problem(("clients", "difference"), message, "warning")
        return
    summed = clients.summed
    acknowledged = clients.difference
    if acknowledged is not None:
        if summed - clients.total != acknowledged.amount:
            message = _(
                "the segments' sum less the stated total is now {now}, not {amount} as acknowledged; check the "
                "figures, then write amount: {now}"
            )
            now = summed - clients.total  # as it is to be written: no thousands separator
            yield source.problem(
                ("clients", "difference", "amount"), message.format(now=now, amount=acknowledged.amount), "warning"
            )
        return
    if summed != clients.total:
        message = _(
            "the stated total {total} differs from the sum of the segments, {summed} ({difference}); segments may "
            "overlap, but check the figures; once they are right, acknowledge it with difference: amount: {amount} "
            "and reason:"
        )
        yield source.problem(
            ("clients", "total"),
            message.format(
                total=format_number(clients.total),
                summed=format_number(summed),
                difference=f"{summed - clients.total:+,}",
                amount=summed - clients.total,
            ),
            "warning",
        )


def _goals(plan: Plan, source: Source) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, goal in enumerate(plan.goals):
        at = ("goals", index)
        if goal.id in seen:
            message = _("goal id '{id}' is already used by goals[{index}]; ids must be unique")
            yield source.problem((*at, "id"), message.format(id=goal.id, index=seen[goal.id]))
        seen.setdefault(goal.id, index)
        yield from _measure_fields(goal, source, at)
        for measure, where in _measures_at(goal, at):
            yield from _direction(measure, source, where)
            for key in ("milestones", "actuals"):
                yield from _sub_periods(getattr(measure, key), plan.period, source, (*where, key))
            if plan.period is not None:
                yield from _milestone_order(measure, plan.period, source, where)
            elif measure.due is None:
                message = _(
                    "the target falls due at the end of the plan's period, which this plan has not got: add due: "
                    "(a date) or period:"
                )
                yield source.problem((*where, "target"), message)


def _measures_at(goal: Goal, at: tuple[object, ...]) -> list[tuple[Measure, tuple[object, ...]]]:
    """The measures of *goal* (at *at*), each with where it is written."""
    if goal.measures:
        return [(measure, (*at, "measures", j)) for j, measure in enumerate(goal.measures)]
    return [(measure, at) for measure in goal.measured]


def _measure_fields(goal: Goal, source: Source, at: tuple[object, ...]) -> Iterator[Problem]:
    """A goal's own measure is whole (metric and target), or absent; never beside measures."""
    written = [name for name in Measured.model_fields if name in goal.model_fields_set]
    if goal.measures and written:
        message = _(
            "a goal with measures: writes {field} in each measure, not in the goal; move it under measures, or "
            "leave out measures"
        )
        yield from (source.problem((*at, name), message.format(field=name)) for name in written)
    elif goal.metric is None and goal.target is not None:
        message = _("a target needs its metric: add metric: (what is measured, e.g. 客户流失率)")
        yield source.problem((*at, "target"), message)
    elif goal.metric is not None and goal.target is None:
        message = _("a goal with a metric needs its target: add target: (the value to reach)")
        # a target: line left empty by a slip ('#' starting a comment) says why
        yield source.slip((*at, "target")) or source.problem((*at, "metric"), message)
    elif goal.metric is None:
        message = _(
            "{field} belongs to a measured goal: add metric: and target:, or leave it out for a goal without figures"
        )
        yield from (source.problem((*at, name), message.format(field=name)) for name in written)


def _direction(goal: Measure, source: Source, at: tuple[object, ...]) -> Iterator[Problem]:
    if goal.direction is None or goal.baseline is None or goal.baseline == goal.target:
        return
    if goal.rising != (goal.target > goal.baseline):
        if goal.target < goal.baseline:
            message = _("the direction is {direction}, but the target ({target}) is below the baseline ({baseline})")
        else:
            message = _("the direction is {direction}, but the target ({target}) is above the baseline ({baseline})")
        figures = {"target": format_number(goal.target), "baseline": format_number(goal.baseline)}
        yield source.problem((*at, "direction"), message.format(direction=goal.direction, **figures), "warning")


def _sub_periods(
    values: Collection[str], period: Span | None, source: Source, at: tuple[object, ...]
) -> Iterator[Problem]:
    for key in values:
        if period is None:
            message = _("'{key}' is read against the plan's period, which this plan has not got: add period:")
            yield source.problem((*at, key), message.format(key=key), at_key=True)
            continue
        try:
            span = resolve_sub_period(key, period)
        except ValueError:
            message = _("'{key}' is not a sub-period; use {forms}").format(key=key, forms=sub_period_help())
            yield source.problem((*at, key), message, at_key=True)
            continue
        if span not in period:
            if span.text == key:
                message = _("'{key}' lies outside the plan period {period}")
            else:
                message = _("'{key}' ({span}) lies outside the plan period {period}")
            message = message.format(key=key, span=span.text, period=period.text)
            yield source.problem((*at, key), message, "warning", at_key=True)


def _milestone_order(goal: Measure, period: Span, source: Source, at: tuple[object, ...]) -> Iterator[Problem]:
    """Milestones should move from the baseline towards the target, never back."""
    try:
        dated = sorted((resolve_sub_period(k, period).end, k, v) for k, v in goal.milestones.items())
    except ValueError:
        return  # reported by _sub_periods
    steps: list[tuple[str | None, float]] = [(None, goal.baseline)] if goal.baseline is not None else []
    steps += [(key, value) for _end, key, value in dated]
    for (before_key, before), (key, value) in itertools.pairwise(steps):
        if before is not None and value != before and (value > before) != goal.rising:
            message = _MILESTONE_BACK[before_key is None, goal.rising]
            figures = {"value": format_number(value), "before": format_number(before)}
            yield source.problem(
                (*at, "milestones", key), _(message).format(key=key, before_key=before_key, **figures), "warning"
            )


# Milestones that go back: from the baseline (or an earlier milestone), in a goal that should go up (or down).
_MILESTONE_BACK = {
    (False, True): N_("milestone {key} ({value}) goes back from {before_key} ({before}) for a goal that should go up"),
    (False, False): N_(
        "milestone {key} ({value}) goes back from {before_key} ({before}) for a goal that should go down"
    ),
    (True, True): N_("milestone {key} ({value}) goes back from the baseline ({before}) for a goal that should go up"),
    (True, False): N_(
        "milestone {key} ({value}) goes back from the baseline ({before}) for a goal that should go down"
    ),
}


def _goal_dates(plan: Plan, source: Source) -> Iterator[Problem]:
    for i, goal in enumerate(plan.goals):
        for measure, where in _measures_at(goal, ("goals", i)):
            if measure.due is not None:
                yield from _in_period(
                    Span(measure.due, measure.due, measure.due.isoformat()), plan, source, (*where, "due")
                )


def _overdue(plan: Plan, source: Source, today: dt.date) -> Iterator[Problem]:
    """Milestones and targets whose date has passed without an actual for then or later: the
    review of the plan would have nothing to show for them."""
    period = plan.period
    if period is None:
        return
    for i, goal in enumerate(plan.goals):
        for measure, where in _measures_at(goal, ("goals", i)):
            try:
                values, actuals = planned(measure, period), recorded(measure, period)
            except ValueError:
                continue  # reported by _sub_periods
            last = actuals[-1][0].end if actuals else None
            for span, key, _value in values:
                if span.end >= today or (last is not None and last >= span.end):
                    continue
                if key in measure.milestones:
                    message = _(
                        "milestone {key} was due by {date} and no actual is recorded for it or later: add the value "
                        "reached under actuals, e.g. actuals: {{{key}: …}}"
                    )
                    yield source.problem(
                        (*where, "milestones", key), message.format(key=key, date=span.end), "warning", at_key=True
                    )
                else:  # the target, on its due date
                    message = _(
                        "the target was due by {date} and no actual is recorded for then: add the value reached under "
                        "actuals, e.g. actuals: {{{date}: …}}"
                    )
                    yield source.problem((*where, "target"), message.format(date=span.end), "warning")


def _activity_dates(plan: Plan, source: Source) -> Iterator[Problem]:
    for i, activity in enumerate(plan.activities):
        yield from _in_period(activity.when, plan, source, ("activities", i, "when"))


def _training_dates(plan: Plan, source: Source) -> Iterator[Problem]:
    for i, program in enumerate(plan.training.programs if plan.training else []):
        yield from _in_period(program.when, plan, source, ("training", "programs", i, "when"))


def _in_period(span: Span | None, plan: Plan, source: Source, path: tuple[object, ...]) -> Iterator[Problem]:
    if span is not None and plan.period is not None and span not in plan.period:
        message = _("{span} lies outside the plan period {period}").format(span=span.text, period=plan.period.text)
        yield source.problem(path, message, "warning")


def _outcomes(plan: Plan, source: Source) -> Iterator[Problem]:
    for index, activity in enumerate(plan.activities):
        if activity.outcome and activity.status != "done":
            message = _(
                "an outcome is written for an activity that is not done: add status: done, or leave outcome out"
            )
            yield source.problem(("activities", index, "outcome"), message, "warning")


def _reviews(plan: Plan, source: Source) -> Iterator[Problem]:
    yield from _sub_periods(plan.reviews, plan.period, source, ("reviews",))


def _activity_goals(plan: Plan, source: Source) -> Iterator[Problem]:
    ids = [g.id for g in plan.goals]
    for index, activity in enumerate(plan.activities):
        if activity.goal is not None and activity.goal not in ids:
            close = did_you_mean(activity.goal, ids)
            if close:
                message = _("no goal with id '{goal}' in this plan").format(goal=activity.goal) + close
            elif ids:
                message = _("no goal with id '{goal}' in this plan; goals here are: {ids}").format(
                    goal=activity.goal, ids=", ".join(ids)
                )
            else:
                message = _("no goal with id '{goal}' in this plan; this plan has no goals").format(goal=activity.goal)
            yield source.problem(("activities", index, "goal"), message)


_WEIGHT_TOLERANCE = 1e-9
"""How far from 100 weights may add up to and still count as 100: far more than adding
floats leaves (33.3 + 33.3 + 33.4), far less than any share a manager writes."""


def _assessment_weights(plan: Plan, source: Source) -> Iterator[Problem]:
    weights = [c.weight for c in plan.assessment]
    if weights and all(w is not None for w in weights):
        total = math.fsum(w for w in weights if w is not None)
        if not math.isclose(total, 100, abs_tol=_WEIGHT_TOLERANCE):
            message = _("the weights add up to {total}%, not 100%").format(total=format_number(total))
            yield source.problem(("assessment",), message, "warning")


# Each check and the top-level keys of the plan it reads.
_CHECKS: tuple[tuple[Callable[[Plan, Source], Iterator[Problem]], frozenset[str]], ...] = (
    (_settled, frozenset({"status", "owner", "period"})),
    (_client_total, frozenset({"clients"})),
    (_goals, frozenset({"goals", "period"})),
    (_goal_dates, frozenset({"goals", "period"})),
    (_activity_dates, frozenset({"activities", "period"})),
    (_training_dates, frozenset({"training", "period"})),
    (_activity_goals, frozenset({"activities", "goals"})),
    (_assessment_weights, frozenset({"assessment"})),
    (_outcomes, frozenset({"activities"})),
    (_reviews, frozenset({"reviews", "period"})),
)
