"""edgescreen called as a library, as a notebook types the calls (README's library section): one output
folder asked of two threads, lang, a single path as text, dates and years typed as text."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from edgescreen import screen as screen_survey
from edgescreen.errors import OutputError, UsageError
from edgescreen.jobs import check, screen_into
from edgescreen.outputs.folder import reserved
from edgescreen.outputs.write import write_check_report, write_outputs
from field_builders import workbook_of_villages
from field_checks import ledger, leftovers, manifest, screen

WAIT = 60  # seconds: only a broken run waits this long


def survey(folder: Path, name: str, village: str, first_serial: int = 1) -> Path:
    return workbook_of_villages(folder / name, [("合隆镇", village)], per_village=2, first_serial=first_serial)


def villages_in(out: Path) -> set[str]:
    return set(ledger(out)["village"])


# ---------------------------------------------------------------------------------------------
# 1. Two threads, one output folder


def test_second_thread_into_the_same_folder_is_refused_as_a_second_process_is(tmp_path):
    first, second = survey(tmp_path, "前岗村.xlsx", "前岗村"), survey(tmp_path, "红石村.xlsx", "红石村", 10)
    out = tmp_path / "out"
    inside, refused = threading.Event(), threading.Event()
    outcome: dict = {}

    def hold(*_):  # the first run, reading: the folder is reserved; it waits for the second's answer
        inside.set()
        assert refused.wait(WAIT)

    def run_first():
        try:
            outcome["first"] = screen_into([first], out, progress=hold)
        except BaseException as exc:  # noqa: BLE001 - said by the asserts below
            outcome["first"] = exc
            inside.set()

    thread = threading.Thread(target=run_first)
    thread.start()
    assert inside.wait(WAIT)
    try:
        with pytest.raises(OutputError) as raised:
            screen_into([second], out)
    finally:
        refused.set()
        thread.join(WAIT)
    assert "正在写这个文件夹" in str(raised.value) and str(out) in str(raised.value)
    assert not isinstance(outcome["first"], BaseException), outcome["first"]
    assert villages_in(out) == {"前岗村"}
    assert leftovers(out) == []
    # Nothing of the refused run stays held: the folder is free again, for this thread or another.
    done = screen_into([second], out, force=True)
    assert villages_in(done.out_dir) == {"红石村"}


def test_a_nested_hold_in_the_same_thread_is_one(tmp_path):
    out = tmp_path / "out"
    with reserved(out):
        with reserved(out):
            pass
        # still held after the inner block: another thread is refused
        caught: list = []
        other = threading.Thread(target=lambda: caught.append(_try_reserve(out)))
        other.start()
        other.join(WAIT)
        assert isinstance(caught[0], OutputError), caught
    assert _try_reserve(out) is None and leftovers(out) == []


def _try_reserve(out: Path):
    try:
        with reserved(out):
            return None
    except OutputError as exc:
        return exc


# ---------------------------------------------------------------------------------------------
# 2. lang


@pytest.mark.parametrize("lang", ["zh-CN", "cn", "EN", None])
def test_unknown_lang_refused_before_anything_is_read_or_written(tmp_path, lang):
    path = survey(tmp_path, "前岗村.xlsx", "前岗村")
    out, report = tmp_path / "out", tmp_path / "report"
    for call in (lambda: screen_into([path], out, lang=lang), lambda: check([path], out_dir=report, lang=lang)):
        with pytest.raises(UsageError) as raised:
            call()
        assert '"zh"' in str(raised.value) and '"en"' in str(raised.value) and repr(lang) in str(raised.value)
    result = screen_survey([path])
    for call in (lambda: write_outputs(result, out, lang=lang), lambda: write_check_report(result, report, lang=lang)):
        with pytest.raises(UsageError, match="lang"):
            call()
    assert not out.exists() and not report.exists() and leftovers(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["前岗村.xlsx"]


def test_known_langs_and_the_command_lines_spellings_still_work(tmp_path):
    path = survey(tmp_path, "前岗村.xlsx", "前岗村")
    assert manifest(screen_into([path], tmp_path / "zh", lang="zh").out_dir)["options"]["lang"] == "zh"
    assert manifest(screen_into([path], tmp_path / "en", lang="en").out_dir)["options"]["lang"] == "en"
    # The command line takes a locale's spelling and passes zh or en on.
    result = screen(path, "-o", tmp_path / "cli", "--lang", "EN", "--as-of", "2019/12/01")
    assert result.exit_code == 0, result.output
    assert manifest(tmp_path / "cli")["options"]["lang"] == "en"
    assert manifest(tmp_path / "cli")["options"]["as_of"] == "2019-12-01"


# ---------------------------------------------------------------------------------------------
# 3. One path as text; no path at all


def test_one_path_as_text_or_path_is_one_input(tmp_path, monkeypatch):
    path = survey(tmp_path, "前岗村.xlsx", "前岗村")
    monkeypatch.chdir(tmp_path)
    assert len(screen_survey("前岗村.xlsx").ledger) == 2
    assert len(screen_survey(str(path)).ledger) == 2  # absolute: never "/" scanned
    assert len(screen_survey(path).ledger) == 2
    assert villages_in(screen_into("前岗村.xlsx", "out").out_dir) == {"前岗村"}
    assert check(str(path)).households == 2
    assert (tmp_path / "前岗村-质量报告").is_dir()


@pytest.mark.parametrize("call", ["screen", "screen_into", "check"])
def test_no_survey_given_is_refused(tmp_path, monkeypatch, call):
    monkeypatch.chdir(tmp_path)
    run = {"screen": lambda: screen_survey([]), "screen_into": lambda: screen_into([], "out"),
           "check": lambda: check([])}[call]
    with pytest.raises(UsageError, match="没有给出调查表"):
        run()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# 4. Dates and years typed as text


def test_dates_and_year_as_text_are_taken(tmp_path):
    path = survey(tmp_path, "前岗村.xlsx", "前岗村")
    result = screen_survey([path], year="2019", as_of="2019-12-01")
    assert result.options["year"] == 2019 and result.as_of == dt.date(2019, 12, 1)
    assert screen_survey([path], as_of=dt.datetime(2019, 12, 1, 9, 30)).as_of == dt.date(2019, 12, 1)
    done = screen_into([path], tmp_path / "o1", publicity_start="2019-12-02", year="2019")
    assert manifest(done.out_dir)["options"]["publicity_start"] == "2019-12-02"
    assert (done.out_dir / "publicity").is_dir()
    done = screen_into([path], tmp_path / "o2", register=tmp_path / "县.db", round_date="2019-11-20")
    assert manifest(done.out_dir)["options"]["round_date"] == "2019-11-20"
    assert manifest(done.out_dir)["options"]["as_of"] == "2019-11-20"
    assert check([path], out_dir=tmp_path / "r", as_of="2019-12-01", year="2019").households == 2
    # As a clerk types a day: the core's one reader of dates (dates.typed_day).
    assert screen_survey([path], as_of="2019年12月1日").as_of == screen_survey([path], as_of="2019/12/1").as_of \
        == dt.date(2019, 12, 1)


@pytest.mark.parametrize("argument, value", [("as_of", "2019年12月"), ("as_of", 20191201), ("publicity_start", "12/02"),
                                             ("round_date", "2019-02-30"), ("year", "二〇一九"), ("year", 2019.5)])
def test_a_value_that_is_no_date_or_year_is_refused_naming_it(tmp_path, argument, value):
    path = survey(tmp_path, "前岗村.xlsx", "前岗村")
    extra = {"register": tmp_path / "县.db"} if argument == "round_date" else {}
    with pytest.raises(UsageError) as raised:
        screen_into([path], tmp_path / "out", **{argument: value}, **extra)
    assert f"{argument}={value!r}" in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["前岗村.xlsx"]
