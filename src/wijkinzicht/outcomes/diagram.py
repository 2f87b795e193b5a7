"""The change model as a diagram: an SVG drawn on the server, styled by presentation attributes
only (no style="", which the Content-Security-Policy refuses), so that the same drawing is shown
on the page, downloaded as SVG and turned into PNG in the browser. Layers
from top to bottom: goal, intermediate outcomes, outputs, activities; arrows lead upwards. The
numbered outline beside it is the text alternative (every box and arrow is in it)."""

from __future__ import annotations

import textwrap

from django.utils.html import escape
from django.utils.translation import gettext as _

from .selectors import Structure

WIDTH = 960
BOX_H = 64
ROW_GAP = 56
TOP = 36
COLOURS = {  # fill, text; contrast of text on fill at least 4.5:1
    "goal": ("#154273", "#ffffff"),
    "outcome": ("#dce3ea", "#1a1a1a"),
    "output": ("#f3f3f3", "#1a1a1a"),
    "activity": ("#ffffff", "#1a1a1a"),
}
PREFIX = {
    "goal": "D",
    "outcome": "U",
    "output": "P",
    "activity": "A",
}  # doel, uitkomst, prestatie, activiteit


def numbering(s: Structure) -> dict[int, str]:
    """D1, U1, U2, P1, A1, ... per layer, in the layer's order."""
    out = {}
    for kind, _label, elements in s.layers:
        for k, e in enumerate(elements, 1):
            out[e["id"]] = f"{PREFIX[kind]}{k}"
    return out


def height(s: Structure) -> float:
    return TOP + len(s.layers) * (BOX_H + ROW_GAP)


def layer_label_y(row: int) -> float:
    """The middle of a layer's row, where its name stands."""
    return TOP + row * (BOX_H + ROW_GAP) + BOX_H / 2


def boxes(s: Structure) -> dict[int, tuple[float, float, float, float]]:
    """Per element id: x, y (top), width, height of its box; y runs down, as in SVG."""
    boxes = {}
    for row, (_kind, _label, elements) in enumerate(s.layers):
        n = max(len(elements), 1)
        gap = 12
        w = min(220.0, (WIDTH - 140 - gap * (n - 1)) / n)
        total = n * w + gap * (n - 1)
        x0 = 130 + (WIDTH - 130 - total) / 2
        y = TOP + row * (BOX_H + ROW_GAP)
        for k, e in enumerate(elements):
            boxes[e["id"]] = (x0 + k * (w + gap), y, w, BOX_H)
    return boxes


def arrow_route(placed: dict, link: dict) -> list[tuple[float, float]]:
    """The points of an arrow, never behind a box (issue 14: U3 -> U1 was drawn straight behind U2
    and read as U2 -> U1). Between layers: from the top of its source to the bottom of its target,
    bending through the gap between the boxes of every layer it crosses. Within one layer: next
    neighbours side to side; farther boxes by an arc above the row, through the free band between
    the rows, higher the farther apart (so that two such arrows do not coincide)."""
    sx, sy, sw, sh = placed[link["source"]]
    tx, ty, tw, th = placed[link["target"]]
    if abs(sy - ty) < 1:
        between = [b for b in placed.values() if abs(b[1] - sy) < 1 and min(sx, tx) < b[0] < max(sx, tx)]
        if not between:
            x1, x2 = (sx + sw, tx) if sx < tx else (sx, tx + tw)
            return [(x1, sy + sh / 2), (x2, sy + sh / 2)]
        lift = min(ROW_GAP - 8, 12 + 8 * len(between))
        a, b = (sx + sw / 2 + (6 if tx > sx else -6), sy), (tx + tw / 2 - (6 if tx > sx else -6), ty)
        return [a, (a[0], sy - lift), (b[0], ty - lift), b]
    start, end = (sx + sw / 2, sy), (tx + tw / 2, ty + th)
    points = [start]
    rows = sorted({b[1] for b in placed.values() if min(sy, ty) + 1 < b[1] < max(sy, ty) - 1},
                  reverse=sy > ty)
    for row_y in rows:
        row = sorted(b for b in placed.values() if abs(b[1] - row_y) < 1)
        # where the straight line would cross the middle of this row
        frac = (row_y + BOX_H / 2 - start[1]) / (end[1] - start[1])
        x = start[0] + frac * (end[0] - start[0])
        hit = [b for b in row if b[0] - 4 <= x <= b[0] + b[2] + 4]
        if hit:
            inner = [(p[0] + p[2] + q[0]) / 2 for p, q in zip(row, row[1:], strict=False)]
            gaps = [row[0][0] - 8, *inner, row[-1][0] + row[-1][2] + 8]
            x = min(gaps, key=lambda g: abs(g - x))
            below, above = (x, row_y + BOX_H + 6), (x, row_y - 6)
            points += [below, above] if sy > ty else [above, below]
    points.append(end)
    return points


def box_lines(number: str, title: str, width: float) -> list[str]:
    """The numbered title of a box in at most three lines, the last cut with "…" when it is longer."""
    chars = max(int(width / 7.2), 8)
    wrapped = textwrap.wrap(f"{number} {title}", chars)
    lines = wrapped[:3]
    if len(wrapped) > 3:
        lines[-1] = lines[-1][: chars - 1] + "…"
    return lines


def line_y(top: float, box_height: float, k: int, n: int) -> float:
    """Baseline of line k of n in a box (15 px apart, centred)."""
    return top + box_height / 2 + (k - (n - 1) / 2) * 15 + 4


def svg(s: Structure, *, title: str) -> str:
    numbers = numbering(s)
    placed = boxes(s)
    height_ = height(s)
    # presentation attributes, not style="": the page's Content-Security-Policy allows no inline style
    font = 'font-family="Arial,Helvetica,sans-serif"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height_}" width="{WIDTH}" '
        f'height="{height_}" role="img" aria-labelledby="cm-title" class="change-model">',
        f'<title id="cm-title">{escape(title)}</title>',
        '<defs><marker id="cm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1a1a1a"/></marker></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height_}" fill="#ffffff"/>',
    ]
    for row, (_kind, label, _elements) in enumerate(s.layers):
        parts.append(
            f'<text x="8" y="{layer_label_y(row):.0f}" '
            f'{font} font-size="13" font-weight="bold" fill="#4a4a4a">'
            f"{escape(label)}</text>"
        )
    for link in s.links:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow_route(placed, link))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#1a1a1a" '
            f'stroke-width="1.5" marker-end="url(#cm-arrow)"/>'
        )
    for kind, _label, elements in s.layers:
        fill, ink = COLOURS[kind]
        for e in elements:
            x, y, w, h = placed[e["id"]]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" rx="4" fill="{fill}" '
                f'stroke="#154273" stroke-width="1.5"/>'
            )
            lines = box_lines(numbers[e["id"]], e["title"], w)
            for k, line in enumerate(lines):
                ly = line_y(y, h, k, len(lines))
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{ly:.1f}" text-anchor="middle" '
                    f'{font} font-size="12" fill="{ink}">{escape(line)}</text>'
                )
    if not s.by_id:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{height_ / 2}" text-anchor="middle" {font} font-size="14" '
            f'fill="#4a4a4a">{escape(_("The change model is still empty."))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def rows(s: Structure) -> tuple[list[list], list[list]]:
    """The structure as two tables (elements, arrows) for CSV and XLSX."""
    numbers = numbering(s)
    elements = [[_("number"), _("layer"), _("title"), _("description"), _("leads to")]]
    for _kind, label, items in s.layers:
        for e in items:
            elements.append(
                [
                    numbers[e["id"]],
                    label,
                    e["title"],
                    e["description"],
                    ", ".join(numbers[ln["target"]] for ln in e["out"]),
                ]
            )
    arrows = [[_("from"), _("to"), _("from (title)"), _("to (title)"), _("assumption"), _("rationale")]]
    for ln in s.links:
        arrows.append(
            [
                numbers[ln["source"]],
                numbers[ln["target"]],
                ln["source_title"],
                ln["target_title"],
                ln["assumption"],
                ln["rationale"],
            ]
        )
    return elements, arrows
