"""The `wijkinzicht` console script: Django's management commands with our settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. `wijkinzicht import-kwb FILE`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkinzicht.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wijkinzicht", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
