"""Signals pages: the organisation's own signals, entering one (checked for personal data, themes
suggested), import, the report of an area with trends and alarms (page, CSV, PDF), a bundle with
the municipality's answers, and the classifier with its versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from wijkinzicht.analysis import pii
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.charts import format_number
from wijkinzicht.core.exports import csv_bytes
from wijkinzicht.core.tenancy import organisation_ids_for
from wijkinzicht.parties import selectors as party_selectors
from wijkinzicht.parties.models import Organisation

from . import importers, presentation, selectors, services
from .forms import ImportForm, ReportForm, ResponseForm, SignalForm
from .models import Bundle, ClassifierVersion, Signal, Theme


def _organisations(user):
    return list(Organisation.objects.filter(pk__in=organisation_ids_for(user)).order_by("name"))


@require_safe
def signal_list(request):
    page = Paginator(selectors.signals_for_user(user=request.user).prefetch_related("themes"), 50).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "signals/list.html",
        {"page": page, "served": party_selectors.served_areas(user=request.user)},
    )


def _chosen_organisation(form, organisations):
    if "organisation" in form.fields:
        return next((o for o in organisations if str(o.pk) == form.cleaned_data.get("organisation")), None)
    return organisations[0] if organisations else None


def signal_new(request):
    """Step one checks the text (personal data highlighted, themes suggested); step two saves."""
    organisations = _organisations(request.user)
    if not organisations:
        raise PermissionDenied
    areas = selectors.reportable_areas(user=request.user)
    by_code = {a.code: a for a in areas}
    form = SignalForm(request.POST or None, areas=areas, organisations=organisations)
    findings, suggestions, highlighted, checked = [], [], [], False
    suggested, version = [], None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        findings = services.check_text(text)
        highlighted = pii.segments(text, findings)
        suggested, version = services.suggest(text)
        suggestions = [
            {"theme": s.theme.key, "confidence": round(s.confidence, 3), "certain": s.certain}
            for s in suggested
        ]
        step = request.POST.get("stap")
        if step != "opslaan" or not form.cleaned_data["themes"]:
            # step one: tick the confident suggestions, keep the person's own choices
            checked = True
            data = request.POST.copy()
            if not form.cleaned_data["themes"]:
                data.setlist("themes", [s.theme.key for s in suggested if s.certain])
            if step == "opslaan" and not form.cleaned_data["themes"]:
                messages.error(request, _("Choose at least one theme."))
            form = SignalForm(data, areas=areas, organisations=organisations)
            form.is_valid()
            return _signal_form_page(request, form, findings, highlighted, checked, suggested, version)
        themes = list(Theme.objects.filter(key__in=form.cleaned_data["themes"], is_active=True))
        main = Theme.objects.filter(key=form.cleaned_data.get("main_theme") or "", is_active=True).first()
        data = services.SignalInput(
            area=by_code[form.cleaned_data["area"]],
            observed_on=form.cleaned_data["observed_on"],
            text=text,
            themes=themes,
            main_theme=main,
            target_group=form.cleaned_data["target_group"],
            urgency=form.cleaned_data["urgency"],
            novelty=form.cleaned_data["novelty"],
            confirm_no_personal_data=form.cleaned_data["confirm_no_personal_data"],
            suggestions=suggestions,
            classifier_version=version,
        )
        try:
            signal = services.signal_create(
                user=request.user, organisation=_chosen_organisation(form, organisations), data=data
            )
        except services.SignalInputError as exc:
            # the check's step again, with the person's own choices and the save button kept
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            checked = True
        else:
            messages.success(request, _("The signal was saved."))
            return redirect("signals:detail", pk=signal.pk)
    return _signal_form_page(request, form, findings, highlighted, checked, suggested, version)


def _signal_form_page(request, form, findings, highlighted, checked, suggested, version):
    return render(
        request,
        "signals/new.html",
        {
            "form": form,
            "findings": findings,
            "highlighted": highlighted,
            "checked": checked,
            "questions": [s for s in suggested if not s.certain],
            "answers": [s for s in suggested if s.certain],
            "version": version,
            "kinds": {f.kind: services.kind_label(f.kind) for f in findings},
        },
    )


def _own_signal(request, pk) -> Signal:
    try:
        return selectors.signals_for_user(user=request.user).prefetch_related("themes").get(pk=pk)
    except Signal.DoesNotExist as exc:
        raise Http404 from exc


@require_safe
def signal_detail(request, pk):
    signal = _own_signal(request, pk)
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "may_review": services.may_review(user=request.user, signal=signal),
            "responses": signal.bundle.responses.select_related("organisation") if signal.bundle_id else [],
        },
    )


@require_POST
def signal_review(request, pk):
    signal = _own_signal(request, pk)
    try:
        services.signal_review(
            user=request.user, signal=signal, quotable=request.POST.get("quotable") == "ja"
        )
    except services.SignalInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The review was saved."))
    return redirect("signals:detail", pk=pk)


def signal_import(request):
    organisations = _organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importers.rows_from_file(upload.name, upload.read())
            saved = importers.import_rows(
                user=request.user, organisation=_chosen_organisation(form, organisations), rows=rows
            )
        except importers.SignalImportError as exc:
            errors = exc.errors[:100]
        except services.SignalInputError as exc:
            errors = [(None, "", exc.message)]
        else:
            messages.success(
                request,
                ngettext("%(n)s signal was imported.", "%(n)s signals were imported.", len(saved))
                % {"n": len(saved)},
            )
            return redirect("signals:list")
    return render(request, "signals/import.html", {"form": form, "errors": errors})


# ---- the report ----------------------------------------------------------------------------------


@require_safe
def report_index(request):
    form = ReportForm(request.GET or None)
    problem = ""
    if form.is_bound and form.is_valid():
        (area,), problems = area_selectors.resolve_each([form.cleaned_data["gebied"].strip()])
        if area is not None:
            query = request.GET.copy()
            query.pop("gebied", None)
            return redirect(
                reverse("signals:report", args=[area.code]) + ("?" + query.urlencode() if query else "")
            )
        problem = problems[0] if problems else ""
    return render(
        request,
        "signals/report_index.html",
        {
            "form": form,
            "problem": problem,
            "served": party_selectors.served_areas(user=request.user),
        },
    )


def _report(request, code):
    try:
        area = area_selectors.area_get(code=code)
    except Area.DoesNotExist as exc:
        raise Http404(code) from exc
    if not party_selectors.serves_area(user=request.user, area=area):
        raise PermissionDenied
    form = ReportForm(dict(request.GET.items(), gebied=area.code))
    if not form.is_valid():
        return None, form, area
    period, per = form.period()
    # the form shows the period the report is about, also when it was not given
    form = ReportForm({"gebied": area.code, "periode": period.code, "per": per})
    form.is_valid()
    return presentation.for_period(area=area, period=period, per=per), form, area


@require_safe
def report(request, code):
    built, form, area = _report(request, code)
    return render(
        request,
        "signals/report.html",
        {
            "report": built,
            "form": form,
            "area": area,
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def report_export(request, code, fmt):
    built, form, area = _report(request, code)
    if built is None:
        raise Http404
    name = f"signalen-{area.code}-{built.since:%Y%m%d}-{built.until:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(
            csv_bytes(presentation.csv_rows(built)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from .pdf import report_pdf

    response = HttpResponse(report_pdf(built), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# ---- bundles -------------------------------------------------------------------------------------


def bundle_detail(request, pk):
    bundle = get_object_or_404(Bundle.objects.select_related("theme", "area"), pk=pk)
    if not party_selectors.serves_area(user=request.user, area=bundle.area):
        raise Http404
    answering = list(services.answering_organisations(user=request.user, bundle=bundle))
    form = ResponseForm(request.POST or None)
    if request.method == "POST":
        if not answering:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.bundle_respond(
                    user=request.user,
                    bundle=bundle,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                )
            except services.SignalInputError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The answer was recorded."))
                return redirect("signals:bundle", pk=bundle.pk)
    signals = bundle.signals.all()
    own = signals.filter(organisation_id__in=organisation_ids_for(request.user)).select_related("area")
    from wijkinzicht.core.disclosure import show_perturbed

    count = signals.count()
    key = sum(signals.values_list("record_key", flat=True)) if count else 0
    return render(
        request,
        "signals/bundle.html",
        {
            "bundle": bundle,
            "shown": show_perturbed(count, key),
            "organisations": signals.values("organisation").distinct().count(),
            "own": own,
            "responses": bundle.responses.select_related("organisation"),
            "form": form if answering else None,
            "quotes": signals.filter(quotable=True, personal_data_flags=[]).order_by("-observed_on")[:5],
        },
    )


# ---- the classifier ------------------------------------------------------------------------------

ABOUT = 10


def keyword_list(key: str, themes: dict) -> str:
    return _("(keyword list of %(theme)s)") % {"theme": themes[key].name if key in themes else key}


def about(n: int) -> str:
    """A count on the classifier page, which every user sees and which covers every organisation's
    signals: rounded to tens, fewer than ten not shown (the attacker's pass read exact counts of one
    wijk off this page)."""
    return f"< {ABOUT}" if n < ABOUT else _("about %(n)s") % {"n": format_number(round(n, -1), 0)}


@require_safe
def classifier(request):
    versions = list(ClassifierVersion.objects.defer("model").select_related("created_by")[:20])
    for v in versions:
        v.rows_shown = about(v.rows)
    active = next((v for v in versions if v.is_active), None)
    themes = {t.key: t for t in Theme.objects.all()}
    rows = []
    if active and active.report:
        model = active.report.get("model", {})
        lexicon = (active.report.get("lexicon") or {}).get("labels", {})
        for key, figures in model.get("labels", {}).items():
            rows.append(
                {
                    "theme": themes.get(key),
                    "key": key,
                    "figures": figures,
                    "support": about(figures.get("support", 0)),
                    "lexicon": lexicon.get(key),
                    "threshold": (active.report.get("thresholds") or {}).get(key),
                    "features": [
                        keyword_list(f.split(":", 1)[1], themes) if f.startswith("lexicon:") else f
                        for f in (active.report.get("top_features") or {}).get(key, [])
                    ],
                }
            )
    return render(
        request,
        "signals/classifier.html",
        {
            "versions": versions,
            "active": active,
            "active_rows": about(active.rows) if active else "",
            "rows": rows,
            "may_train": services.may_train(request.user),
            "themes": Theme.objects.all(),
            "report": active.report if active else None,
            "answered_pct": format_number(100 * active.report["answered_share"], 1)
            if active and active.report.get("answered_share") is not None
            else "",
            "right_pct": format_number(100 * active.report["answer_precision"], 1)
            if active and active.report.get("answer_precision") is not None
            else "",
            "confusion": [
                {
                    "true": themes[c["true"]].name if c["true"] in themes else c["true"],
                    "predicted": themes[c["predicted"]].name if c["predicted"] in themes else c["predicted"],
                    "count": about(c["count"]),
                }
                for c in ((active.report or {}).get("confusion") or [])[:8]
                if c["count"] >= ABOUT
            ]
            if active
            else [],
        },
    )


@require_POST
def classifier_train(request):
    version = services.classifier_train_request(user=request.user)
    messages.success(request, _("Version %(v)s is being trained in the background.") % {"v": version.version})
    return redirect("signals:classifier")


@require_POST
def classifier_activate(request, pk):
    if request.POST.get("lexicon") == "ja":
        services.classifier_lexicon_only(user=request.user)
        messages.success(request, _("The keyword lists suggest themes again."))
        return redirect("signals:classifier")
    version = get_object_or_404(ClassifierVersion.objects.defer("model"), pk=pk)
    try:
        services.classifier_activate(user=request.user, version=version)
    except services.SignalInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(v)s suggests themes now.") % {"v": version.version})
    return redirect("signals:classifier")
