"""Where one `edgescreen screen` run spends its time: when each step ends, and how many cores are busy.

    python tests/benchmarks/timeline.py /tmp/edgescreen-bench/clean-v1-100000.xlsx
    python tests/benchmarks/timeline.py survey.xlsx --as-of 2020-06-30 --every 0.1
    python tests/benchmarks/timeline.py survey.csv members.csv --roster dibao=低保.csv --roster vehicle=车辆.csv

The run is the command line's own (its session, its helper process, its read-ahead), in this
process: seconds are counted from this script's start, as a clerk's are from the command's. Printed,
in order of time:

- the end of each stage of the pipeline and of the outputs (the stage names of run.json);
- for .xlsx inputs, when each sheet's reach scan, the rest of its scan and calamine's parse start and
  end (workbook.py);
- the cores busy over each sample interval (from /proc/stat, the whole machine: Linux only), so that
  the stretches where one core works and the other waits can be seen.

The output folder is a temporary one, removed afterwards.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402


def _busy_jiffies() -> tuple[int, int]:
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _sample_cores(every: float, samples: list, stop: threading.Event) -> None:
    cores = os.cpu_count() or 1
    busy, total = _busy_jiffies()
    while not stop.wait(every):
        now_busy, now_total = _busy_jiffies()
        samples.append((time.perf_counter() - START, cores * (now_busy - busy) / max(now_total - total, 1)))
        busy, total = now_busy, now_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--as-of", default="2020-06-30")
    parser.add_argument("--every", type=float, default=0.25, help="seconds between core samples")
    parser.add_argument("--roster", action="append", default=[], help="KIND=PATH, as the command line's --roster")
    args = parser.parse_args()

    events: list[tuple[float, str]] = []

    def mark(what: str) -> None:
        events.append((time.perf_counter() - START, what))

    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    if os.path.exists("/proc/stat"):
        threading.Thread(target=_sample_cores, args=(args.every, samples, stop), daemon=True).start()

    from edgescreen import runtime, workbook
    from edgescreen.inputs import folder_inputs

    for name in ("scan_reach", "scan_details", "_parse_sheet"):  # looked up by name when called
        real = getattr(workbook, name)

        def timed(*a, _real=real, _name=name):
            mark(f"{_name} start")
            try:
                return _real(*a)
            finally:
                mark(f"{_name} end")

        setattr(workbook, name, timed)

    out = Path(tempfile.mkdtemp(prefix="edgescreen-timeline-")) / "out"
    try:
        files = folder_inputs(args.inputs, rosters=[Path(r.partition("=")[2]) for r in args.roster]).files
        with runtime.start(files) as session:
            mark("session started")
            from edgescreen.jobs import screen_into

            mark("library loaded")
            screen_into(args.inputs, out, as_of=dt.date.fromisoformat(args.as_of), session=session,
                        stage=lambda name: mark(name), rosters=args.roster)
        mark("done")
    finally:
        stop.set()
        shutil.rmtree(out.parent, ignore_errors=True)

    lines = [(t, f"{what}") for t, what in events] + [(t, f"  cores busy {c:.1f}") for t, c in samples]
    for t, what in sorted(lines, key=lambda line: line[0]):
        print(f"{t:7.2f}  {what}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
