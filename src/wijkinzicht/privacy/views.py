"""The register of processing activities, for everyone who works with the data."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkinzicht.core.processing import REGISTER

from .services import retention_days


def register(request):
    activities = [{"key": key, "uri": a.uri(key), **a.__dict__} for key, a in REGISTER.items()]
    labels = {
        "rejected_rows": _("Values of rejected import rows"),
        "uploads": _("Uploaded files that were never imported"),
        "participants": _("Participants without attendance or measurement"),
        "job_results": _("Results of finished background jobs"),
        "processing_log": _("Processing log"),
    }
    periods = [(labels[kind], kind, days) for kind, days in retention_days().items()]
    return render(request, "privacy/register.html", {"activities": activities, "periods": periods})
