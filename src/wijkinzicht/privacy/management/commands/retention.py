"""wijkinzicht retention [--dry-run]: delete what is kept longer than its retention period."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.core import processing
from wijkinzicht.privacy.services import retention, retention_days


class Command(BaseCommand):
    help = _("Delete what is due per data type (docs/privacy.md) and log it; --dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("Count what is due, delete nothing."))

    def handle(self, *args, dry_run=False, **options):
        token = processing.set_trace()
        try:
            due = retention(dry_run=dry_run)
        finally:
            processing.reset_trace(token)
        days = retention_days()
        for kind, n in due.counts.items():
            self.stdout.write(_("%(kind)s (after %(days)d days): %(n)d %(what)s")
                              % {"kind": kind, "days": days[kind], "n": n,
                                 "what": _("due") if dry_run else _("deleted")})
