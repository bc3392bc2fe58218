"""Per-thread CPU scheduling for the length of a benchmark run.

With kernel.sched_autogroup_enabled=1 the kernel shares CPU between sessions
first and threads second. PostgreSQL and Redis run in sessions of their own,
so while the benchmark's session (wrk and the server under test) keeps both
cores busy, a query or a PING waits behind it: measured on this 2-core
machine under the ES256 issuance load, psql round trips up to 1.6 s and Redis
PINGs up to 570 ms, against at most 5 ms for a Redis started in the
benchmark's own session, and at most 75 ms for all of them with autogroup
off. A database that answers a trivial query after 1.6 s makes the server
fail closed (503) by design, so the benchmark would measure the machine's
session scheduling, not the server. Production services run in cgroups, not
in one desktop session each, so the runs use per-thread scheduling and the
results file says so.
"""
import contextlib

KNOB = "/proc/sys/kernel/sched_autogroup_enabled"


def read():
    try:
        with open(KNOB) as f:
            return f.read().strip()
    except OSError:
        return None


@contextlib.contextmanager
def per_thread():
    """Turns autogroup off for the block (when it is on and we may), and
    restores it; yields a sentence for the results file."""
    before = read()
    if before != "1":
        yield f"kernel.sched_autogroup_enabled: {before or 'absent'} (per-thread scheduling)."
        return
    try:
        with open(KNOB, "w") as f:
            f.write("0")
    except OSError as e:
        yield f"kernel.sched_autogroup_enabled: 1, could not be turned off ({e.strerror}): PostgreSQL and Redis wait behind the load."
        return
    try:
        yield "kernel.sched_autogroup_enabled: set to 0 for the run (was 1; see bench/scheduling.py)."
    finally:
        with open(KNOB, "w") as f:
            f.write(before)
