"""The `wijkinzicht` console script: Django's management commands with our settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. `wijkinzicht import-kwb FILE`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkinzicht.config.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["evaluate"]:
        # a research tool on plain files: no database and no settings, so no Django at all; it
        # answers --help at once and writes nothing where it runs (issue 15)
        from wijkinzicht.evaluation.command import main as evaluate

        sys.exit(evaluate(args[1:]))
    if args[:1] == ["network"]:
        from wijkinzicht.network.command import main as network

        sys.exit(network(args[1:]))
    if args[:1] == ["signals"]:
        from wijkinzicht.signals.command import main as signals

        sys.exit(signals(args[1:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wijkinzicht", *args])


if __name__ == "__main__":
    main()
