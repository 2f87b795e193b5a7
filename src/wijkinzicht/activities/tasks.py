"""Background jobs of the activities module (run by `wijkinzicht worker`, core/jobs.py)."""

from django.utils.translation import gettext as _

from wijkinzicht.core.jobs import job


def _lost(args: list, kwargs: dict) -> None:
    """Called by core.jobs in the default language when the job was given up."""
    from .importers import import_failed

    message = _("the import was interrupted several times (the worker stopped); upload the file again")
    import_failed(batch_id=kwargs["batch_id"], message=message)


@job(on_lost=_lost)
def run_import(*, batch_id: int) -> str:
    """Import a large uploaded file; a retried job imports it again (imports add nothing twice)."""
    from .importers import import_queued_run

    return import_queued_run(batch_id=batch_id)
