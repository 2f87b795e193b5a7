"""wijkinzicht jobs: the state of the background queue, and a probe job to check the workers."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wijkinzicht.core import jobs


class Command(BaseCommand):
    help = _("Show the background job queue and the workers; --probe checks that a worker takes jobs.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--probe", action="store_true", help=_("Queue a small job and wait until a worker has run it.")
        )
        parser.add_argument("--seconds", type=float, default=0.0, help=_("How long the probe job takes."))
        parser.add_argument("--timeout", type=float, default=60.0, help=_("How long to wait for the probe."))
        parser.add_argument("--no-wait", action="store_true", help=_("Queue the probe and return its id."))

    def handle(self, *args, probe, seconds, timeout, no_wait, **options):
        if probe:
            return self._probe(seconds, timeout, no_wait)
        state = jobs.queue_state()
        self.stdout.write(
            _("waiting %(ready)d, running %(running)d, failed %(failed)d, done %(done)d")
            % state["counts"]
        )
        for w in state["workers"]:
            self.stdout.write(
                _("worker %(host)s:%(pid)s, last seen %(age).0f s ago") % {"host": w.hostname, "pid": w.pid,
                                                                           "age": w.age}
            )
        if not state["workers"]:
            self.stdout.write(_("no worker is running: start `wijkinzicht worker`"))

    def _probe(self, seconds, timeout, no_wait):
        from wijkinzicht.core import tasks

        result = tasks.probe.enqueue(seconds=seconds)
        if no_wait:
            self.stdout.write(str(result.id))
            return
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            result.refresh()
            if result.is_finished:
                break
            time.sleep(0.2)
        else:
            raise CommandError(_("no worker ran the probe job within %(s).0f s") % {"s": timeout})
        if result.status != "SUCCESSFUL":
            raise CommandError(_("the probe job failed"))
        self.stdout.write(_("a worker ran the probe job (%(attempts)d attempt(s))") % {
            "attempts": len(result.worker_ids)})
