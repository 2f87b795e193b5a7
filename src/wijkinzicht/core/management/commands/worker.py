"""wijkinzicht worker: run background jobs (evaluations, imports, reports) from the database queue."""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from wijkinzicht.core.jobs import Worker


class Command(BaseCommand):
    help = _(
        "Run background jobs from the database queue until stopped. Start as many as you like, "
        "on as many machines as share the database (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("Seconds to wait when the queue is empty.")
        )
        parser.add_argument(
            "--batch", action="store_true", help=_("Run what is waiting, then stop.")
        )
        parser.add_argument(
            "--max-jobs", type=int, default=None, help=_("Stop after this many jobs (then restart it).")
        )

    def handle(self, *args, interval, batch, max_jobs, verbosity, **options):
        import logging

        if verbosity:
            for name in ("django_tasks", "django_tasks_db", "wijkinzicht.core.jobs"):
                logger = logging.getLogger(name)
                logger.setLevel(logging.INFO)
                if not logger.handlers:
                    logger.addHandler(logging.StreamHandler(self.stdout))
                    logger.propagate = False  # the root handler would print it a second time
        if max_jobs is not None and max_jobs < 1:
            self.stderr.write(_("--max-jobs must be at least 1"))
            raise SystemExit(2)
        worker = Worker.of_every_queue(worker_id=get_random_string(32), interval=max(0.0, interval),
                                       batch=batch, max_tasks=max_jobs, startup_delay=not batch)
        worker.configure_signals()
        worker.run()
