"""The one-page factsheet of an area as a PDF to print or hand out (issue 14, item 5): the key
figures with their year, their change since the first known year, a sparkline on the same scale
rule as the page (`core.charts.spark_range`), the comparison areas for rates, sources and caveats."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wijkinzicht.core.charts import format_number, spark_lines
from wijkinzicht.core.templatetags.wijkinzicht import fact_change

BLUE = colors.HexColor("#154273")


def _spark(series: dict[int, float | None], width: float = 32 * mm, height: float = 8 * mm) -> Drawing | str:
    """The page's sparkline (`core.charts.spark_lines`) drawn with reportlab."""
    lines = spark_lines(series)
    if lines is None:
        return ""
    d = Drawing(width, height)

    def xy(point):
        return [2 + (width - 4) * point[0], 2 + (height - 4) * point[1]]

    for run in lines.solid:
        d.add(PolyLine([c for p in run for c in xy(p)], strokeColor=BLUE, strokeWidth=1.2))
    for a, b in lines.dotted:
        d.add(PolyLine(xy(a) + xy(b), strokeColor=BLUE, strokeWidth=0.8, strokeDashArray=[1, 2]))
    x, y = xy(lines.last)
    d.add(Circle(x, y, 1.6, fillColor=BLUE, strokeColor=BLUE))
    return d


def _value(cell, decimals: int) -> str:
    if cell is None:
        return "–"
    if not cell.known:
        return _("secret")
    return format_number(cell.value, decimals) + ("*" if cell.via else "")


def factsheet_pdf(area, profile, facts) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm,
                            title=_("Factsheet %(area)s") % {"area": area.display_name})
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        Paragraph(escape(_("Factsheet %(area)s") % {"area": area.display_name}), styles["Title"]),
        Paragraph(escape(f"{area.get_level_display().capitalize()} · {_('CBS code')} {area.code}"
                         + (f" · {profile.ancestors[0].display_name}" if profile.ancestors
                            and profile.ancestors[0].level != 'land' else "")), styles["Normal"]),
        Spacer(1, 5 * mm),
    ]
    header = [_("Key figure"), _("Newest figure"), _("Change"), _("Trend"), _("Compared with")]
    rows = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in header]]
    for f in facts:
        unit = "" if f.indicator.unit in ("", "aantal") or not f.cell.known else f" {f.indicator.unit}"
        change = "–"
        if f.change is not None:
            change = _("since %(year)s") % {"year": f.first_year} + ": " + fact_change(f)
        beside = "; ".join(f"{a.display_name}: {_value(c, f.indicator.decimals)}" for a, c in f.beside) or "–"
        rows.append([
            Paragraph(escape(f.indicator.label), small),
            Paragraph(escape(f"{_value(f.cell, f.indicator.decimals)}{unit} ({f.year})"), small),
            Paragraph(escape(change), small),
            _spark(f.series),
            Paragraph(escape(beside), small),
        ])
    table = Table(rows, colWidths=[45 * mm, 33 * mm, 30 * mm, 36 * mm, 36 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 5 * mm)]
    notes = [
        _("Change: for counts and levels the relative change, for shares the difference in percentage "
          "points, from the first year with a figure to the newest. The trend line shows the course "
          "on a scale of at least a fifth of the level, so small changes stay small; the numbers give "
          "the size."),
        _("Counts and sizes are not compared with larger areas. “secret”: unknown or secret "
          "(CBS's “.”), never a zero. The year is the edition of CBS's Kerncijfers wijken en buurten; for "
          "income, benefits, WOZ values and crime CBS gives each topic its own reference date or reporting "
          "year. CBS rounds some figures; the newest year can be provisional."),
    ]
    if any(f.cell.via for f in facts):
        notes.append(_("*: the figure of the same area under its code before or after a re-coding."))
    sources = sorted({f.indicator.source for f in facts if f.indicator.source})
    notes.append(_("Sources: %(sources)s.") % {"sources": "; ".join(sources)}
                 + " " + _("Made with Wijkinzicht on %(date)s.") % {"date": f"{dt.date.today():%d-%m-%Y}"})
    story += [Paragraph(escape(n), small) for n in notes]
    doc.build(story)
    return buffer.getvalue()
