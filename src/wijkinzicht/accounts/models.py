"""API tokens, stored as a digest only, with an expiry, and void after a password change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal API key. The key itself is shown once; only its SHA-256 digest is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("Whose key it is; the API acts with this user's rights."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the key is for."))
    prefix = models.CharField(
        _("prefix"), max_length=12, unique=True, help_text=_("The first, public part of the key, to find it.")
    )
    digest = models.CharField(_("digest"), max_length=64, help_text=_("SHA-256 of the whole key."))
    password_stamp = models.CharField(
        _("password stamp"),
        max_length=64,
        help_text=_("Digest of the user's password state when the key was made: a new password voids it."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the key was made.")
    )
    expires_at = models.DateTimeField(
        _("expires at"), help_text=_("After this moment the key no longer works.")
    )
    last_used_at = models.DateTimeField(
        _("last used"), null=True, blank=True, help_text=_("When the key was last used.")
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
