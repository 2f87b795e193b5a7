"""Every organisation of the foundation is a party in the network, serving the areas it serves:
kept in step when an organisation is saved or its areas change (the network app listens; the
parties app does not know about it)."""

from __future__ import annotations


def organisation_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures and restores bring their own parties
        return
    from .services import party_for_organisation

    party_for_organisation(instance)


def areas_changed(sender, instance, action, reverse=False, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    from .services import party_for_organisation

    party = party_for_organisation(instance)
    party.areas.set(instance.areas_served.all())
