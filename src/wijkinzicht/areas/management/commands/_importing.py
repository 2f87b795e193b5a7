"""What every area import command does around its service: a refused file is listed issue by issue
on stderr, named by its file, and ends the command with "Nothing was imported."; a file that
cannot be opened ends it with the reason."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from wijkinzicht.areas.importers import ImportFailed


def run_import(command, file: str, do):
    """`do()` runs the import and returns its report."""
    try:
        return do()
    except ImportFailed as exc:
        for issue in exc.issues:
            command.stderr.write(f"{file}: {issue}")
        raise CommandError(_("Nothing was imported.")) from None
    except OSError as exc:
        raise CommandError(str(exc)) from None
