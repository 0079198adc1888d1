"""Charts drawn at build time as inline SVG and HTML: no script, no request to anywhere.

Every piece of text a chart shows is escaped here; callers pass plain text. The
charts go into Markdown pages, and Python-Markdown reads Markdown inside inline
HTML (a progress bar in a table cell) and inside ``<svg>``, which it does not
take for a block: so text here is escaped for HTML and every ASCII punctuation
mark besides becomes a character reference (``[`` → ``&#91;``), which reads
the same in the browser and is no Markdown to Python-Markdown. A chart is also
wrapped in a ``<div>`` of its own, which Python-Markdown passes through whole.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from .context import WIDE, format_number

_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def escape(text: str) -> str:
    """*text* for HTML text or an attribute value, with no character Markdown could read."""
    return _PUNCTUATION.sub(lambda found: f"&#{ord(found[0])};", text)


CHART_WIDTH = 360
"""A chart's width in its own pixels: about a phone's width less the page's margins."""
BAR_COLOURS = ("#3f51b5", "#009688", "#ff9800", "#9c27b0", "#607d8b", "#e91e63", "#8bc34a", "#795548")


def bar_chart(items: list[tuple[str, int]], title: str, shown: Sequence[str] = ()) -> str:
    """Horizontal bars, one per (label, value), each under its label with the value at its end
    (as *shown* says, when it says: 约9,300 for an approximate count).
    Labels above the bars leave the bars the whole width, so the chart is narrow enough
    (:data:`CHART_WIDTH`) to show its text at its size on a phone as on a desktop (the
    stylesheet caps its width at about this many pixels)."""
    if not items:
        return ""
    row, bar_width = 40, CHART_WIDTH - 70
    largest = max(value for _, value in items) or 1
    parts = [
        f'<div class="plangen-chart-box">\n<svg class="plangen-chart" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {row * len(items) + 4}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for index, (label, value) in enumerate(items):
        y = index * row
        width = max(1, round(bar_width * value / largest))
        colour = BAR_COLOURS[index % len(BAR_COLOURS)]
        short = _fit(label, CHART_WIDTH)
        whole = f"<title>{escape(label)}</title>" if short != label else ""
        text = escape(shown[index]) if shown else format_number(value)
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13">{whole}{escape(short)}</text>'
            f'<rect x="0" y="{y + 20}" width="{width}" height="14" rx="2" fill="{colour}"/>'
            f'<text x="{width + 6}" y="{y + 32}" font-size="13">{text}</text>'
        )
    parts.append("</svg>\n</div>")
    return "".join(parts)


PLANNED_COLOUR = "#c5cae9"
"""What was planned beyond what is reached: a lighter shade of the first bar colour."""


def progress_chart(items: list[tuple[str, float, float | None, str]], title: str) -> str:
    """Bars of progress from baseline to target, one per (label, share reached, share planned by
    now or None, figure), shares from 0 to 1: each under its label, reached in colour over a light
    grey track, what was planned beyond it lighter, the figure at the bar's end. Laid out as
    :func:`bar_chart`."""
    if not items:
        return ""
    row, bar_width = 40, CHART_WIDTH - 50
    parts = [
        f'<div class="plangen-chart-box">\n<svg class="plangen-chart" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {row * len(items) + 4}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for index, (label, reached, planned, figure) in enumerate(items):
        y = index * row
        short = _fit(label, CHART_WIDTH)
        whole = f"<title>{escape(label)}</title>" if short != label else ""
        done = round(bar_width * max(0.0, min(1.0, reached)))
        due = round(bar_width * max(0.0, min(1.0, planned))) if planned is not None else 0
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13">{whole}{escape(short)}</text>'
            f'<rect x="0" y="{y + 20}" width="{bar_width}" height="14" rx="2" fill="#eeeeee"/>'
            + (
                f'<rect x="0" y="{y + 20}" width="{due}" height="14" rx="2" fill="{PLANNED_COLOUR}"/>'
                if due > done
                else ""
            )
            + (f'<rect x="0" y="{y + 20}" width="{done}" height="14" rx="2" fill="{BAR_COLOURS[0]}"/>' if done else "")
            + f'<text x="{bar_width + 6}" y="{y + 32}" font-size="13">{escape(figure)}</text>'
        )
    parts.append("</svg>\n</div>")
    return "".join(parts)


def _fit(label: str, room: float) -> str:
    """*label*, cut short with … where it would be wider than *room* pixels at 13 px
    (a Chinese character 13 px, another about 7.5); the label's title holds it whole."""
    widths = [13 if WIDE.match(character) else 7.5 for character in label]
    if sum(widths) <= room:
        return label
    kept = sum(1 for total in itertools.accumulate(widths) if total <= room - 13)  # 13 for the …
    return label[:kept] + "…"


def progress_bar(fraction: float | None, label: str, verdict: str = "") -> str:
    """A bar filled to *fraction* (0 to 1) with the percentage and a verdict such as
    "on track"; nothing when progress is unknown."""
    if fraction is None:
        return escape(verdict)
    percent = round(100 * fraction)
    state = f" {escape(verdict)}" if verdict else ""
    return (
        f'<span class="plangen-progress" role="progressbar" aria-valuenow="{percent}" aria-valuemin="0" '
        f'aria-valuemax="100" title="{escape(label)}"><span style="width: {percent}%"></span></span> {percent}%{state}'
    )
