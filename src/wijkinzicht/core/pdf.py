"""What the PDF reports share: the house style of a table (reportlab)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, Table, TableStyle


def table(rows, widths=None) -> Table:
    """A table of text cells (escaped), 8 pt, the header repeated on every page and ruled."""
    styles = getSampleStyleSheet()
    cells = [[Paragraph(escape(str(c)), styles["BodyText"]) for c in row] for row in rows]
    out = Table(cells, colWidths=widths, repeatRows=1)
    out.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return out
