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
    except FileNotFoundError:
        raise CommandError(_("%(file)s: the file does not exist.") % {"file": file}) from None
    except IsADirectoryError:
        raise CommandError(_("%(file)s: this is a folder, not a file.") % {"file": file}) from None
    except PermissionError:
        raise CommandError(_("%(file)s: no permission to read the file.") % {"file": file}) from None
    except OSError as exc:
        raise CommandError(_("%(file)s: the file cannot be read (%(reason)s).")
                           % {"file": file, "reason": exc.strerror or exc}) from None
