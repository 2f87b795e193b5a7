"""Template helpers: Dutch number format, unknown/secret cells, chart rendering."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from wijkinzicht.core.charts import Line, format_number, line_chart

register = template.Library()


@register.filter
def nl_number(value, decimals=0):
    """12345.6 -> 12.345,6 (Dutch), '' for None; text such as '<5' (suppressed) passes unchanged."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return format_number(number, int(decimals))


@register.simple_tag
def cell(cell, decimals=0):
    """A table cell value: the number, or a marked 'unknown/secret' (never 0)."""
    if cell is None:
        return format_html('<span class="wi-none" title="{}">–</span>', _("not published"))
    if not cell.known:
        return format_html('<abbr class="wi-secret" title="{}">{}</abbr>',
                           _("unknown or secret (CBS '.')"), _("secret"))
    return format_number(cell.value, int(decimals))


@register.simple_tag
def profile_chart(prof, prefix, n, grew_in=None):
    """The trend chart of an IndicatorProfile; the table with id {prefix}-table-{n} describes it.
    `grew_in`: the year from which the figures are about another area (it took in others, or
    its boundary was redrawn): marked on the chart."""
    chart_id, table_id = f"{prefix}-chart-{n}", f"{prefix}-table-{n}"
    grew_in = grew_in if isinstance(grew_in, int) else None  # "" from a template without it
    lines = [Line(s.area.display_name, {y: (c.value if c.known else None) for y, c in
                                        s.values.items()}) for s in prof.series]
    return line_chart(title=prof.indicator.label, lines=lines, years=prof.years,
                      decimals=prof.indicator.decimals, chart_id=chart_id, table_id=table_id,
                      marker_year=grew_in, marker_label=_("other area") if grew_in else "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(value, decimals=0):
    """A share 0..1 as a Dutch percentage: 0.256 -> '26%'; '' for None or NaN."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if number != number:  # NaN
        return ""
    return f"{format_number(100 * number, int(decimals))}%"


@register.simple_tag
def fact_change(fact):
    """The change of a factsheet figure since its first year: '+3,2%' for counts and levels,
    '+1,2 procentpunt' for a share; '' when there is none to state."""
    if fact.change is None:
        return ""
    if fact.points:
        text = format_number(fact.change, 1)
        return (("+" if fact.change > 0 else "") + text + " " + _("percentage points"))
    text = format_number(100 * fact.change, 1)
    return ("+" if fact.change > 0 else "") + text + "%"


@register.simple_tag
def fact_spark(fact):
    """The sparkline of a factsheet figure, labelled with what it shows."""
    from wijkinzicht.core.charts import sparkline

    known = [(y, v) for y, v in sorted(fact.series.items()) if v is not None]
    if len(known) < 2:
        return ""
    decimals = fact.indicator.decimals
    label = _("Trend %(first)s–%(last)s: from %(a)s to %(b)s") % {
        "first": known[0][0], "last": known[-1][0], "a": format_number(known[0][1], decimals),
        "b": format_number(known[-1][1], decimals)}
    return sparkline(fact.series, label=label)
