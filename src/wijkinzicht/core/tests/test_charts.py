"""The chart rules of issue 14, item 4, each on the SVG itself: time proportional to time with gaps
visible, value axes from zero (or a marked break), one point as a dot with its value, a legend on
every multi-line chart, target lines."""

import re

import pytest
from defusedxml.ElementTree import fromstring

from wijkinzicht.core.charts import Line, line_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def svg(**kwargs):
    kwargs.setdefault("title", "t")
    kwargs.setdefault("chart_id", "c")
    kwargs.setdefault("table_id", "tb")
    text = str(line_chart(**kwargs)).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return fromstring(text)


def markers(root) -> list[tuple[float, float]]:
    return [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter("{http://www.w3.org/2000/svg}circle")]


def texts(root) -> list[str]:
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_time_axis_is_proportional_and_gaps_without_figures_are_dotted():
    """The issue: 2017, 2020, 2021, 2024 were drawn at equal spacing."""
    root = svg(lines=[Line("A", {2017: 1.0, 2020: 2.0, 2021: 3.0, 2024: 4.0})],
               years=[2017, 2020, 2021, 2024])
    xs = [x for x, _ in markers(root)]
    step = (xs[-1] - xs[0]) / 7
    assert [round((x - xs[0]) / step) for x in xs] == [0, 3, 4, 7]
    dotted = [e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("class") == "no-data-between"]
    assert len(dotted) == 2  # 2017-2020 and 2021-2024; 2020-2021 is a solid line
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 1


def test_a_secret_value_leaves_a_gap_never_a_zero():
    root = svg(lines=[Line("A", {2017: 5.0, 2018: None, 2019: 6.0})], years=[2017, 2018, 2019])
    assert len(markers(root)) == 2
    assert not list(root.iter("{http://www.w3.org/2000/svg}polyline"))
    dotted = [e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("class") == "no-data-between"]
    assert not dotted


def test_counts_and_levels_start_at_zero_and_a_zoomed_axis_shows_its_break():
    """The issue: 255,703 -> 256,596 inhabitants looked steep."""
    root = svg(lines=[Line("A", {2017: 255703.0, 2024: 256596.0})], years=[2017, 2024])
    assert "0" in texts(root)
    ys = [y for _, y in markers(root)]
    assert abs(ys[0] - ys[1]) < 2  # a 0.3 % change is nearly flat
    zoomed = svg(lines=[Line("A", {2017: 255703.0, 2024: 256596.0})], years=[2017, 2024], zero=False)
    assert "0" not in texts(zoomed)
    assert any(p.get("d", "").startswith("M") and "l10,-5" in p.get("d", "")
               for p in zoomed.iter("{http://www.w3.org/2000/svg}path"))


def test_one_point_is_a_dot_with_its_value():
    root = svg(lines=[Line("A", {2024: 1234.5})], years=[2024], decimals=1)
    assert len(markers(root)) == 1 and "1.234,5" in texts(root)
    assert not list(root.iter("{http://www.w3.org/2000/svg}polyline"))


def test_every_multi_line_chart_has_a_legend_and_a_target_is_labelled():
    root = svg(lines=[Line("Oude Kerk", {2017: 1.0, 2018: 2.0}),
                      Line("Amsterdam", {2017: 1.5, 2018: 2.5})],
               years=[2017, 2018], target=3.0, target_label="doel")
    labels = texts(root)
    assert "Oude Kerk" in labels and "Amsterdam" in labels and "doel" in labels
    target = [e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("stroke") == "#b35900"]
    assert len(target) == 2  # the line in the plot and its legend sample
    single = svg(lines=[Line("Oude Kerk", {2017: 1.0, 2018: 2.0})], years=[2017, 2018])
    assert "Oude Kerk" not in texts(single)  # one line: the title says what it is
    one = line_chart(title="t", chart_id="c", table_id="tb", lines=[Line("A", {1: 1.0, 2: 2.0})],
                     years=[1, 2])
    assert re.search(r'viewBox="0 0 420 220"', str(one))  # no room taken by a legend


def test_a_sparkline_spans_at_least_a_fifth_of_its_level():
    from wijkinzicht.core.charts import spark_range

    lo, hi = spark_range([255_703, 256_596])  # +0,3 %: drawn nearly flat, not as a steep climb
    assert hi - lo == pytest.approx(0.2 * 256_596)
    assert (256_596 - 255_703) / (hi - lo) < 0.02
    assert spark_range([5.0, 8.0]) == (pytest.approx(5.0), pytest.approx(8.0))  # a real change shows
    assert spark_range([0.0, 0.0]) == (-0.5, 0.5)


def test_a_sparkline_needs_two_points_and_dots_a_gap():
    from wijkinzicht.core.charts import sparkline

    assert sparkline({2020: 5.0}, label="x") == ""
    assert sparkline({2020: 5.0, 2021: None}, label="x") == ""
    svg = sparkline({2017: 1.0, 2018: 2.0, 2021: 3.0}, label="Trend")
    assert 'aria-label="Trend"' in svg and 'stroke-dasharray="1 3"' in svg
    assert svg.count("<polyline") == 2  # 2017-2018 solid, 2018-2021 dotted
