"""The `wijkinzicht` console script: Django's management commands with our settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. `wijkinzicht import-kwb FILE`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkinzicht.config.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["evaluate"] and not os.environ.get("WIJKINZICHT_VAR_DIR"):
        # a research tool on plain files: it keeps nothing, so the settings' working folder (the
        # generated secret key, the static folder) goes to a temporary folder removed on exit,
        # not into var/ of whatever directory it is run from (issue 15)
        import atexit
        import shutil
        import tempfile

        scratch = tempfile.mkdtemp(prefix="wijkinzicht-evaluate-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        os.environ["WIJKINZICHT_VAR_DIR"] = scratch
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wijkinzicht", *args])


if __name__ == "__main__":
    main()
