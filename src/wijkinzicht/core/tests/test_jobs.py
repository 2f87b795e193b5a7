"""The durable job queue: jobs are stored with their request, survive a killed worker, and a job
given up after lost workers marks what waited for it (core/jobs.py, decision 0012)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from wijkinzicht.core import jobs, tasks
from wijkinzicht.core.models import WorkerHeartbeat
from wijkinzicht.evaluation import services

pytestmark = pytest.mark.django_db


def _running(result_id, worker_ids, *, age=600):
    DBTaskResult.objects.filter(id=result_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=age),
        worker_ids=worker_ids,
    )


def _evaluation(a):
    """A synthetic control of a Rotterdam buurt on real CBS figures (without placebos: quick)."""
    from wijkinzicht.evaluation.constants import DonorPool

    return services.evaluation_create(
        user=a["analyst"], organisation=a["org"], name="Wijkaanpak", method="synth",
        treated_codes=["BU05990110"], treatment_year=2019, outcome_key="pct_rented",
        donor_pool=DonorPool.MUNICIPALITY, placebos=False,
    )


def test_a_job_of_a_dead_worker_is_requeued_and_then_run():
    result = tasks.probe.enqueue(seconds=0)
    _running(result.id, ["dead-worker"])
    assert jobs.recover_lost_jobs() == (1, 0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY and row.started_at is None
    assert jobs.run_pending() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2  # claimed by the dead worker, then by this one


def test_a_job_of_a_living_worker_or_just_started_is_left_alone(settings):
    alive = tasks.probe.enqueue(seconds=0)
    fresh = tasks.probe.enqueue(seconds=0)
    jobs.heartbeat("alive-worker")
    _running(alive.id, ["alive-worker"])
    _running(fresh.id, ["other-worker"], age=settings.JOB_STALE_AFTER / 2)  # may not have beaten yet
    assert jobs.recover_lost_jobs() == (0, 0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.RUNNING}


def test_a_silent_heartbeat_counts_as_dead(settings):
    result = tasks.probe.enqueue(seconds=0)
    jobs.heartbeat("stalled")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER + 1))
    _running(result.id, ["stalled"])
    assert jobs.recover_lost_jobs() == (1, 0)


def test_after_the_last_attempt_the_job_fails_and_the_evaluation_run_says_so(
    settings, rotterdam_housing, two_organisations
):
    a = two_organisations["A"]
    evaluation = _evaluation(a)
    run = services.evaluation_run_request(evaluation=evaluation, user=a["analyst"])
    # the worker claimed it and set it running, then died, as often as allowed
    services.EvaluationRun.objects.filter(pk=run.pk).update(status="running", progress=40)
    _running(run.job_id, [f"dead-{i}" for i in range(settings.JOB_MAX_ATTEMPTS)])
    assert jobs.recover_lost_jobs() == (0, 1)
    job = DBTaskResult.objects.get(id=run.job_id)
    assert job.status == TaskResultStatus.FAILED and job.exception_class_path == jobs.LOST_EXCEPTION
    run.refresh_from_db()
    assert run.status == "failed" and "opnieuw" in run.error and run.finished_at


def test_a_requeued_evaluation_run_is_computed_again_from_the_start(
    rotterdam_housing, two_organisations
):
    a = two_organisations["A"]
    evaluation = _evaluation(a)
    run = services.evaluation_run_request(evaluation=evaluation, user=a["analyst"])
    services.EvaluationRun.objects.filter(pk=run.pk).update(status="running", progress=40, stage="estimate")
    _running(run.job_id, ["dead-worker"])
    assert jobs.recover_lost_jobs() == (1, 0)
    assert jobs.run_pending() == 1
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100 and run.result["estimate"] is not None


def test_a_run_without_its_job_is_not_taken_over_twice(rotterdam_housing, two_organisations):
    """A direct computation (no job) that is running is never claimed by a resumed job."""
    a = two_organisations["A"]
    evaluation = _evaluation(a)
    run = services.evaluation_run_request(evaluation=evaluation, user=a["analyst"], background=False)
    services.EvaluationRun.objects.filter(pk=run.pk).update(status="running")
    assert services.evaluation_run_execute(run_id=run.pk, resume=True).status == "running"


def test_a_job_rolled_back_with_its_request_is_never_run():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.probe.enqueue(seconds=0)
        raise RuntimeError("the request failed")
    assert not DBTaskResult.objects.exists()


def test_queue_state_counts_and_workers():
    tasks.probe.enqueue(seconds=0)
    jobs.heartbeat("w1")
    state = jobs.queue_state()
    assert state["counts"] == {"ready": 1, "running": 0, "failed": 0, "done": 0}
    assert [w.worker_id for w in state["workers"]] == ["w1"]


def test_a_worker_outlives_a_database_restart(monkeypatch):
    """The library's loop raises when the database goes away; the worker starts it again."""
    from django.db import OperationalError
    from django_tasks_db.management.commands.db_worker import Worker as LibraryWorker

    calls = []

    def flaky(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database system is starting up")

    monkeypatch.setattr(LibraryWorker, "run", flaky)
    monkeypatch.setattr(jobs.time, "sleep", lambda s: None)
    worker = jobs.Worker.of_every_queue(worker_id="w", interval=0, batch=True)
    worker._serve()
    assert len(calls) == 3
