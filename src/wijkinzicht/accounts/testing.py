"""For tests and benchmarks: log a Django test client in as a user who finished both steps."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_login(client, user, backend=None) -> None:
    """force_login plus a confirmed authenticator of the user (made if needed), marked as used."""
    from django.test import Client

    Client.force_login(client, user, backend)  # Django's own, also when the client overrides it
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
