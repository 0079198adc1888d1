"""Charts: inline SVG and HTML whose text is always escaped, with labels that fit."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from plangen.charts import bar_chart, progress_bar


def labels(svg: str) -> list[str]:
    found = re.findall(r'<text x="0" [^>]*>(?:<title>[^<]*</title>)?([^<]*)</text>', svg)
    return [html.unescape(label) for label in found]


def test_bars_show_labels_and_values_and_escape_text() -> None:
    svg = bar_chart([("<script>x</script>", 1200), ("宽带用户", 400)], "客户 & 群体")
    assert svg.startswith('<div class="plangen-chart-box">\n<svg class="plangen-chart"')
    assert "<title>客户 &#38; 群体</title>" in svg
    assert "<script>" not in svg and labels(svg) == ["<script>x</script>", "宽带用户"]
    assert ">1,200</text>" in svg and ">400</text>" in svg
    assert bar_chart([], "nothing") == ""
    approximate = bar_chart([("固话用户", 9300)], "t", ["约9,300"])
    assert ">约9&#44;300</text>" in approximate and ">9,300</text>" not in approximate


def test_labels_are_cut_to_fit_by_width_and_kept_whole_in_a_title() -> None:
    english = "Mid-market companies with fewer than fifty staff"
    chinese = "商铺客户（含中小型企业）以及其他各类集团客户和个体工商户"
    svg = bar_chart([(english, 2), (chinese, 1)], "t")
    shown = labels(svg)
    assert shown[0] == english, "about 45 Latin letters fit"
    assert shown[1].endswith("…") and chinese.startswith(shown[1][:-1]) and len(shown[1]) <= 27
    assert f"<title>{html.escape(chinese)}</title>" in svg.replace("&#40;", "(").replace("&#41;", ")")


def test_progress_bars() -> None:
    assert progress_bar(None, "x", "unknown") == "unknown"
    bar = progress_bar(0.456, 'a "label"', "on track")
    assert 'aria-valuenow="46"' in bar and "width: 46%" in bar and bar.endswith("46% on track")
    assert 'title="a &#34;label&#34;"' in bar


MARKDOWN_IN_TEXT = [
    "[x](tabindex=1 autofocus onfocus=alert(2)//)",
    "![seg](http://evil.example/seg.png)",
    "[x](style=background:url(http://evil.example/bg.png);x:)",
    "[x](nope.md) *y* `z` {: onclick=alert(1) } <b>",
]


@pytest.mark.parametrize("text", MARKDOWN_IN_TEXT)
def test_text_in_charts_is_no_markdown_for_python_markdown(text: str) -> None:
    """Python-Markdown reads Markdown inside inline HTML and inside <svg>: a chart's text must give it none."""
    engine = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html"])
    cell = engine.convert(f"| a |\n| --- |\n| {progress_bar(0.5, text, text)} |\n")
    chart = engine.convert(f"text\n\n{bar_chart([(text, 1)], text)}\n\nafter\n")
    for page in (cell, chart):
        assert "<a " not in page and "<img" not in page and "<em>" not in page and "<code>" not in page
        assert "onclick" not in page.replace("onclick&#61;", "")
