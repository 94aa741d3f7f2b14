"""The progress bar of `screen`: one bar with share done, time spent and time left, advanced by every
file read and every step, that reaches its end exactly when the run does."""

from __future__ import annotations

import io
import re

import pytest

from rich.console import Console

from survey_builders import household, write_workbook
from edgescreen.cli import progress as cli
from edgescreen.outputs.write import write_outputs
from edgescreen.pipeline import screen


def recording_bar(files, publicity=False, lang="zh"):
    console = Console(file=io.StringIO(), force_terminal=True, width=120)
    progress = cli.progress_reader(console, lang)
    return progress, cli.ScreenProgress(progress, files, publicity, lang)


def test_every_step_a_run_reports_is_weighted_and_the_bar_ends_full(tmp_path):
    files = [write_workbook(tmp_path / f"镇{i}.xlsx", [household(**{"乡(镇)": f"镇{i}"}) for _ in range(40)])
             for i in range(2)]
    for publicity in (False, True):
        progress, bar = recording_bar(files, publicity)
        steps = []

        def step(name):
            steps.append(name)
            bar.step_done(name)

        with progress:
            result = screen(files, progress=bar.file_read, stage=step)
            write_outputs(result, tmp_path / f"out{publicity}", progress=step,
                         publicity_start=result.as_of if publicity else None)
        task = progress.tasks[0]
        assert set(steps) <= set(cli.STEP_WEIGHTS), set(steps) - set(cli.STEP_WEIGHTS)
        assert "write_villages" in steps and ("write_publicity" in steps) == publicity
        assert abs(task.completed - task.total) < 1e-9, (task.completed, task.total, steps)


@pytest.mark.parametrize("lang, reading, left, checking, writing", [
    ("zh", "读取 b.xlsx", "剩余", "检查", "写出"),
    ("en", "reading b.xlsx", "left", "checking", "writing"),
])
def test_the_bar_shows_share_elapsed_and_time_left_in_the_users_language(tmp_path, lang, reading, left, checking,
                                                                           writing):
    files = [write_workbook(tmp_path / "a.xlsx", [household()]), write_workbook(tmp_path / "b.xlsx", [household()])]
    progress, bar = recording_bar(files, lang=lang)

    def shown():
        progress.refresh()
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", progress.console.file.getvalue())  # colours off

    with progress:
        bar.file_read(files[0], None)
        first = shown()
        bar.file_read(files[1], None)
        second = shown()
        bar.step_done("classify")
        third = shown()
    assert reading in first  # the file being read next
    # Share done, time spent, and the time left (not known yet: rich shows dashes until it is).
    assert re.search(rf"\d+% 0:00:0\d {left} (-:--:--|\d+:\d\d:\d\d)", first), first
    assert checking in second and writing in third
    # One language only: no "检查 checking" pairs.
    other = ("reading", "checking", "writing", "ETA") if lang == "zh" else ("读取", "检查", "写出")
    assert not any(word in third for word in other), third


def test_reading_is_shared_out_by_file_size(tmp_path):
    small = write_workbook(tmp_path / "small.xlsx", [household()])
    large = write_workbook(tmp_path / "large.xlsx", [household() for _ in range(400)])
    _, bar = recording_bar([small, large])
    assert bar.read_share[large] > 3 * bar.read_share[small]
    assert abs(sum(bar.read_share.values()) - cli.STEP_WEIGHTS["read"]) < 1e-9


def test_a_file_being_read_moves_the_bar_on_by_the_clock_and_is_whole_when_read(tmp_path, monkeypatch):
    """A county's one big file kept the bar at 0 % for its whole read (9 s for a million households): it
    now moves on at the measured pace, never past READ_CREEP of the file's share, which is whole once
    the file is read."""
    import time

    monkeypatch.setattr(cli, "READ_BYTES_PER_SECOND_DEFAULT", 1.0)  # a read that would take hours
    monkeypatch.setattr(cli, "TICK_SECONDS", 0.02)
    path = write_workbook(tmp_path / "县.xlsx", [household()])
    progress = cli.progress_reader(Console(file=io.StringIO(), force_terminal=True, width=120))
    with progress:  # the bar is made inside, as the command makes it
        bar = cli.ScreenProgress(progress, [path], False)
        monkeypatch.setitem(bar.expected, path, 0.2)  # this one: 0.2 s
        time.sleep(0.6)
        task = progress.tasks[0]
        assert 0 < task.completed <= cli.READ_CREEP * bar.read_share[path] + 1e-9, task.completed
        bar.file_read(path, None)
        assert abs(task.completed - bar.read_share[path]) < 1e-9
        time.sleep(0.1)  # the ticker has stopped: nothing more is added
        assert abs(task.completed - bar.read_share[path]) < 1e-9


def test_a_refusal_written_to_a_file_or_a_pipe_starts_on_its_first_line(tmp_path):
    """Found by an outside try: the bar, not shown where stderr is no terminal, was still ended by rich
    with an empty line, which stood above every refusal a log file or a pipe kept. A real process, its
    stderr a pipe, screening into a folder that exists."""
    import subprocess
    import sys

    survey = write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "别的.txt").write_text("x", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "edgescreen", "screen", str(survey), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("edgescreen: "), repr(done.stderr[:80])
