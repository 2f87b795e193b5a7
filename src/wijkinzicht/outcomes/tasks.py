"""Background jobs of the outcomes module (run by `wijkinzicht worker`, core/jobs.py)."""

from django.utils.translation import gettext as _

from wijkinzicht.core.jobs import job


def _lost(args: list, kwargs: dict) -> None:
    """Called by core.jobs in the default language when the job was given up."""
    from .services import measurement_import_failed

    message = _("the import was interrupted several times (the worker stopped); upload the file again")
    measurement_import_failed(import_id=kwargs["import_id"], message=message)


@job(on_lost=_lost)
def run_measurement_import(*, import_id: int) -> str:
    """Import a large measurement file, all or nothing."""
    from .services import measurement_import_run

    return measurement_import_run(import_id=import_id)
