"""Background jobs of the evaluation module (run by `wijkinzicht worker`, core/jobs.py)."""

from django.utils.translation import gettext as _

from wijkinzicht.core.jobs import job


def _lost(args: list, kwargs: dict) -> None:
    """Called by core.jobs in the default language when the job was given up."""
    from .services import evaluation_run_give_up

    error = _("the computation was interrupted several times (the worker stopped); start it again")
    evaluation_run_give_up(run_id=kwargs["run_id"], error=error)


@job(on_lost=_lost)
def compute_evaluation_run(*, run_id: int) -> str:
    """Compute one evaluation run; a retried job picks up its own run where it was claimed."""
    from .services import evaluation_run_execute

    return evaluation_run_execute(run_id=run_id, resume=True).status
