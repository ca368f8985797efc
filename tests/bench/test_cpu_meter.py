"""The harness's CPU per request (bench.run.CpuMeter): what a process tree spent between two readings."""

import os
import subprocess
import sys
import time

from bench.run import CpuMeter

# A child that burns `seconds` of CPU, then sleeps `rest` seconds before exiting.
BURN = (
    "import sys, time\n"
    "end = time.process_time() + float(sys.argv[1])\n"
    "while time.process_time() < end: pass\n"
    "print('burnt', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


def burn(seconds: float, rest: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", BURN, str(seconds), str(rest)], stdout=subprocess.PIPE, text=True
    )


def test_a_child_that_ran_and_exited_inside_the_window_counts():
    meter = CpuMeter(os.getpid())
    before = meter.reading()

    child = burn(0.3)
    child.communicate()  # reaped: its CPU moves to our children_* times

    spent = CpuMeter.spent(before, meter.reading())
    # Its 0.3 s of work, its interpreter's start-up, and this test's own waiting.
    assert 0.3 <= spent < 0.8


def test_work_a_child_did_before_the_window_does_not_count_when_it_exits_inside():
    child = burn(0.3, rest=0.5)
    assert child.stdout.readline() == "burnt\n"
    meter = CpuMeter(os.getpid())
    before = meter.reading()

    child.communicate()

    assert CpuMeter.spent(before, meter.reading()) < 0.1


def test_a_child_still_running_counts_what_it_spent_inside_the_window():
    child = burn(0.4, rest=1.0)
    time.sleep(0.05)
    meter = CpuMeter(os.getpid())
    before = meter.reading()
    assert child.stdout.readline() == "burnt\n"

    spent = CpuMeter.spent(before, meter.reading())
    child.kill()
    child.communicate()

    assert 0.2 <= spent < 0.6
