"""Who must log in with two factors (decision 0013)."""

from wijkinzicht.core.tenancy import organisation_ids_for


def two_factor_required(user) -> bool:
    """Staff (the admin) and every member of an organisation: today every role can read the
    participants of its own organisation, so every role sees personal data."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or organisation_ids_for(user))
