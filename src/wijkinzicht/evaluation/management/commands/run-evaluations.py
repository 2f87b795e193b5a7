"""wijkinzicht run-evaluations: compute the evaluation runs that are waiting."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wijkinzicht.evaluation.services import evaluation_run_execute, evaluation_runs_pending


class Command(BaseCommand):
    help = _("Compute the evaluation runs that are waiting (for a worker process, or after a restart).")

    def handle(self, *args, **options):
        pending = evaluation_runs_pending()
        for run_id in pending:
            run = evaluation_run_execute(run_id=run_id)
            self.stdout.write(f"#{run.pk} {run.evaluation}: {run.get_status_display()} {run.error}".rstrip())
        if not pending:
            self.stdout.write(_("No evaluation runs are waiting."))
