"""The evaluation result as a PDF to discuss with partners: summary, chart with its table,
weights, warnings. Drawn with reportlab (no browser, no fonts from outside the package)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wijkinzicht.core.charts import format_number

from .presentation import result_view

BLUE = colors.HexColor("#154273")
PINK = colors.HexColor("#a90061")


def _chart(rows: list[dict], width: float, height: float, start: int) -> Drawing:
    drawing = Drawing(width, height)
    values = [v for r in rows for v in (r["treated"], r["comparison"]) if v is not None]
    if not values or len(rows) < 2:
        return drawing
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    left, bottom, right, top = 40, 20, width - 10, height - 10
    years = [r["year"] for r in rows]

    def x(year):
        return left + (right - left) * (years.index(year) / (len(years) - 1))

    def y(value):
        return bottom + (top - bottom) * (value - lo) / span

    drawing.add(Line(left, bottom, right, bottom, strokeColor=colors.grey))
    for value in (lo, hi):
        drawing.add(String(2, y(value) - 3, format_number(value, 1), fontSize=7))
    for year in (years[0], start, years[-1]):
        if year in years:
            drawing.add(String(x(year) - 10, 5, str(year), fontSize=7))
    if start in years:
        drawing.add(Line(x(start), bottom, x(start), top, strokeColor=colors.black, strokeDashArray=[3, 3]))
    for key, colour, dash in (("treated", BLUE, None), ("comparison", PINK, [6, 3])):
        points = [c for r in rows if r[key] is not None for c in (x(r["year"]), y(r[key]))]
        drawing.add(PolyLine(points, strokeColor=colour, strokeWidth=2, strokeDashArray=dash))
    return drawing


def evaluation_pdf(evaluation, run) -> bytes:
    view = result_view(run.result, outcome=evaluation.outcome)
    styles = getSampleStyleSheet()
    body, head = styles["BodyText"], styles["Heading2"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=evaluation.name,
        author="Wijkinzicht",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    d = view.decimals
    story = [
        Paragraph(escape(evaluation.name), styles["Title"]),
        Paragraph(
            escape(
                f"{evaluation.get_method_display()} · {evaluation.outcome.label} · "
                f"{_('Start year')} {evaluation.treatment_year}"
            ),
            body,
        ),
        Paragraph(_("Summary"), head),
        *[Paragraph(escape(s), body) for s in view.summary],
    ]
    if view.warnings:
        story += [Paragraph(_("Warnings"), head), *[Paragraph("• " + escape(w), body) for w in view.warnings]]
    story += [Paragraph(_("Treated and comparison per year"), head)]
    start = run.result["treatment_time"]
    start = min(start.values()) if isinstance(start, dict) else start
    story.append(_chart(view.rows, doc.width, 150, int(start)))
    story.append(
        Paragraph(escape(_("Solid blue: treated; dashed red: comparison; dotted line: start.")), body)
    )
    table = [[_("Year"), _("Treated"), _("Comparison"), _("Difference")]] + [
        [
            str(r["year"]),
            format_number(r["treated"], d),
            format_number(r["comparison"], d),
            format_number(r["gap"], d),
        ]
        for r in view.rows
    ]
    story.append(_table(table))
    if view.weights:
        story += [
            Paragraph(_("Comparison areas and their weights"), head),
            _table(
                [[_("Area"), _("Code"), _("Weight")]]
                + [[w["name"], w["code"], format_number(w["weight"], 3)] for w in view.weights]
            ),
        ]
    if view.placebo and view.placebo.get("p_value") is not None:
        story += [
            Paragraph(_("Placebo test"), head),
            Paragraph(escape(_("Placebo p-value") + f": {format_number(view.placebo['p_value'], 3)}"), body),
        ]
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            escape(
                _(
                    "Source of neighbourhood figures: CBS Kerncijfers wijken en buurten and "
                    "Politie/CBS registered crime, licence CC BY 4.0."
                )
            ),
            styles["Italic"],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table
