"""Real worker processes on a database of their own: a job survives a worker killed mid-job
(SIGKILL, as a crash or an OOM kill would) and a worker stopped with SIGTERM finishes its job."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

WIJKINZICHT = str(Path(sys.executable).with_name("wijkinzicht"))


def _cli(env, *args, timeout=60):
    done = subprocess.run([WIJKINZICHT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worker(env):
    return subprocess.Popen([WIJKINZICHT, "worker", "--interval", "0.1", "-v0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _counts(env):
    """(waiting, running, failed, done) and the number of living workers, from `wijkinzicht jobs`
    (the command speaks Dutch or English; the numbers come in this order in both)."""
    lines = _cli(env, "jobs").splitlines()
    counts = tuple(int(n) for n in re.findall(r"\d+", lines[0]))
    workers = sum(1 for line in lines[1:] if re.match(r"worker \S+:\d+", line))
    return counts, workers


def _wait_for_running(env, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        counts, _ = _counts(env)
        if counts[1] == 1:
            return
        time.sleep(0.1)
    raise AssertionError(f"no job started running: {counts}")


def test_a_job_survives_a_killed_worker(own_database):
    env = own_database
    probe = subprocess.Popen([WIJKINZICHT, "jobs", "--probe", "--seconds", "8", "--timeout", "90"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = _worker(env)
    try:
        _wait_for_running(env)
        first.send_signal(signal.SIGKILL)  # no clean-up at all: the job stays "running"
        first.wait(timeout=10)
        assert _counts(env)[0] == (0, 1, 0, 0)
    finally:
        first.kill()
    second = _worker(env)
    try:
        out, err = probe.communicate(timeout=90)
        assert probe.returncode == 0, err
        assert re.search(r"\(2 ", out), out  # 2 attempts: taken over by the second worker, run to the end
        assert _counts(env)[0] == (0, 0, 0, 1)
    finally:
        second.terminate()
        second.wait(timeout=30)


def test_a_worker_told_to_stop_finishes_its_job_first(own_database):
    env = own_database
    job_id = _cli(env, "jobs", "--probe", "--seconds", "6", "--no-wait").strip()
    assert job_id
    worker = _worker(env)
    _wait_for_running(env)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    counts, workers = _counts(env)
    assert counts == (0, 0, 0, 1)  # the job was finished, not abandoned
    assert workers == 0  # it removed its heartbeat on the way out
