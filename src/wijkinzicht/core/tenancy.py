"""The one place where organisation-owned data is scoped to the organisations of a user.

Every selector that returns records owned by an organisation passes its queryset through
`scope_to_user`. The rule: a user sees the records of the organisations they are an active
member of, nothing else — also not as a superuser through pages, API or exports (the Django
admin is the only place where staff can see across organisations).

Apps hand in the name of the field that points at the owning organisation; the membership
relation is read through the reverse accessor `memberships` that parties.Membership defines
on the user model, so core does not import any app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

M = TypeVar("M", bound=Model)


class TenancyError(PermissionError):
    """Raised when a user asks for data of an organisation they do not belong to."""


def organisation_ids_for(user: AbstractBaseUser | None, *, roles: set[str] | None = None) -> set[int]:
    """Ids of the organisations the user is an active member of (optionally with one of roles)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cache_key = "_wijkinzicht_org_ids"
    cached = getattr(user, cache_key, None)
    if cached is None:
        cached = {}
        for org_id, role in user.memberships.filter(is_active=True).values_list(
            "organisation_id", "role"
        ):
            cached.setdefault(org_id, set()).add(role)
        setattr(user, cache_key, cached)
    if roles is None:
        return set(cached)
    return {org_id for org_id, have in cached.items() if have & roles}


def scope_to_user(
    queryset: QuerySet[M], *, user: AbstractBaseUser | None, field: str = "organisation",
    roles: set[str] | None = None,
) -> QuerySet[M]:
    """Restrict queryset to records whose `field` is one of the user's organisations."""
    ids = organisation_ids_for(user, roles=roles)
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})


def require_member(
    user: AbstractBaseUser | None, organisation_id: int, *, roles: set[str] | None = None
) -> None:
    """Raise TenancyError unless the user is a member of the organisation (with one of roles)."""
    if organisation_id not in organisation_ids_for(user, roles=roles):
        raise TenancyError("not a member of this organisation")
