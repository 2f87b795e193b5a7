"""Reads of organisations and memberships, always through core.tenancy."""

from __future__ import annotations

from django.db.models import QuerySet

from wijkinzicht.core.tenancy import organisation_ids_for, require_member, scope_to_user

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


def served_areas(*, user) -> QuerySet:
    """The areas the user's organisations serve."""
    from wijkinzicht.areas.models import Area

    organisations = Organisation.objects.filter(pk__in=organisation_ids_for(user))
    return Area.objects.filter(pk__in=organisations.values("areas_served")).order_by("name", "code")


def serves_area(*, user, area) -> bool:
    """Whether the user is a member of an organisation serving the area, an area within it or one
    containing it: the partners in an area, who see its network (decision 0024) and its signal report
    (decision 0025). Every area lies within the country, so the country's figures are only for an
    organisation that serves the whole country."""
    from django.db.models import Q

    from wijkinzicht.areas.selectors import related_area_q

    ids = organisation_ids_for(user)
    if not ids:
        return False
    served = Q(areas_served=area) if area.level == "land" else related_area_q(area, "areas_served__")
    return Organisation.objects.filter(pk__in=ids).filter(served).exists()
