"""The programme report as a PDF to discuss with the partners: the change model (drawn with
reportlab from the same layout as the page), indicator progress, visions, reach and outcome results."""

from __future__ import annotations

import io
import math
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from wijkinzicht.core.charts import format_number
from wijkinzicht.core.pdf import table as _table
from wijkinzicht.core.templatetags.wijkinzicht import percent

from . import diagram

BLUE = colors.HexColor("#154273")


def _model(structure, width: float, max_height: float | None = None) -> Drawing:
    """The change model drawn to the width -- and scaled down further to max_height, so that it
    fits on the first page under the heading instead of leaving that page empty (issue 14)."""
    boxes = diagram.boxes(structure)
    numbers = diagram.numbering(structure)
    full_h = diagram.height(structure)
    scale = width / diagram.WIDTH
    if max_height is not None and full_h * scale > max_height:
        scale = max_height / full_h
    width = diagram.WIDTH * scale
    d = Drawing(width, full_h * scale)

    def y(v):  # SVG y runs down, PDF y runs up
        return (full_h - v) * scale

    for row, (_kind, label, _elements) in enumerate(structure.layers):
        grey = colors.HexColor("#4a4a4a")
        d.add(String(4 * scale, y(diagram.layer_label_y(row)), label, fontSize=8, fillColor=grey))
    for link in structure.links:
        route = diagram.arrow_route(boxes, link)
        for (ax, ay), (bx, by) in zip(route, route[1:], strict=False):
            d.add(Line(ax * scale, y(ay), bx * scale, y(by), strokeColor=colors.black, strokeWidth=0.8))
        (x1, y1), (x2, y2) = route[-2], route[-1]
        angle = math.atan2(y(y2) - y(y1), (x2 - x1) * scale)
        for turn in (2.6, -2.6):
            d.add(
                Line(
                    x2 * scale,
                    y(y2),
                    x2 * scale + 5 * math.cos(angle + turn),
                    y(y2) + 5 * math.sin(angle + turn),
                    strokeColor=colors.black,
                    strokeWidth=0.8,
                )
            )
    for kind, _label, elements in structure.layers:
        fill, ink = diagram.COLOURS[kind]
        for e in elements:
            x, top, w, h = boxes[e["id"]]
            d.add(
                Rect(
                    x * scale,
                    y(top + h),
                    w * scale,
                    h * scale,
                    rx=2,
                    fillColor=colors.HexColor(fill),
                    strokeColor=BLUE,
                    strokeWidth=0.8,
                )
            )
            lines = diagram.box_lines(numbers[e["id"]], e["title"], w)
            for k, text in enumerate(lines):
                ly = diagram.line_y(top, h, k, len(lines))
                d.add(
                    String(
                        (x + w / 2) * scale,
                        y(ly),
                        text,
                        fontSize=7,
                        textAnchor="middle",
                        fillColor=colors.HexColor(ink),
                    )
                )
    return d


def _num(value, decimals=2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_number(value, decimals)


def programme_pdf(c: dict) -> bytes:
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=c["programme"].name,
    )
    styles = getSampleStyleSheet()
    width = page[0] - 30 * mm
    p = c["programme"]
    labels = c["progress_labels"]
    story = [
        Paragraph(escape(_("Programme report: %(name)s") % {"name": p.name}), styles["Title"]),
        Paragraph(
            escape(f"{_('Period')}: {c['start']:%d-%m-%Y} – {c['end']:%d-%m-%Y} · {p.organisation.name}"),
            styles["Normal"],
        ),
        Paragraph(
            escape(
                _("Partners")
                + ": "
                + ", ".join(
                    f"{x.organisation.name}" + (f" ({x.role})" if x.role else "") for x in c["partners"]
                )
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Change model")), styles["Heading2"]),
        # what is left of the first page under the title block (about 45 mm of it)
        _model(c["structure"], width, max_height=page[1] - 30 * mm - 45 * mm),
    ]
    elements, arrows = diagram.rows(c["structure"])
    if len(arrows) > 1:
        story += [Spacer(1, 3 * mm), _table([r[:2] + r[4:] for r in arrows])]
    story += [
        Paragraph(escape(_("Outcomes and indicators")), styles["Heading2"]),
        Paragraph(escape(c["progress_rule"]), styles["Italic"]),
    ]
    rows = [[_("Outcome"), _("Indicator"), _("Baseline"), _("Latest"), _("Target"), _("Progress")]]
    for o in c["outcomes"]:
        rows.append([f"{o['number']} {o['element']['title']}", "", "", "", "", str(labels[o["status"]])])
        for v in o["indicators"]:
            i = v.indicator
            rows.append(
                [
                    "",
                    f"{i.name} — {v.source_text}",
                    f"{_num(i.baseline_value)} ({i.baseline_date:%m-%Y})" if i.baseline_date else "–",
                    f"{_num(v.progress.latest)} ({v.progress.latest_date:%m-%Y})"
                    if v.progress.latest_date
                    else "–",
                    f"{_num(i.target_value)} ({i.target_date:%m-%Y})" if i.target_date else "–",
                    str(labels[v.status]),
                ]
            )
    story.append(_table(rows, [55 * mm, 85 * mm, 28 * mm, 28 * mm, 28 * mm, 25 * mm]))
    story.append(Paragraph(escape(_("Roles and visions")), styles["Heading2"]))
    names = {x.organisation_id: x.organisation.name for x in c["partners"]}
    rows = [[_("Outcome"), _("Agreed roles"), _("Priorities (1–5)"), _("Where visions diverge")]]
    for r in c["vision_rows"]:
        rows.append(
            [
                r.element.title,
                ", ".join(f"{names.get(o, '?')}: {c['role_labels'][role]}" for o, role in r.roles.items())
                or "–",
                ", ".join(f"{names.get(o, '?')} {v.priority}" for o, v in r.visions.items()) or "–",
                " ".join(r.flags) or _("no differences"),
            ]
        )
    story.append(_table(rows, [60 * mm, 60 * mm, 55 * mm, 92 * mm]))
    reach = c["reach"]
    story += [
        Paragraph(escape(_("Reach of the activities")), styles["Heading2"]),
        _table(
            [
                [
                    _("Activities"),
                    _("Meetings"),
                    _("Attendance"),
                    _("Unique participants"),
                    _("Volunteer hours"),
                ],
                [
                    reach["activities"],
                    reach["meetings"],
                    reach["attendance"],
                    reach["participants"],
                    _num(reach["volunteer_hours"], 0),
                ],
            ]
        ),
        Paragraph(escape(_("Outcome results")), styles["Heading2"]),
        Paragraph(escape(str(c["note"])), styles["Italic"]),
    ]
    rows = [
        [
            _("Instrument"),
            _("Compared"),
            _("People"),
            _("Mean change (95% CI)"),
            _("Effect size d"),
            _("Improved / unchanged / worsened"),
        ]
    ]
    for r in c["results"]:
        if r.result is None:
            rows.append([r.name, f"{r.before} → {r.after}", r.people, r.note, "", ""])
            continue
        x = r.result
        shares = "–"
        if x.reliability is not None:
            shares = " / ".join(percent(v) for v in (x.improved, x.unchanged, x.worsened))
        rows.append(
            [
                r.name,
                f"{r.before} → {r.after}",
                r.n,
                f"{_num(x.mean_change)} ({_num(x.ci[0])} – {_num(x.ci[1])})",
                _num(x.effect_size),
                shares,
            ]
        )
    if len(rows) == 1:
        rows.append([_("No measurements in this programme yet."), "", "", "", "", ""])
    story.append(_table(rows))
    for r in c["results"]:
        if r.result is not None and r.result.reliability is not None and r.reliability < 0.7:
            warning = _("the reliability is %(alpha)s, below 0,70: the answers hang together too little "
                        "for each person's change to be classed with confidence. Read improved / "
                        "unchanged / worsened as rough, and check how the questionnaire was put.")
            story.append(Paragraph(escape(f"{r.name}: " + warning % {"alpha": _num(r.reliability)}),
                                   styles["Italic"]))

    def number_page(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(page[0] - 15 * mm, 8 * mm,
                               _("Page %(n)d") % {"n": document.page} + f" · {p.name}"[:120])
        canvas.restoreState()

    doc.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return buffer.getvalue()
