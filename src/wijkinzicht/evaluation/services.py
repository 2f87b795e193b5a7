"""Evaluation services: run an estimator on a panel, and (for the product) on area data.

In the product an evaluation runs in the background: requesting a run stores it as queued together
with a job in the database queue (same transaction), and a `wijkinzicht worker` process computes
it and writes its progress. A run survives restarts of the web server and of the worker
(docs/decisions/0005 and 0012).
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkinzicht.analysis.evaluation import EvaluationError, run_method
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.core.tenancy import require_member

from .constants import EVALUATION_ROLES, DonorPool, Method, RunStatus
from .models import Evaluation, EvaluationRun
from .selectors import evaluation_panel

logger = logging.getLogger(__name__)
ENGINE_VERSION = "wijkinzicht.analysis.evaluation 1"


def evaluation_create(
    *,
    user,
    organisation,
    name: str,
    method: str,
    treated_codes: Sequence[str],
    treatment_year: int,
    outcome_key: str,
    predictors: Sequence[dict] = (),
    donor_pool: str = DonorPool.COMPARABLE,
    donor_count: int = 50,
    donor_codes: Sequence[str] = (),
    exclude_codes: Sequence[str] = (),
    exclude_neighbours: bool = True,
    placebos: bool = True,
    treated_starts: dict[str, int] | None = None,
    programme=None,
) -> Evaluation:
    """Store what to evaluate; refuses users without an evaluating role in the organisation.
    `treated_starts` gives areas their own start year (difference-in-differences only);
    `programme` records the programme whose areas and start are evaluated."""
    require_member(user, organisation.id, roles=EVALUATION_ROLES)
    if method not in Method.values:
        raise EvaluationError(_("unknown method %(method)s") % {"method": method})
    starts = {code: int(year) for code, year in (treated_starts or {}).items() if int(year) != treatment_year}
    if any(code not in treated_codes for code in starts):
        raise EvaluationError(_("a start year is given for an area that is not among the treated areas"))
    if starts and method != Method.DID:
        raise EvaluationError(_("areas with different start years can only be compared with "
                                "difference-in-differences"))
    if starts:
        treatment_year = min([treatment_year, *starts.values()])
        starts = {c: y for c, y in ((c, starts.get(c, treatment_year)) for c in treated_codes)}
    found = area_selectors.areas_by_code(codes=list(treated_codes))
    unknown = [c for c in treated_codes if c not in found]
    if unknown or not treated_codes:
        raise EvaluationError(
            _("unknown area code(s): %(codes)s") % {"codes": ", ".join(unknown)}
            if unknown
            else _("no treated area")
        )
    levels = {a.level for a in found.values()}
    if len(levels) != 1:
        raise EvaluationError(_("the treated areas must all be of the same level"))
    listed = area_selectors.areas_by_code(codes=list(donor_codes))
    unknown = [c for c in donor_codes if c not in listed]
    if unknown:
        raise EvaluationError(_("unknown comparison area code(s): %(codes)s") % {"codes": ", ".join(unknown)})
    if any(a.level not in levels for a in listed.values()):
        raise EvaluationError(_("comparison areas must be of the same level as the treated areas"))
    if donor_pool == DonorPool.LIST and len(donor_codes) < 2:
        raise EvaluationError(_("list at least 2 comparison areas"))
    keys = {i.key: i for i in area_selectors.indicators_all()}
    if outcome_key not in keys:
        raise EvaluationError(_("unknown indicator %(key)s") % {"key": outcome_key})
    for spec in predictors:
        if spec["indicator"] not in keys:
            raise EvaluationError(_("unknown indicator %(key)s") % {"key": spec["indicator"]})
        if int(spec["from"]) > int(spec["to"]):
            raise EvaluationError(
                _("predictor %(key)s: %(first)s is after %(last)s")
                % {"key": spec["indicator"], "first": spec["from"], "last": spec["to"]}
            )
    if method != Method.SYNTH and predictors:
        raise EvaluationError(_("only the synthetic control uses predictors"))
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            organisation=organisation,
            created_by=user,
            name=name.strip(),
            method=method,
            treatment_year=treatment_year,
            outcome=keys[outcome_key],
            predictors=[
                {"indicator": p["indicator"], "from": int(p["from"]), "to": int(p["to"])} for p in predictors
            ],
            donor_pool=donor_pool,
            donor_count=donor_count,
            donor_codes=list(donor_codes),
            exclude_codes=list(exclude_codes),
            exclude_neighbours=exclude_neighbours,
            placebos=placebos,
            treated_starts=starts,
            programme=programme,
        )
        evaluation.treated.set(found.values())
    return evaluation


def evaluation_run_request(*, evaluation: Evaluation, user, background: bool = True) -> EvaluationRun:
    """Queue a run (history is kept: earlier runs stay) with its job, in one transaction."""
    from .tasks import compute_evaluation_run

    require_member(user, evaluation.organisation_id, roles=EVALUATION_ROLES)
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            evaluation=evaluation, requested_by=user, data_version=area_selectors.data_version()
        )
        if background:
            job = compute_evaluation_run.enqueue(run_id=run.pk)
            run.job_id = str(job.id)
            run.save(update_fields=["job_id"])
    return run


def evaluation_run_execute(*, run_id: int, resume: bool = False) -> EvaluationRun:
    """Compute a queued run; the outcome (result or a plain error) is written once, at the end.

    ``resume``: the job queue runs the job again after its worker stopped mid-run; the run is then
    still "running" under that same job, and is computed again from the start.
    """
    claimable = Q(status=RunStatus.QUEUED)
    if resume:
        claimable |= Q(status=RunStatus.RUNNING) & ~Q(job_id="")
    claimed = EvaluationRun.objects.filter(claimable, pk=run_id).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), stage="data", progress=0
    )
    run = EvaluationRun.objects.select_related("evaluation", "evaluation__outcome").get(pk=run_id)
    if not claimed:
        return run  # another worker has it, or it already ran
    evaluation = run.evaluation
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            EvaluationRun.objects.filter(pk=run_id).update(progress=min(99, 10 + int(89 * done / total)))

    try:
        built = evaluation_panel(evaluation=evaluation)
        specification = _specification(evaluation, built)
        EvaluationRun.objects.filter(pk=run_id).update(
            progress=10, stage="estimate", specification=specification
        )
        result = run_method(
            built.panel,
            method=evaluation.method,
            treated=built.treated,
            times=[evaluation.start_of(code) for code in built.treated],
            predictors=built.predictors,
            donors=built.donors,
            placebos=evaluation.placebos,
            progress=progress,
        )
    except EvaluationError as exc:
        return _finish(run_id, status=RunStatus.FAILED, error=str(exc))
    except Exception:  # a bug must not leave the run "running" for ever; the log has the traceback
        logger.exception("evaluation run %s failed", run_id)
        return _finish(
            run_id, status=RunStatus.FAILED, error="internal error; the administrator can see the log"
        )
    data = result.to_dict()
    data["names"] = built.names
    data["notes"] = built.notes
    return _finish(run_id, status=RunStatus.DONE, result=data)


def evaluation_run_give_up(*, run_id: int, error: str) -> None:
    """The job queue gave the run up (its workers kept stopping): say so instead of "running"."""
    EvaluationRun.objects.filter(pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=RunStatus.FAILED, error=error, finished_at=timezone.now(), progress=0, stage=""
    )


def _finish(run_id: int, *, status: str, result: dict | None = None, error: str = "") -> EvaluationRun:
    EvaluationRun.objects.filter(pk=run_id).update(
        status=status,
        result=result,
        error=error,
        finished_at=timezone.now(),
        progress=100 if status == RunStatus.DONE else 0,
        stage="",
    )
    return EvaluationRun.objects.get(pk=run_id)


def _specification(evaluation: Evaluation, built) -> dict:
    """Everything needed to reproduce the run: the question and the exact panel used."""
    panel = built.panel
    return {
        "engine": ENGINE_VERSION,
        "method": evaluation.method,
        "outcome": panel.outcome_name,
        "treated": built.treated,
        "treatment_time": evaluation.treatment_year,
        "treated_starts": {code: evaluation.start_of(code) for code in built.treated},
        "donors": built.donors,
        "predictors": [p.label for p in built.predictors],
        "placebos": evaluation.placebos,
        "donor_pool": evaluation.donor_pool,
        "exclude_neighbours": evaluation.exclude_neighbours,
        "exclude": evaluation.exclude_codes,
        "periods": [int(p) for p in panel.periods],
        "panel": {
            "units": panel.units,
            panel.outcome_name: [[None if v != v else v for v in row] for row in panel.outcome.tolist()],
            **{
                k: [[None if v != v else v for v in row] for row in m.tolist()]
                for k, m in panel.covariates.items()
            },
        },
        "source": "CBS Kerncijfers wijken en buurten (CC BY 4.0)",
    }


# --- composition: an area's change split into stayers, entrants and leavers ----------------------

COMPOSITION_COLUMNS = {
    "id": ("id", "persoon", "pseudoniem"),
    "period": ("period", "periode", "jaar", "year"),
    "area": ("area", "gebied", "buurt", "wijk"),
    "outcome": ("outcome", "uitkomst", "score"),
}


@dataclass
class CompositionResult:
    area: str
    before: str
    after: str
    areas: list[str]
    periods: list[str]
    rows: list[dict]  # part, value (None when too few people), people shown through the disclosure layer
    total_people: dict[str, int | str]
    hidden: bool  # some part is not shown: too few people in a group
    threshold: int


_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]{1,3})?")
MAX_OUTCOME = 1e12  # larger values are no outcome score; their means would overflow


def composition_from_file(*, user, organisation, filename: str, data: bytes, area: str = "",
                          before: str = "", after: str = "") -> CompositionResult:
    """Read a pseudonymous person panel (CSV, one row per person and period: id, period, area,
    outcome) and split one area's change in the mean outcome between two periods into what the
    people who stayed changed, what the entrants and the leavers brought
    (analysis.evaluation.composition). Nothing of the file is kept; the reading, refused or not,
    is written to the processing log. A group with fewer people than the disclosure threshold
    (none included) is not shown, and then neither are the total change and the period totals,
    from which it would follow (core.disclosure)."""
    from wijkinzicht.core import processing

    require_member(user, organisation.id, roles=EVALUATION_ROLES)
    status = processing.STATUS_ERROR
    try:
        result = _composition(filename, data, area, before, after)
        status = processing.STATUS_OK
        return result
    finally:  # refused or not, the file was read
        processing.record(name="evaluation.composition", activity="samenstelling", user=user,
                          organisation_id=organisation.id, status=status)


def _composition(filename: str, data: bytes, area: str, before: str, after: str) -> CompositionResult:
    from wijkinzicht.analysis.evaluation import composition
    from wijkinzicht.analysis.evaluation.periods import PeriodScale
    from wijkinzicht.core import disclosure
    from wijkinzicht.core.personal_data import find_bsn, name_like_id, personal_data_in
    from wijkinzicht.core.tabular import TableError, decode_bytes, read_csv_text

    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")) or data[:4] == b"PK\x03\x04":
        raise EvaluationError(_("Save the person panel as CSV (a workbook is not read here)."))
    if b"\x00" in data[:4096]:
        raise EvaluationError(_("The file is not a CSV text file."))
    kinds = {"bsn": _("a BSN"), "email": _("an e-mail address"), "phone": _("a telephone number")}
    try:
        text, _encoding = decode_bytes(data)
        table = read_csv_text(text)
        header = [str(h or "").strip().lower() for h in table.header]
        where = {}
        for key, names in COMPOSITION_COLUMNS.items():
            found = next((i for i, h in enumerate(header) if h in names), None)
            if found is None:
                shown = ", ".join("".join(ch for ch in h[:40] if ch.isprintable()) for h in header if h)
                raise EvaluationError(_("The file has no column %(names)s (the header has: %(header)s).") % {
                    "names": " / ".join(names), "header": shown[:200]})
            where[key] = found
        scores: dict[tuple[str, str], dict[str, float]] = {}
        for line, cells in table.rows:
            person, period, place, value = (str(cells[where[k]] or "").strip()
                                            for k in ("id", "period", "area", "outcome"))
            if not any((person, period, place, value)):
                continue
            for key, cell in (("id", person), ("period", period), ("area", place)):
                column = header[where[key]]
                if not cell:
                    raise EvaluationError(_("Row %(row)d, column %(column)s: empty.") % {
                        "row": line, "column": column})
                found = personal_data_in(cell)
                if found is None and _NUMBER.fullmatch(cell) and "e" in cell.lower():
                    found = "bsn" if find_bsn(str(int(float(cell.replace(",", "."))))) else None
                if found is not None:
                    raise EvaluationError(_("Row %(row)d, column %(column)s: this looks like %(kind)s; use "
                                            "pseudonyms. Nothing was read.")
                                          % {"row": line, "column": column, "kind": kinds[found]})
            if name_like_id(person):
                raise EvaluationError(_("Row %(row)d, column %(column)s: an id without digits could be a "
                                        "name; use pseudonyms such as P-1042. Nothing was read.")
                                      % {"row": line, "column": header[where["id"]]})
            number = float(value.replace(",", ".")) if _NUMBER.fullmatch(value) else math.nan
            if not (math.isfinite(number) and abs(number) <= MAX_OUTCOME):
                raise EvaluationError(
                    _("Row %(row)d, column %(column)s: %(value)s is not a number (at most 10^12 in size).")
                    % {"row": line, "column": header[where["outcome"]], "value": value[:30]})
            group = scores.setdefault((place[:200], period[:40]), {})
            if person in group:
                raise EvaluationError(
                    _("Row %(row)d: person %(id)s appears twice in %(area)s in %(period)s.")
                    % {"row": line, "id": person[:30], "area": place[:60], "period": period[:20]})
            group[person] = number
    except TableError as exc:
        raise EvaluationError(str(exc)) from None
    if not scores:
        raise EvaluationError(_("The file has no rows."))
    areas = sorted({a for a, _p in scores})
    periods = sorted({p for _a, p in scores})
    try:  # in time order when the periods are years, quarters, months or dates
        scale = PeriodScale.fit(periods)
        periods.sort(key=scale.code)
    except EvaluationError:
        pass
    area = area.strip() or (areas[0] if len(areas) == 1 else "")
    if area not in areas:
        raise EvaluationError(_("Choose one of the areas in the file: %(areas)s.") % {
            "areas": ", ".join(a[:60] for a in areas[:30])})
    before = before.strip() or periods[0]
    after = after.strip() or periods[-1]
    for chosen in (before, after):
        if (area, chosen) not in scores:
            raise EvaluationError(
                _("Nobody in %(area)s in period %(period)s; the file's periods: %(periods)s.")
                % {"area": area[:60], "period": chosen[:40], "periods": ", ".join(periods[:30])})
    if before == after:
        raise EvaluationError(_("Choose two different periods."))
    try:
        result = composition(scores[(area, before)], scores[(area, after)])
    except EvaluationError:
        raise EvaluationError(_("Nobody in %(area)s was there in both periods: the people who stayed "
                                "cannot be followed.") % {"area": area[:60]}) from None
    threshold = disclosure.configured_threshold()
    groups = {"stayers": result.stayers, "entrants": result.entrants, "leavers": result.leavers}
    hidden = {k for k, n in groups.items() if n < threshold}  # an empty group included
    total_before, total_after = len(scores[(area, before)]), len(scores[(area, after)])
    parts = [
        ("stayers", _("people who stayed: their own change"), result.stayers_change),
        ("entrants", _("people who came: how they differ from those who stayed"), result.entrants_effect),
        ("leavers", _("people who left: how they differed from those who stayed"), result.leavers_effect),
    ]
    rows = [{"key": key, "label": label, "value": None if key in hidden else value,
             "people": disclosure.show(groups[key], threshold=threshold)} for key, label, value in parts]
    # with a part hidden, the total and the period totals would give it away (total minus the others)
    rows.append({"key": "total", "label": _("change in the mean"),
                 "value": None if hidden else result.change, "people": None})
    totals = {"before": disclosure.show(total_before, threshold=threshold),
              "after": disclosure.show(total_after, threshold=threshold)}
    if hidden:
        totals = {"before": None, "after": None}
    return CompositionResult(area=area, before=before, after=after, areas=areas, periods=periods, rows=rows,
                             total_people=totals, hidden=bool(hidden), threshold=threshold)
