"""Every error a user can meet: exit 2, one clear message naming the file, no traceback, no output."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from survey_builders import HEADERS, household, write_workbook
from edgescreen.cli import app


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """These tests read what the messages say in English (--lang en, here through EDGESCREEN_LANG);
    test_messages.py holds the same failures to their Chinese words."""
    monkeypatch.setenv("EDGESCREEN_LANG", "en")


runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_clean_failure(result, *phrases, out=None):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = " ".join(result.output.split())
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in {text!r}"
    if out is not None:
        assert not out.exists(), "no half-written output"
        assert not list(out.parent.glob(f".{out.name}.*")), "no staging folder left behind"


def test_missing_required_column_names_found_headers_and_nearest(tmp_path):
    headers = [h if h != "家庭常住人口数" else "常驻人口数" for h in HEADERS]
    path = write_workbook(tmp_path / "survey.xlsx", [household()], headers=headers)
    out = tmp_path / "out"
    result = run("screen", path, "-o", out)
    assert_clean_failure(result, "survey.xlsx", "required column missing: 家庭常住人口数",
                         "Headers found:", "常驻人口数", "Nearest accepted headers:", "常住人口数", out=out)


def test_two_columns_for_one_field(tmp_path):
    headers = [h if h != "村民小组" else "村" for h in HEADERS]
    path = write_workbook(tmp_path / "dup.xlsx", [household()], headers=headers)
    assert_clean_failure(run("screen", path, "-o", tmp_path / "o"), "dup.xlsx", "two columns for one field",
                         "B「行政村」", "C「村」")


@pytest.mark.parametrize("name, content, phrase", [
    ("empty.xlsx", b"", "empty (0 bytes)"),
    ("noise.xlsx", bytes(range(256)) * 8, "not a workbook"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le"),
     "encrypted or password-protected"),
    ("legacy.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "this is a .xls file with a .xlsx name"),
    ("web.xls", "<html><table><tr><td>户主姓名</td></tr></table></html>".encode(), "web page (HTML)"),
    ("notes.docx", b"PK\x03\x04", "this is a Word document, not a table"),
    ("binary.csv", b"\x00\x01\x02\x03" * 100, "not a text file"),
    ("latin.csv", "户主".encode("utf-8") + b"\xff\xfe\x81\x30", "neither UTF-8 nor GB18030"),
])
def test_unreadable_inputs(tmp_path, name, content, phrase):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    assert_clean_failure(run("screen", path, "-o", out), name, phrase, out=out)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    assert_clean_failure(run("screen", path, "-o", tmp_path / "o"), "archive.xlsx", "cannot be read as a workbook")


def test_no_household_header_names_the_sheets(tmp_path):
    import xlsxwriter

    path = tmp_path / "说明.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("填表说明").write_string(0, 0, "请按表填写")
    book.close()
    assert_clean_failure(run("screen", path, "-o", tmp_path / "o"), "说明.xlsx", "no household header found",
                         "「填表说明」")


def test_missing_input_and_same_file_twice(tmp_path):
    assert_clean_failure(run("screen", tmp_path / "nope.xlsx"), "nope.xlsx", "no such file or folder")
    path = write_workbook(tmp_path / "a.xlsx", [household()])
    assert_clean_failure(run("screen", path, path, "-o", tmp_path / "o"), "a.xlsx", "given twice")
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    assert_clean_failure(run("screen", path, copy, "-o", tmp_path / "o"), "copy.xlsx", "identical contents")
    # Given twice beside a file that cannot be read: both named in the one refusal (the repeat alone
    # was said before, and the empty file only on the next run).
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert_clean_failure(run("screen", path, empty, path, "-o", tmp_path / "o"), "a.xlsx", "given twice",
                         "empty.xlsx", "2 files")


def test_output_folder_exists_needs_force_and_force_replaces_whole(tmp_path):
    """An earlier output is replaced whole (a village no longer surveyed leaves no file behind); a file
    its run did not write is never deleted with it (tests/test_output_folder.py)."""
    two = write_workbook(tmp_path / "a.xlsx", [household(行政村="前岗村"), household(行政村="东兴村")])
    out = tmp_path / "out"
    assert run("screen", two, "-o", out).exit_code == 0
    assert len(list((out / "villages").glob("*.xlsx"))) == 2
    one = write_workbook(tmp_path / "b.xlsx", [household(行政村="前岗村")])
    assert_clean_failure(run("screen", one, "-o", out), "already exists", "--force")
    result = run("screen", one, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (out / "villages").glob("*.xlsx")] == ["合隆镇-前岗村.xlsx"]
    (out / "stale.txt").write_text("old")
    assert_clean_failure(run("screen", one, "-o", out, "--force"),
                         "did not write, or changed or filled in since it wrote them (stale.txt)")
    assert (out / "stale.txt").exists(), "refusing leaves the folder alone"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_folder_holding_an_input_is_refused(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", [household()])
    before = path.read_bytes()
    assert_clean_failure(run("screen", path, "-o", tmp_path, "--force"), "holds an input")
    assert path.read_bytes() == before


def test_unknown_rule_set_and_year_without_bounds(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", [household()])
    assert_clean_failure(run("screen", path, "--rules", "nowhere-2030"), "no rule set 'nowhere-2030'",
                         "changchun-2019")
    assert_clean_failure(run("screen", path, "--year", "2010"), "no bounds in force for income year 2010")


def test_bad_option_values_exit_2(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", [household()])
    assert run("screen", path, "--lang", "fr").exit_code == 2
    assert run("screen", path, "--as-of", "yesterday").exit_code == 2


def test_installed_wheel_runs_from_another_directory(tmp_path):
    """Build the wheel, install it alone into a folder, and run it from elsewhere: the rule sets and
    data files must travel inside the package."""
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-w", str(wheels), str(repo)], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next(wheels.glob("edgescreen-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "edgescreen/rules/changchun-2019.toml" in names
    assert "edgescreen/data/fields.toml" in names
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    survey = write_workbook(elsewhere / "村 调查.xlsx", [household()])
    import os

    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c",
                           "import edgescreen, sys; print(edgescreen.__file__); "
                           "from edgescreen.cli import app; sys.argv=['edgescreen']+sys.argv[1:]; app()",
                           "screen", survey.name, "-o", "结果"],
                          cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0].startswith(str(target)), "ran the installed copy, not the checkout"
    assert (elsewhere / "结果" / "decisions.csv").exists()


def test_output_folder_is_refused_before_the_inputs_are_read(tmp_path):
    """A clerk learns about the folder at once, not after a long run: an input that would take
    reading (here one that cannot be read at all) is not touched."""
    broken = tmp_path / "big.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path / "out"
    out.mkdir()
    assert_clean_failure(run("screen", broken, "-o", out), "already exists")
    assert_clean_failure(run("screen", broken, "-o", tmp_path), "holds an input (big.xlsx)")


@pytest.mark.parametrize("command", ["screen", "check", "explain"])
def test_an_income_year_after_this_one_is_refused(tmp_path, command):
    """An outside try: screen --year 2030 ran under the 2019 figures and printed 2030年度 on every list."""
    import datetime as dt
    path = write_workbook(tmp_path / "s.xlsx", [household()])
    later = dt.date.today().year + 4
    extra = ["--name", "张三"] if command == "explain" else ["-o", tmp_path / "out"]
    result = run(command, path, "--year", later, *extra)
    assert_clean_failure(result, f"--year {later}: the income year is after this one ({later - 4})", out=tmp_path / "out")
    assert run(command, path, "--year", later - 4, *extra).exit_code == 0


def test_a_file_written_while_it_is_read_is_refused(tmp_path, monkeypatch):
    """Truncated 0.8 s into a screen (an outside try), a survey's households came from one version and
    its recorded SHA-256 from the other. A file whose size or time changed while it was read is refused."""
    import edgescreen.read as read_module
    from edgescreen import screen
    from edgescreen.errors import InputError

    path = write_workbook(tmp_path / "a.xlsx", [household()])
    hashed = read_module.file_sha256

    def hash_then_save_again(p):
        digest = hashed(p)
        with open(p, "ab") as fh:  # the clerk saves it again meanwhile
            fh.write(b"\0")
        return digest

    monkeypatch.setattr(read_module, "file_sha256", hash_then_save_again)
    with pytest.raises(InputError) as refused:
        screen([path])
    assert refused.value.key == "file_changed_while_read"
    assert "读入的时候,这个文件被改动了" in refused.value.message("zh")


def test_a_file_saved_again_after_a_read_ahead_parsed_it_is_refused(tmp_path, monkeypatch):
    """An outside try: the command line's read-ahead parses the survey while the library loads; saved
    again by WPS (the file replaced) before the reader looked, the register recorded 50,000 households
    under the SHA-256 of the new 300-household file. The stamp is taken when the parse begins."""
    import edgescreen.read as read_module
    from edgescreen import screen
    from edgescreen.errors import InputError
    from edgescreen.workbook import parse_workbook

    path = write_workbook(tmp_path / "a.xlsx", [household(), household(户主姓名="李四")])
    parsed_early = parse_workbook(path)  # as the read-ahead does, before the reader asks
    write_workbook(tmp_path / "new.xlsx", [household(户主姓名="王五")]).replace(path)

    class ReadAhead:
        def take(self, asked):
            return parsed_early if asked == path else parse_workbook(asked)

    monkeypatch.setattr(read_module, "ParseWhenAsked", ReadAhead)
    with pytest.raises(InputError) as refused:
        screen([path])
    assert refused.value.key == "file_changed_while_read"
