"""Reads of organisations and memberships, always through core.tenancy."""

from __future__ import annotations

from django.db.models import QuerySet

from wijkinzicht.core.tenancy import require_member, scope_to_user

from .constants import ROLES_SEE_MEMBERS
from .models import Membership, Organisation


def organisations_for_user(*, user, roles: set[str] | None = None) -> QuerySet[Organisation]:
    """The organisations the user is an active member of (optionally in one of roles)."""
    return scope_to_user(Organisation.objects.all(), user=user, field="id", roles=roles).prefetch_related(
        "areas_served").order_by("name")


def organisation_list() -> QuerySet[Organisation]:
    """All organisations: name, kind and areas are public (they will be on the sociale kaart)."""
    return Organisation.objects.prefetch_related("areas_served").order_by("name")


def organisation_members(*, organisation_id: int, user) -> QuerySet[Membership]:
    """Members of one organisation, for its coordinators and administrators only."""
    require_member(user, organisation_id, roles=set(ROLES_SEE_MEMBERS))
    return scope_to_user(
        Membership.objects.select_related("user", "organisation"), user=user,
        roles=set(ROLES_SEE_MEMBERS),
    ).filter(organisation_id=organisation_id).order_by("user__username", "role")


def roles_of(*, user, organisation: Organisation) -> list[str]:
    return list(organisation.memberships.filter(user=user, is_active=True)
                .values_list("role", flat=True))
