"""The output folder's safety (outputs/folder.py, runtime.py's signals): reserved by one run at a time,
what a killed run left removed by the next (and only that), the permissions the umask gives, an
operating-system error said as which and where, and a signal that leaves nothing behind, whether it
comes while writing (tests/test_field_processes.py) or while reading."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from field_builders import households, workbook_of_villages
from field_checks import assert_clear_message, assert_refused, folded, invoke, ledger, leftovers, screen
from survey_builders import write_workbook
from edgescreen import runtime
from edgescreen.errors import OutputError
from edgescreen.outputs.folder import named_os_errors

DEAD_PID = 4_194_303  # above Linux's largest process id: never a live process
HOLD = """
import sys, time
from pathlib import Path
from edgescreen.outputs.folder import reserved
with reserved(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


class Holder:
    """Another process holding the reservation of `out` (as a run that is writing it does)."""

    def __init__(self, out: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "held"

    def kill(self) -> None:
        """SIGKILL: nothing of it can clean up."""
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


def refused_while_held(result, out: Path, *names) -> str:
    """Exit 2 with a clear message naming `names`; nothing written; beside `out` only the holder's lock."""
    assert result.exit_code == 2, result.output
    text = assert_clear_message(result.output, names=names)
    assert not out.exists()
    assert [p.name for p in leftovers(out)] == [f".{out.name}.lock"], leftovers(out)
    return text


@pytest.fixture
def survey(tmp_path):
    return write_workbook(tmp_path / "合隆镇.xlsx", households(3))


# ---------------------------------------------------------------------------------------------
# The reservation


def test_a_folder_held_by_a_live_run_is_refused_with_force_too_and_free_once_it_dies(tmp_path, survey):
    out = tmp_path / "out"
    holder = Holder(out)
    try:
        for extra in ([], ["--force"]):
            refused_while_held(screen(survey, "-o", out, *extra), out, out, str(holder.proc.pid))
    finally:
        holder.kill()
    assert (tmp_path / ".out.lock").exists()  # a killed run's lock file stays …
    result = screen(survey, "-o", out)
    assert result.exit_code == 0, result.output  # … and is no obstacle
    assert len(ledger(out)) == 3
    assert not leftovers(out), leftovers(out)


def test_a_lock_file_naming_a_dead_process_is_no_obstacle(tmp_path, survey):
    out = tmp_path / "out"
    (tmp_path / ".out.lock").write_text(f"edgescreen {DEAD_PID}\n", encoding="ascii")
    result = screen(survey, "-o", out)
    assert result.exit_code == 0, result.output
    assert not leftovers(out), leftovers(out)


def test_the_check_report_folder_is_reserved_too(tmp_path, survey):
    out = tmp_path / "report"
    holder = Holder(out)
    try:
        refused_while_held(invoke("check", survey, "-o", out), out, out)
    finally:
        holder.kill()


def test_a_killed_runs_leftovers_beside_other_outputs_are_removed_and_nothing_else(tmp_path, survey):
    """What a killed run into parent/other (or an older edgescreen into parent/third) left is removed
    by a run into parent/out; a live run's staging folder, another program's lock file and the
    clerk's own hidden folder stay."""
    parent = tmp_path / "parent"
    parent.mkdir()
    dead_staging = parent / ".other.abcd1234.partial"
    dead_staging.mkdir()
    (dead_staging / "decisions.csv").write_text("half", encoding="utf-8")
    (parent / ".other.lock").write_text(f"edgescreen {DEAD_PID}\n", encoding="ascii")
    (parent / ".third.q1w2e3r4.old").mkdir()
    (parent / ".old-run.lock").write_text(f"edgescreen {DEAD_PID}\n", encoding="ascii")
    foreign = parent / ".foo.lock"
    foreign.write_text("held by another program", encoding="ascii")
    own = parent / ".notes"
    own.mkdir()
    holder = Holder(parent / "live")
    live_staging = parent / ".live.zxcv5678.partial"
    live_staging.mkdir()
    try:
        result = screen(survey, "-o", parent / "out")
        assert result.exit_code == 0, result.output
        left = sorted(p.name for p in parent.iterdir())
        assert left == sorted([".foo.lock", ".notes", ".live.lock", ".live.zxcv5678.partial", "out"]), left
        assert foreign.read_text(encoding="ascii") == "held by another program"
    finally:
        holder.kill()


def test_a_run_killed_between_the_two_renames_has_its_old_folder_put_back(tmp_path, survey):
    """Killed (a power cut) after the old parent/kept was moved aside and before the new one came in:
    the retired folder held the only copy, and a later run into parent/another deleted it (an outside
    try). It is put back as parent/kept; a retired folder beside its output is still removed."""
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / ".kept.abcd1234.old" / "old").mkdir(parents=True)
    (parent / ".kept.abcd1234.old" / "old" / "decisions.csv").write_text("the old ledger", encoding="utf-8")
    (parent / "there").mkdir()
    (parent / ".there.q1w2e3r4.old" / "old").mkdir(parents=True)
    result = screen(survey, "-o", parent / "another")
    assert result.exit_code == 0, result.output
    assert (parent / "kept" / "decisions.csv").read_text(encoding="utf-8") == "the old ledger"
    assert sorted(p.name for p in parent.iterdir()) == ["another", "kept", "there"]


def test_an_old_folder_that_cannot_be_deleted_whole_is_said(tmp_path, survey, monkeypatch):
    """--force replaced the outputs, and the old ones, a file of which could not be deleted (open in a
    program, protected), were left in a hidden .old folder with exit 0 and no word (an outside try)."""
    import shutil

    from edgescreen.outputs import folder

    out = tmp_path / "out"
    assert screen(survey, "-o", out).exit_code == 0
    real = shutil.rmtree

    def cannot_delete_old(path, *args, **kw):
        if str(path).endswith(".old"):
            return  # as rmtree(ignore_errors=True) does where a file is held
        real(path, *args, **kw)

    monkeypatch.setattr(folder.shutil, "rmtree", cannot_delete_old)
    done = screen(survey, "-o", out, "--force")
    assert done.exit_code == 0, done.output
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".old")]
    said = " ".join(done.output.split())
    assert left and "留在隐藏文件夹" in said and left[0].name in said, said


# ---------------------------------------------------------------------------------------------
# Permissions


def test_outputs_get_the_permissions_the_umask_gives_not_private_ones(tmp_path, survey):
    """mkdtemp and mkstemp make 0700 folders and 0600 files: a colleague could not open the lists."""
    old = os.umask(0o027)
    try:
        out = tmp_path / "out"
        assert screen(survey, "-o", out, "--publicity-start", "2020-01-06").exit_code == 0
        form = tmp_path / "表.xlsx"
        assert invoke("template", "-o", form).exit_code == 0
    finally:
        os.umask(old)
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*"), form]}
    wrong = {p.name: oct(m) for p, m in modes.items() if m != (0o750 if p.is_dir() else 0o640)}
    assert not wrong, wrong
    assert (out / "villages").is_dir() and (out / "publicity").is_dir()


# ---------------------------------------------------------------------------------------------
# Operating-system errors


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "磁盘已满"), (errno.EACCES, "没有权限"),
                                         (errno.ENAMETOOLONG, "太长")])
def test_an_os_error_inside_xlsxwriter_is_said_as_which_and_where(tmp_path, code, words):
    where = tmp_path / "out"
    with pytest.raises(OutputError) as caught, named_os_errors(where):
        raise FileCreateError(OSError(code, os.strerror(code), str(where / "x.xlsx")))
    assert caught.value.key == "output_unwritable"
    assert words in caught.value.message("zh") and str(where) in caught.value.message("zh")


def test_an_output_folder_under_a_file_is_said_in_words_not_the_systems_english(tmp_path, survey):
    """-o report.xlsx/out, where report.xlsx is a file: before, 系统错误 17:File exists."""
    (tmp_path / "report.xlsx").write_bytes(b"")
    out = tmp_path / "report.xlsx" / "out"
    text = assert_refused(screen(survey, "-o", out), out, names=[out])
    assert "路径中已有同名的文件" in text and "File exists" not in text and "系统错误" not in text


def test_a_workbook_that_cannot_be_written_ends_in_a_message_and_nothing_written(tmp_path, monkeypatch):
    """Every village list fails as a full disk would make it fail (in the helper process too: it is
    forked after the patch)."""
    path = workbook_of_villages(tmp_path / "合隆镇.xlsx", [("合隆镇", f"{i}村") for i in range(40)])

    def full(self):
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device", self.filename))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", full)
    out = tmp_path / "out"
    text = assert_refused(screen(path, "-o", out), out, names=[out])
    assert "磁盘已满" in text.replace(str(out), "")


# ---------------------------------------------------------------------------------------------
# Signals


def test_a_signal_while_reading_leaves_no_reservation_and_says_so_in_english_when_asked(tmp_path):
    """SIGTERM as soon as the run holds its output folder (before any staging folder): the lock file
    goes too, and the one line follows --lang."""
    path = workbook_of_villages(tmp_path / "合隆镇.xlsx", [("合隆镇", f"{i}村") for i in range(150)], per_village=2)
    out = tmp_path / "out"
    log = tmp_path / "run.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "edgescreen", "screen", str(path), "-o", str(out),
                                 "--lang", "en"], stdout=fh, stderr=fh, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / ".out.lock").exists():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.002)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = log.read_text(encoding="utf-8")
    assert code == 128 + signal.SIGTERM, text
    assert_clear_message(text, chinese=False)
    assert folded(text).count("Interrupted; nothing was written") == 1, text
    assert not out.exists() and not leftovers(out), leftovers(out)


def test_a_signal_during_a_rename_into_place_waits_for_its_end(monkeypatch):
    """runtime.uninterrupted: the signal is raised when the block ends, never inside it."""
    monkeypatch.setattr(runtime, "_signals", {"deferred": 0, "pending": None, "raised": False, "saved": False, "held": 0})
    saved = {s: signal.getsignal(s) for s in runtime.SIGNALS}
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)  # handle_signals sets it: put back after
    runtime.handle_signals()
    done = []
    try:
        with pytest.raises(runtime.Interrupted) as caught:
            with runtime.uninterrupted():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # the handler runs here, in the block: it must only take note
                done.append("renamed")
        assert done == ["renamed"]
        assert caught.value.signum == signal.SIGTERM and caught.value.exit_code == 143
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


FINALIZER = """
import signal, sys, time
from edgescreen import runtime
runtime.handle_signals()

class Dropped:
    def __del__(self):  # the signal comes while a finalizer runs, as one may in the garbage collector
        signal.raise_signal(signal.SIGINT)
        for _ in range(100_000):
            pass

try:
    Dropped()
    print("went on", flush=True)
    time.sleep(5)
    print("never interrupted", flush=True)
except runtime.Interrupted as stop:
    print("interrupted", stop.signum, flush=True)
"""


def test_a_signal_that_comes_inside_a_finalizer_still_interrupts_and_prints_no_traceback():
    """Found by an outside try (about 1 Ctrl-C in 20): the signal's exception, raised inside a weakref
    callback, was dropped by Python with a traceback, the run went on to replace the outputs, and
    every later Ctrl-C was ignored. Now it is delivered again a moment later, and nothing is printed."""
    done = subprocess.run([sys.executable, "-c", FINALIZER], capture_output=True, text=True, timeout=60)
    assert done.stdout.split("\n")[:2] == ["went on", f"interrupted {int(signal.SIGINT)}"], done
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr


AFTER_RENAME = """
import os, signal, sys
from edgescreen.cli import program
from edgescreen.outputs import folder

put_in_place = folder._put_in_place

def and_then_a_signal(*args):
    put_in_place(*args)
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C the moment the new folder is in place

folder._put_in_place = and_then_a_signal
sys.argv = ["edgescreen", *sys.argv[1:]]
program.main()
"""


def test_a_signal_just_after_the_outputs_are_in_place_does_not_say_nothing_was_written(tmp_path, survey):
    """Found by an outside try: Ctrl-C just after the new folder replaced the old one said 已中断,未写出
    任何文件 while the folder held the new run's complete results (the old ones gone)."""
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", AFTER_RENAME, "screen", str(survey), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    said = folded(done.stdout + done.stderr)
    assert done.returncode == 128 + signal.SIGINT, said
    assert "已中断,但本次的结果在中断之前已全部写出" in said and "未写出任何文件" not in said, said
    assert len(ledger(out)) == 3


# ---------------------------------------------------------------------------------------------
# What replacing a folder would delete


def test_force_never_deletes_the_register_or_the_rules_file_inside_the_output_folder(tmp_path, survey):
    """Found by an outside try: with the register (or the rules file) kept in the output folder,
    `screen -o that --force` recorded the round and then replaced the folder, register and all."""
    county = tmp_path / "county"
    county.mkdir()
    register = county / "农安县.db"
    first = screen(survey, "-o", tmp_path / "first", "--register", register, "--date", "2019-12-02")
    assert first.exit_code == 0, first.output
    before = register.read_bytes()
    again = screen(survey, "-o", county, "--force", "--register", register, "--date", "2019-12-03")
    assert again.exit_code == 2, again.output
    assert "输入文件(农安县.db)" in folded(again.output)
    assert register.read_bytes() == before  # no second round: refused before anything was read
    rules = county / "农安县.toml"
    assert invoke("rules", "new", rules).exit_code == 0
    for command in ("screen", "check"):
        result = invoke(command, survey, "-o", county, "--force", "--rules", rules)
        assert result.exit_code == 2 and "输入文件(农安县.toml)" in folded(result.output), result.output
    assert rules.exists() and register.exists()


def test_replacing_a_folder_with_the_clerks_own_files_in_it_is_refused_and_names_them(tmp_path, survey):
    """--force over a folder that is no earlier output (the desktop), and `check`, which replaces its
    earlier report without --force, over one the clerk put notes in: refused, the files named; an
    earlier output holding only what its run wrote is replaced as before."""
    desk = tmp_path / "桌面"
    desk.mkdir()
    (desk / "2019年工作总结.docx").write_bytes(b"notes")
    result = screen(survey, "-o", desk, "--force")
    assert result.exit_code == 2
    said = folded(result.output)
    # No record of a run in it: a folder edgescreen never wrote (test_force_foreign_folder.py).
    assert "不是 edgescreen 写出的输出文件夹" in said and "里面的 1 个文件(2019年工作总结.docx)" in said, said
    assert "请用 -o 另选" in said and "登记" not in said, said  # no documents here
    assert (desk / "2019年工作总结.docx").read_bytes() == b"notes"

    out = tmp_path / "out"
    assert screen(survey, "-o", out).exit_code == 0
    assert screen(survey, "-o", out, "--force").exit_code == 0  # its own outputs: replaced
    (out / "villages" / "改好了.xlsx").write_bytes(b"x")  # a name of a kind edgescreen writes, not its own
    result = screen(survey, "-o", out, "--force")
    assert result.exit_code == 2 and "villages/改好了.xlsx" in folded(result.output), result.output
    (out / "villages" / "改好了.xlsx").unlink()
    # A village list the meeting's results were typed into, saved where it was written: not replaced.
    written = next((out / "villages").glob("*.xlsx"))
    wb = openpyxl.load_workbook(written)
    wb.worksheets[0]["A1"] = "已评议"
    wb.save(written)
    result = screen(survey, "-o", out, "--force")
    assert result.exit_code == 2 and f"villages/{written.name}" in folded(result.output), result.output
    assert openpyxl.load_workbook(written).worksheets[0]["A1"].value == "已评议"

    report = tmp_path / "report"
    assert invoke("check", survey, "-o", report).exit_code == 0
    assert invoke("check", survey, "-o", report).exit_code == 0  # an earlier report: replaced
    (report / "quality-villages").mkdir(exist_ok=True)
    (report / "quality-villages" / "合隆镇-已改回.txt").write_text("已改", encoding="utf-8")
    (report / "我的笔记.docx").write_bytes(b"x")
    result = invoke("check", survey, "-o", report)
    assert result.exit_code == 2
    said = folded(result.output)
    assert "2 个不是 edgescreen 写出的文件" in said and "quality-villages/合隆镇-已改回.txt" in said, said
    assert (report / "我的笔记.docx").exists()


def test_a_run_killed_outright_leaves_no_traceback_from_its_helper(tmp_path):
    """Found by an outside try: SIGKILL to the run (the OOM killer, Task Manager's End task) while its
    helper wrote village workbooks printed the helper's BrokenPipeError traceback three times. Killed
    at several moments of the writing: the helper ends without a word."""
    path = workbook_of_villages(tmp_path / "合隆镇.xlsx", [("合隆镇", f"{i}村") for i in range(300)], per_village=3)
    for delay in (0.05, 0.25, 0.6):  # early in the writing, amid it, near its end
        out = tmp_path / f"out{int(delay * 100)}"
        log = tmp_path / f"{out.name}.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "edgescreen", "screen", str(path), "-o", str(out)],
                                    stdout=fh, stderr=fh, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while not list(tmp_path.glob(f".{out.name}.*.partial")) and proc.poll() is None:
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.002)
            time.sleep(delay)
            proc.kill()
            proc.wait(timeout=60)
            # The helper finds its parent gone and ends: what it said is in the log once its group is empty.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.02)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        text = log.read_text(encoding="utf-8")
        assert "Traceback" not in text and "BrokenPipeError" not in text, (delay, text)
        # The helper stopped at its next claim once its parent had gone, not after every village's
        # workbook (before: it wrote all 300 into the folder nobody would put in place).
        if delay == 0.05:
            written = [p for p in tmp_path.glob(f".{out.name}.*.partial/**/*.xlsx") if "村" in p.name]
            assert len(written) < 250, len(written)


def test_a_first_register_run_interrupted_before_its_round_is_recorded_leaves_no_register(tmp_path, survey,
                                                                                        monkeypatch):
    """Found by an outside try: Ctrl-C while the first `screen --register` wrote its outputs said
    nothing was written, yet left the register file with no round, taken afterwards for the county's.
    Its round committed, the folder then not put in place: the file it made is removed too. A register
    that had a round before keeps it."""
    from edgescreen.outputs import folder

    def interrupted(*_):
        raise runtime.Interrupted(signal.SIGINT)

    register = tmp_path / "农安县.db"
    with monkeypatch.context() as patch, pytest.raises(runtime.Interrupted):
        patch.setattr(folder, "_put_in_place", interrupted)
        screen(survey, "-o", tmp_path / "out", "--register", register, "--date", "2019-12-02")
    assert not list(tmp_path.glob("农安县.db*")), list(tmp_path.iterdir())
    assert screen(survey, "-o", tmp_path / "out", "--register", register, "--date", "2019-12-02").exit_code == 0
    before = register.stat().st_size
    with monkeypatch.context() as patch, pytest.raises(runtime.Interrupted):
        patch.setattr(folder, "_put_in_place", interrupted)
        screen(survey, "-o", tmp_path / "out2", "--register", register, "--date", "2020-12-02", "--year", "2020")
    # The round is committed before its folder is put in place (a commit that fails on a full disk
    # leaves no folder of a round not kept): a register that had a round before keeps it, and this one.
    assert register.exists() and register.stat().st_size >= before
    history = invoke("register", "status", register)
    assert history.exit_code == 0 and "第 2 轮" in folded(history.output), history.output


_KILLED_AT_RENAME = """
import os, signal, sys
real = os.replace
def replace(src, dst, *a, **k):
    if os.path.basename(str(src)).startswith("."):  # the temporary file, about to become the output
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *a, **k)
os.replace = replace
sys.argv = ["edgescreen", *sys.argv[1:]]
from edgescreen.cli import main
main()
"""


def test_a_register_view_killed_before_its_rename_leaves_nothing_behind_its_next_run(tmp_path):
    """Found by an outside try: `register status -o 进度.xlsx` (and export, trend) killed by a power cut
    just before its temporary workbook became the file left `.进度.xxxxxxxx.tmp.xlsx` for good; its
    next run (or any other) never removed it. Such a file is a reserved output's now, as the blank
    form's is: the next run into that folder removes it."""
    survey = write_workbook(tmp_path / "合隆镇.xlsx", households(6))
    register = tmp_path / "农安县.db"
    assert invoke("screen", survey, "-o", tmp_path / "s", "--register", register, "--date", "2019-12-20",
                  "--as-of", "2019-12-20").exit_code == 0
    views = tmp_path / "views"
    views.mkdir()
    for command, name in (("status", "进度.xlsx"), ("export", "花名册.xlsx")):
        killed = subprocess.run([sys.executable, "-c", _KILLED_AT_RENAME, "register", command, str(register),
                                 "-o", name], cwd=views, capture_output=True)
        assert killed.returncode == -signal.SIGKILL, killed
        assert [p.name for p in views.iterdir() if p.name.startswith(".")], "the kill left no temporary file"
        done = invoke("register", command, register, "-o", views / name)
        assert done.exit_code == 0, done.output
        assert sorted(p.name for p in views.iterdir() if p.name.startswith(".")) == [], list(views.iterdir())


def test_a_folder_in_the_way_of_an_output_file_is_said_of_a_file(tmp_path):
    """-o names a file (空白表.xlsx) and a folder of that name is in the way: -o is to name another file,
    not "a folder you can write to"."""
    (tmp_path / "空白表.xlsx").mkdir()
    result = invoke("template", "-o", tmp_path / "空白表.xlsx", "--force")
    said = folded(result.output)
    assert result.exit_code == 2 and "无法写入(这是一个文件夹)。请用 -o 另写一个可以写入的文件名" in said, said
