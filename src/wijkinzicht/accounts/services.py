"""Account services: API keys (hashed, expiring, void after a password change) and two factors."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken

KEY_PREFIX = "wi"
RECOVERY_CODES = 10


class AccountError(ValueError):
    """A refusal with a message for the user."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def password_stamp(user) -> str:
    """Changes whenever the password changes (Django's session hash does the same for sessions)."""
    return _digest(user.get_session_auth_hash())


def api_token_issue(*, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Make a key for the user; returns the stored token and the key, which is never shown again."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_DAYS:
        raise AccountError(f"days must be between 1 and {settings.API_TOKEN_DAYS}")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = f"{KEY_PREFIX}_{prefix}_{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        digest=_digest(key),
        password_stamp=password_stamp(user),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def api_token_check(key: str) -> ApiToken | None:
    """The live token for a key, or None: unknown, wrong, expired, user inactive or new password."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8 or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(key)):
        return None
    now = timezone.now()
    if token.expires_at <= now or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.password_stamp, password_stamp(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write per 5 minutes
    return token


def api_token_revoke(*, user, pk: int) -> None:
    ApiToken.objects.filter(user=user, pk=pk).delete()


def api_tokens_void_for(user) -> int:
    """Delete the user's keys made before the current password (called after a password change)."""
    stamp = password_stamp(user)
    deleted, _ = ApiToken.objects.filter(user=user).exclude(password_stamp=stamp).delete()
    return deleted


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator of a user setting up two factors (made once, then reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code from it; returns it and new recovery codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_clean(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user=user)
    return device, codes


def recovery_codes_renew(*, user) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def two_factor_verify(*, user, code: str):
    """The device that accepts the code (authenticator or a recovery code, used up), or None.

    Each device throttles wrong codes itself (django-otp: growing delays after each failure)."""
    code = _clean(code)
    if not code or len(code) > 20:
        return None
    for device in [*TOTPDevice.objects.filter(user=user, confirmed=True),
                   *StaticDevice.objects.filter(user=user, confirmed=True)]:
        with transaction.atomic():
            if device.verify_token(code):
                return device
    return None


def two_factor_reset(*, user) -> None:
    """Remove a user's authenticator and recovery codes (lost phone): the next login sets up anew."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()
