"""Evaluation pages: list, set-up form, result with charts and tables, status, JSON and PDF."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkinzicht.analysis.evaluation import EvaluationError
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for
from wijkinzicht.parties.selectors import organisations_for_user

from . import presentation, selectors, services
from .constants import EVALUATION_ROLES, RunStatus
from .forms import CompositionForm, EvaluationForm


def _can_run(user, evaluation=None) -> bool:
    ids = organisation_ids_for(user, roles=EVALUATION_ROLES)
    return evaluation.organisation_id in ids if evaluation is not None else bool(ids)


def evaluation_list(request):
    evaluations = selectors.evaluations_for_user(user=request.user).prefetch_related("treated", "runs")
    return render(
        request, "evaluation/list.html", {"evaluations": evaluations, "can_create": _can_run(request.user)}
    )


def evaluation_create(request):
    if not _can_run(request.user):
        raise PermissionDenied
    organisations = list(organisations_for_user(user=request.user, roles=EVALUATION_ROLES))
    from wijkinzicht.outcomes.selectors import programmes_for_user

    programmes = programmes_for_user(user=request.user).prefetch_related("areas").order_by("name")
    form = EvaluationForm(request.POST or None, organisations=organisations,
                          outcomes=selectors.outcome_choices(), programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if str(o.pk) == data["organisation"])
        # refuse in plain Dutch before anything is queued, naming the area and the years
        for problem in selectors.evaluation_problems(treated=data["treated"], outcome_key=data["outcome"],
                                                     start=data["treatment_year"], starts=data["starts"]):
            form.add_error("treated", problem)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if str(o.pk) == data["organisation"])
        try:
            evaluation = services.evaluation_create(
                user=request.user,
                organisation=organisation,
                name=data["name"],
                method=data["method"],
                treated_codes=data["treated"],
                treatment_year=data["treatment_year"],
                outcome_key=data["outcome"],
                predictors=data["predictors"],
                donor_pool=data["donor_pool"],
                donor_count=data["donor_count"] or 50,
                donor_codes=data["donor_codes"],
                exclude_codes=data["exclude_codes"],
                exclude_neighbours=data["exclude_neighbours"],
                placebos=data["placebos"],
                treated_starts=data["starts"],
                programme=data["programme_object"],
            )
        except TenancyError:
            raise PermissionDenied from None
        except EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            services.evaluation_run_request(evaluation=evaluation, user=request.user)
            messages.success(request, _("The evaluation is being computed."))
            return redirect("evaluation:detail", pk=evaluation.pk)
    return render(request, "evaluation/form.html", {"form": form})


def evaluation_detail(request, pk, run_pk=None):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    run = selectors.run_get(evaluation=evaluation, pk=run_pk)
    context = {
        "evaluation": evaluation,
        "run": run,
        "runs": evaluation.runs.all()[:20],
        "can_run": _can_run(request.user, evaluation),
        "newer_data": run is not None and run.data_version < area_selectors.data_version(),
        "treated": [_with_start(a, evaluation) for a in evaluation.treated.all().order_by("code")],
    }
    if run is not None and run.status == RunStatus.DONE and run.result:
        context["view"] = presentation.result_view(run.result, outcome=evaluation.outcome)
    return render(request, "evaluation/detail.html", context)


def _with_start(area, evaluation):
    area.start = evaluation.start_of(area.code)
    return area


@require_POST
def evaluation_run(request, pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    try:
        services.evaluation_run_request(evaluation=evaluation, user=request.user)
    except TenancyError:
        raise PermissionDenied from None
    messages.success(request, _("The evaluation is being computed again on the current data."))
    return redirect("evaluation:detail", pk=evaluation.pk)


def run_status(request, pk, run_pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    run = selectors.run_get(evaluation=evaluation, pk=run_pk)
    return JsonResponse({"status": run.status, "progress": run.progress, "label": run.get_status_display()})


def run_json(request, pk, run_pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    run = selectors.run_get(evaluation=evaluation, pk=run_pk)
    data = presentation.export_data(evaluation, run)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="evaluatie-{evaluation.pk}-run-{run.pk}.json"'
    return response


def run_pdf(request, pk, run_pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    run = selectors.run_get(evaluation=evaluation, pk=run_pk)
    if run.status != RunStatus.DONE:
        return HttpResponse(
            _("This run has no result."), status=409, content_type="text/plain; charset=utf-8"
        )
    from .pdf import evaluation_pdf

    response = HttpResponse(evaluation_pdf(evaluation, run), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluatie-{evaluation.pk}-run-{run.pk}.pdf"'
    return response


def composition(request):
    """Upload a pseudonymous person panel; see an area's change split into stayers, entrants and
    leavers (nothing is stored)."""
    if not _can_run(request.user):
        raise PermissionDenied
    organisations = list(organisations_for_user(user=request.user, roles=EVALUATION_ROLES))
    form = CompositionForm(request.POST or None, request.FILES or None, organisations=organisations)
    result = chart = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if str(o.pk) == data["organisation"])
        upload = data["file"]
        try:
            result = services.composition_from_file(
                user=request.user, organisation=organisation, filename=upload.name, data=upload.read(),
                area=data["area"], before=data["before"], after=data["after"])
        except TenancyError:
            raise PermissionDenied from None
        except EvaluationError as exc:
            form.add_error("file", str(exc))
        else:
            chart = presentation.composition_chart(result)
    return render(request, "evaluation/composition.html", {"form": form, "result": result, "chart": chart})
