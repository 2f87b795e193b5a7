"""The signal report as a PDF for the municipality's table: the same Report as the page."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from wijkinzicht.core.pdf import table

from .presentation import Report


def report_pdf(report: Report) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Signal report %(area)s") % {"area": report.area.name},
    )
    styles = getSampleStyleSheet()
    p = lambda text, style="Normal": Paragraph(escape(str(text)), styles[style])  # noqa: E731
    story = [
        p(_("Signal report: %(area)s") % {"area": report.area.name}, "Title"),
        p(f"{_('Period')}: {report.since:%d-%m-%Y} – {report.until:%d-%m-%Y}"),
        p(
            _(
                "Counts below %(n)s are shown as <%(n)s and the others may differ by up to 2 from the true "
                "count (disclosure control), so that no small group can be recognised."
            )
            % {"n": report.threshold},
            "Italic",
        ),
        Spacer(1, 4 * mm),
        p(_("Themes"), "Heading2"),
    ]
    rows = [[_("Theme"), _("Signals"), _("Change"), _("Unusual rises"), _("Method")]]
    for row in report.rows:
        rows.append([row.theme.name, row.shown, row.change, len(row.alarms), row.method])
    story.append(table(rows, [45 * mm, 18 * mm, 45 * mm, 22 * mm, 50 * mm]))
    story.append(p(_("Unusual rises"), "Heading2"))
    if report.alarms:
        for alarm in report.alarms:
            story.append(
                p(f"{alarm.theme.name} – {alarm.area.name}, {alarm.period} ({alarm.shown})", "Heading4")
            )
            story.append(p(alarm.rule))
    else:
        story.append(p(_("No unusual rises in this period.")))
    for row in report.rows:
        if not (row.quotes or row.bundles or row.activities):
            continue
        story.append(p(row.theme.name, "Heading2"))
        for quote in row.quotes:
            story.append(
                p(f"“{quote.text}” — {quote.organisation.name}, {quote.observed_on:%d-%m-%Y}", "Italic")
            )
        for bundle in row.bundles:
            last = bundle.responses.order_by("-created_at").first()
            answer = f"{last.get_kind_display()}: {last.text}" if last else _("not yet answered")
            story.append(
                p(
                    _("Bundle %(area)s, %(first)s – %(last)s: %(answer)s")
                    % {
                        "area": bundle.area.name,
                        "first": f"{bundle.first_on:%d-%m-%Y}",
                        "last": f"{bundle.last_on:%d-%m-%Y}",
                        "answer": answer,
                    }
                )
            )
        if row.activities:
            story.append(
                p(
                    _("Already being done: %(list)s")
                    % {"list": "; ".join(f"{a.title} ({a.organisation.name})" for a in row.activities)}
                )
            )
    doc.build(story)
    return buffer.getvalue()
