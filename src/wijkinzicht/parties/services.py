"""Writes of organisations and memberships."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organisation


@transaction.atomic
def organisation_create(*, name: str, kind: str, area_codes: Iterable[str] = (),
                        website: str = "") -> Organisation:
    """Create an organisation serving the given areas (codes that do not exist are an error)."""
    from wijkinzicht.areas.models import Area

    org = Organisation(name=name, kind=kind, website=website)
    org.full_clean()
    org.save()
    codes = list(area_codes)
    areas = list(Area.objects.filter(code__in=codes))
    missing = set(codes) - {a.code for a in areas}
    if missing:
        raise ValueError(f"unknown area codes: {', '.join(sorted(missing))}")
    org.areas_served.set(areas)
    return org


@transaction.atomic
def membership_grant(*, user, organisation: Organisation, role: str) -> Membership:
    """Give the user a role in the organisation (idempotent)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"is_active": True})
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    return membership


def user_create(*, username: str, password: str, email: str = "", first_name: str = "",
                last_name: str = ""):
    """Create a login; the password is stored hashed."""
    User = get_user_model()
    return User.objects.create_user(username=username, password=password, email=email,
                                    first_name=first_name, last_name=last_name)
