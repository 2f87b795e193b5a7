"""What the programme pages, the report and its PDF show, put together from the selectors."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from wijkinzicht.core.charts import Line, line_chart

from . import diagram, instruments, selectors
from .constants import ElementKind, PartyRole, Progress, SourceKind


def progress_rule() -> str:
    return _(
        "Progress rule: achieved when the latest value has reached the target; on track when it is at least "
        "where a straight line from the baseline to the target would be on the date of the latest value; "
        "behind otherwise (also when the target date has passed); unknown without a baseline, a target or "
        "a value. An outcome is achieved when all its indicators are, behind when any is behind, "
        "otherwise on track."
    )


def live_structure(programme) -> selectors.Structure:
    from .services import snapshot

    return selectors.structure(snapshot(programme))


def model_svg(programme, structure) -> str:
    return diagram.svg(structure, title=_("Change model of %(name)s") % {"name": programme.name})


def numbered_elements(structure) -> list[dict]:
    """The elements, layer by layer, each with its number in the diagram (D1, U2, …)."""
    numbers = diagram.numbering(structure)
    return [{**e, "number": numbers[e["id"]]} for _kind, _label, items in structure.layers for e in items]


def _labels() -> dict:
    return dict(Progress.choices)


def _source_text(indicator, questionnaires=()) -> str:
    if indicator.source == SourceKind.AREA:
        return _("CBS: %(indicator)s, %(area)s") % {
            "indicator": indicator.area_indicator.label if indicator.area_indicator_id else "?",
            "area": indicator.area.display_name if indicator.area_id else "?",
        }
    if indicator.source == SourceKind.REACH:
        return _("Reach of the programme's activities: %(measure)s per year") % {
            "measure": indicator.get_reach_measure_display()
        }
    if indicator.source == SourceKind.INSTRUMENT:
        try:
            name = instruments.spec(indicator.instrument, questionnaires).name
        except KeyError:
            name = indicator.instrument
        part = f" ({indicator.instrument_part})" if indicator.instrument_part else ""
        return _("Mean score per year of %(instrument)s%(part)s, from 5 people on") % {
            "instrument": name,
            "part": part,
        }
    return _("Manual series")


def _outcome_rows(structure, views, questionnaires=()):
    """Per goal/outcome: number, element, its indicators (with source text) and its progress."""
    numbers = diagram.numbering(structure)
    rows = []
    for kind, _label, elements in structure.layers:
        if kind not in (ElementKind.GOAL, ElementKind.OUTCOME):
            continue
        for e in elements:
            own = views.get(e["id"], [])
            for v in own:
                v.source_text = _source_text(v.indicator, questionnaires)
            rows.append(
                {
                    "element": e,
                    "number": numbers[e["id"]],
                    "indicators": own,
                    "status": selectors.outcome_progress(own),
                }
            )
    return rows


def _overview(programme, *, exact: bool, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """What the programme page and the report share: the model, outcomes with their indicators and
    progress (values up to end), visions, reach and outcome results (in [start, end]); `exact`: the
    user's organisations hold every record behind them, else partners' protection applies."""
    structure = live_structure(programme)
    views = selectors.indicator_views(programme=programme, today=end)
    if end is not None:
        for vs in views.values():
            for v in vs:
                v.points = [p for p in v.points if p.date <= end]
    partners, vision_rows = selectors.visions(programme=programme)
    return {
        "programme": programme,
        "partners": partners,
        "structure": structure,
        "numbers": diagram.numbering(structure),
        "svg": model_svg(programme, structure),
        "outcomes": _outcome_rows(structure, views, selectors.questionnaires_for(programme=programme)),
        "vision_rows": vision_rows,
        "reach": selectors.reach_summary(programme=programme, start=start, end=end, exact=exact),
        "results": (selectors.outcome_results(programme=programme, start=start, end=end) if exact
                    else selectors.partner_results(programme=programme, start=start, end=end)),
        "exact": exact,
        "progress_labels": _labels(),
        "progress_rule": progress_rule(),
        "note": instruments.MONITORING_NOTE,
        "role_labels": dict(PartyRole.choices),
    }


def programme_page(*, programme, user) -> dict:
    return {
        **_overview(programme, exact=selectors.exact_for(user=user, programme=programme)),
        "areas": list(programme.areas.all()),
        "activities": list(programme.activities.select_related("organisation")),
        "can_edit": selectors.can_edit(user=user, programme=programme),
        "can_state_vision": bool(selectors.vision_organisation_ids(user=user, programme=programme)),
        "version": programme.versions.first(),
    }


def outcome_page(*, programme, element, user) -> dict:
    views = selectors.indicator_views(programme=programme).get(element.pk, [])
    questionnaires = selectors.questionnaires_for(programme=programme)
    for v in views:
        v.source_text = _source_text(v.indicator, questionnaires)
    partners, rows = selectors.visions(programme=programme)
    row = next((r for r in rows if r.element.pk == element.pk), None)
    return {
        "programme": programme,
        "element": element,
        "indicators": views,
        "status": selectors.outcome_progress(views),
        "partners": partners,
        "row": row,
        "progress_labels": _labels(),
        "progress_rule": progress_rule(),
        "role_labels": dict(PartyRole.choices),
    }


def indicator_page(*, programme, indicator) -> dict:
    view = next(
        (
            v
            for v in selectors.indicator_views(programme=programme).get(indicator.element_id, [])
            if v.indicator.pk == indicator.pk
        ),
        None,
    )
    view.source_text = _source_text(indicator, selectors.questionnaires_for(programme=programme))
    chart = None
    annual = [p for p in view.points if p.value is not None]
    if len(annual) >= 2 and indicator.source != SourceKind.MANUAL:
        points = {p.date.year: p.value for p in annual}
        chart = line_chart(
            title=indicator.name,
            lines=[Line(indicator.name, points)],
            years=sorted(points),
            decimals=2,
            chart_id="indicator-chart",
            table_id="indicator-table",
            target=indicator.target_value,
            target_label=_("target"),
        )
    return {
        "programme": programme,
        "indicator": indicator,
        "view": view,
        "chart": chart,
        "progress_labels": _labels(),
        "progress_rule": progress_rule(),
    }


def report_period(query, programme) -> tuple[dt.date, dt.date]:
    def parse(name, default):
        try:
            return dt.date.fromisoformat(query.get(name, ""))
        except ValueError:
            return default

    start = parse("van", programme.start_date)
    end = parse("tot", min(programme.end_date, dt.date.today()))
    if end < start:
        start, end = end, start
    return start, end


def report(*, programme, user, start: dt.date, end: dt.date) -> dict:
    """The report for a period; a partner gets it for whole calendar years (decision 0014)."""
    exact = selectors.exact_for(user=user, programme=programme)
    if not exact:
        start, end = selectors.partner_period(programme, start, end)
    return {**_overview(programme, exact=exact, start=start, end=end), "start": start, "end": end}
