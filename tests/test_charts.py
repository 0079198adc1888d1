"""Charts: inline SVG and HTML whose text is always escaped, with labels that fit."""

from __future__ import annotations

import re

from generator.charts import bar_chart, progress_bar


def labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" font-size="13">(?:<title>[^<]*</title>)?([^<]*)</text>', svg)


def test_bars_show_labels_and_values_and_escape_text() -> None:
    svg = bar_chart([("<script>x</script>", 1200), ("宽带用户", 400)], "客户 & 群体")
    assert svg.startswith('<svg class="plangen-chart"') and "<title>客户 &amp; 群体</title>" in svg
    assert "<script>" not in svg and labels(svg) == ["&lt;script&gt;x&lt;/script&gt;", "宽带用户"]
    assert ">1,200</text>" in svg and ">400</text>" in svg
    assert bar_chart([], "nothing") == ""


def test_labels_are_cut_to_fit_by_width_and_kept_whole_in_a_title() -> None:
    english, chinese = "Mid-market companies", "商铺客户（含中小型企业）以及其他各类集团客户"
    svg = bar_chart([(english, 2), (chinese, 1)], "t")
    shown = labels(svg)
    assert shown[0] == english, "about 20 Latin letters fit"
    assert shown[1].endswith("…") and chinese.startswith(shown[1][:-1]) and len(shown[1]) <= 14
    assert f"<title>{chinese}</title>" in svg


def test_progress_bars() -> None:
    assert progress_bar(None, "x", "unknown") == "unknown"
    bar = progress_bar(0.456, 'a "label"', "on track")
    assert 'aria-valuenow="46"' in bar and "width: 46%" in bar and bar.endswith("46% on track")
    assert 'title="a &quot;label&quot;"' in bar
