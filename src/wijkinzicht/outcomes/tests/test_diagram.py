"""The change-model diagram never draws an arrow behind a box (issue 14: U3 -> U1 was drawn straight
behind U2 and read as U2 -> U1, on the page and in the PDF)."""

from wijkinzicht.outcomes import diagram
from wijkinzicht.outcomes.selectors import structure


def model(links):
    elements = [{"id": 1, "kind": "goal", "title": "Doel", "position": 0}]
    layers = ((10, "outcome", "Uitkomst"), (20, "output", "Prestatie"), (30, "activity", "Activiteit"))
    for base, kind, title in layers:
        elements += [{"id": base + k, "kind": kind, "title": f"{title} {k}", "position": k}
                     for k in range(1, 4)]
    return structure({"elements": elements, "links": [{"id": i, "source": s, "target": t}
                                                      for i, (s, t) in enumerate(links)]})


def crosses(route, box) -> bool:
    """Whether a route of straight segments passes through the inside of a box."""
    x, y, w, h = box
    for (ax, ay), (bx, by) in zip(route, route[1:], strict=False):
        for k in range(101):  # sample the segment
            px, py = ax + (bx - ax) * k / 100, ay + (by - ay) * k / 100
            if x + 1 < px < x + w - 1 and y + 1 < py < y + h - 1:
                return True
    return False


def test_no_arrow_passes_behind_a_box():
    links = [(13, 11), (11, 13), (31, 13), (33, 11), (32, 1), (21, 23), (21, 22)]
    s = model(links)
    placed = diagram.boxes(s)
    for link in s.links:
        route = diagram.arrow_route(placed, link)
        for element_id, box in placed.items():
            if element_id not in (link["source"], link["target"]):
                assert not crosses(route, box), (link["source"], link["target"], element_id)
    svg = diagram.svg(s, title="t")
    assert svg.count("<polyline") == len(links) and "<line " not in svg


def test_the_pdf_draws_the_same_routes():
    from reportlab.graphics.shapes import Line

    from wijkinzicht.outcomes.pdf import _model

    s = model([(13, 11), (33, 11)])
    placed = diagram.boxes(s)
    segments = sum(len(diagram.arrow_route(placed, link)) - 1 for link in s.links)
    drawing = _model(s, 500)
    lines = [shape for shape in drawing.contents if isinstance(shape, Line)]
    assert len(lines) == segments + 2 * len(s.links)  # every segment, and two strokes of each arrowhead
