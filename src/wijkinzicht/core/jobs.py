"""Durable background jobs: django-tasks with its database backend, plus what it leaves to us.

Jobs are rows in the database (django_tasks_db), written in the same transaction as the record
that asked for them, so a rolled-back request leaves no job and a committed one is never lost.
`wijkinzicht worker` (any number of them, on any number of machines sharing PostgreSQL) claims
them with SELECT ... FOR UPDATE SKIP LOCKED. What django-tasks-db does not do, and this module
adds (decision 0012):

- heartbeats: every worker writes a row every few seconds while it lives;
- recovery: a job still "running" under a worker whose heartbeat stopped (killed, machine gone)
  is put back in the queue, up to ``JOB_MAX_ATTEMPTS`` claims in all; after that it is failed
  with a plain reason and the job's ``on_lost`` handler marks the record that waits for it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as _DbWorker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# task module path -> handler(args, kwargs) called when the job is given up after lost workers
_ON_LOST: dict[str, Callable[[list, dict], None]] = {}

LOST_EXCEPTION = "wijkinzicht.core.jobs.WorkerLost"


class WorkerLost(RuntimeError):
    """The worker running a job stopped sending heartbeats (killed, or its machine went away)."""


def job(
    *, on_lost: Callable[[list, dict], None] | None = None, queue_name: str = "default", priority: int = 0
):
    """Declare a background job (a django-tasks task); ``on_lost`` runs if it is finally given up."""

    def decorate(fn):
        t = task(queue_name=queue_name, priority=priority)(fn)
        if on_lost is not None:
            _ON_LOST[t.module_path] = on_lost
        return t

    return decorate


def discover() -> None:
    """Import every app's ``tasks`` module, so the worker knows every job and its handler."""
    autodiscover_modules("tasks")


def heartbeat(worker_id: str) -> None:
    """Say that this worker is alive (one small write)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now, "hostname": socket.gethostname()[:100], "pid": os.getpid()},
        create_defaults={
            "seen_at": now,
            "started_at": now,
            "hostname": socket.gethostname()[:100],
            "pid": os.getpid(),
        },
    )


def worker_stopped(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_lost_jobs(*, now=None) -> tuple[int, int]:
    """Requeue (or finally fail) jobs whose worker stopped beating; returns (requeued, failed)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_AFTER)
    if not DBTaskResult.objects.running().filter(started_at__lt=cutoff).exists():
        return 0, 0  # the usual case: no write transaction (on SQLite it would take the write lock)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = failed = 0
    lost: list[tuple[str, list, dict]] = []
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
        if connection.features.has_select_for_update_skip_locked:
            running = running.select_for_update(skip_locked=True)
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            if len(result.worker_ids) < settings.JOB_MAX_ATTEMPTS:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued += 1
                logger.warning("job %s (%s) requeued: its worker stopped", result.id, result.task_path)
            else:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = LOST_EXCEPTION
                result.traceback = (
                    f"WorkerLost: gave up after {len(result.worker_ids)} attempts; "
                    "each worker stopped while running it"
                )
                result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                failed += 1
                logger.error("job %s (%s) failed: workers lost", result.id, result.task_path)
                args = result.args_kwargs or {}
                lost.append((result.task_path, args.get("args", []), args.get("kwargs", {})))
    with translation.override(settings.LANGUAGE_CODE):  # handlers store messages for everyone
        for path, args, kwargs in lost:
            handler = _ON_LOST.get(path)
            if handler is not None:
                handler(args, kwargs)
    return requeued, failed


class Worker(_DbWorker):
    """django-tasks-db's worker with a heartbeat thread that also recovers lost jobs."""

    @classmethod
    def of_every_queue(cls, *, worker_id: str, interval: float = 1.0, batch: bool = False,
                       max_tasks: int | None = None, startup_delay: bool = False):
        """A worker for all queues of the default backend (the only set-up this project uses)."""
        return cls(queue_names=["*"], interval=interval, batch=batch, backend_name="default",
                   startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
                   excluded_queue_names=[])

    def run(self) -> None:
        discover()
        stop = threading.Event()
        heartbeat(self.worker_id)
        recover_lost_jobs()
        beat = threading.Thread(target=self._beat, args=(stop,), name="heartbeat", daemon=True)
        beat.start()
        try:
            self._serve()
        finally:
            stop.set()
            beat.join(timeout=settings.JOB_HEARTBEAT * 2)
            try:
                worker_stopped(self.worker_id)
            except Exception:  # the database may be the reason we stop
                logger.warning("could not remove the heartbeat of worker %s", self.worker_id)
            from django.db import connections

            connections.close_all()  # this thread's connections (a worker may run in a thread)

    def _serve(self) -> None:
        """The library's loop, started again when the database goes away (a restart, a fail-over):
        it would otherwise end the worker. Waits 1, 2, 4 ... up to 30 s between tries."""
        from django.db import InterfaceError, OperationalError, connections

        delay = 1.0
        while True:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as exc:
                if not self.running:
                    return
                logger.warning("worker %s: database unavailable (%s); trying again in %.0f s",
                               self.worker_id, str(exc).splitlines()[0], delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _beat(self, stop: threading.Event) -> None:
        from django.db import connections

        try:
            while not stop.wait(settings.JOB_HEARTBEAT):
                try:
                    heartbeat(self.worker_id)
                    recover_lost_jobs()
                except Exception:  # a database restart: keep beating, it comes back
                    logger.warning("worker %s: heartbeat failed", self.worker_id, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()


def run_pending(*, max_tasks: int | None = None) -> int:
    """Run the queued jobs in this process until none is left (tests, the demo loader).

    The same claim and run as a worker's, without its loop: that loop closes "old" database
    connections, which would close a test's transaction.
    """
    from django.utils.crypto import get_random_string
    from django_tasks_db.utils import exclusive_transaction

    discover()
    worker = Worker.of_every_queue(worker_id=f"inline-{get_random_string(12)}", interval=0, batch=True,
                                   max_tasks=max_tasks)
    heartbeat(worker.worker_id)
    try:
        while max_tasks is None or worker._run_tasks < max_tasks:
            with exclusive_transaction():
                result = DBTaskResult.objects.ready().get_locked()
                if result is not None:
                    result.claim(worker.worker_id)
            if result is None:
                break
            worker.run_task(result)
    finally:
        worker_stopped(worker.worker_id)
    return worker._run_tasks


def queue_state() -> dict:
    """Counts per state and the living workers, for the `jobs` command and the admin."""
    from django.db.models import Count

    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_AFTER)
    workers = list(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).order_by("hostname", "pid"))
    for w in workers:
        w.age = (now - w.seen_at).total_seconds()
    return {
        "counts": {
            "ready": counts.get(TaskResultStatus.READY, 0),
            "running": counts.get(TaskResultStatus.RUNNING, 0),
            "failed": counts.get(TaskResultStatus.FAILED, 0),
            "done": counts.get(TaskResultStatus.SUCCESSFUL, 0),
        },
        "workers": workers,
    }
