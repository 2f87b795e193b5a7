"""The register of processing activities, for everyone who works with the data."""

from django.shortcuts import render

from wijkinzicht.core.processing import REGISTER

from .services import retention_days


def register(request):
    activities = [{"key": key, "uri": a.uri(key), **a.__dict__} for key, a in REGISTER.items()]
    return render(request, "privacy/register.html", {"activities": activities, "days": retention_days()})
