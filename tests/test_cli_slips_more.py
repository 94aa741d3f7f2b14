"""Three more slips of a clerk at a Chinese Windows PC at 6 p.m. (an outside try, 2026-12-06):
--out=--force made a folder named --force (the spaced -o --force was refused already); -0 for -o got
click's bare "no such option"; a .wps, WPS 文字's word-processing document, was sent to the
spreadsheet's "save it as .xlsx", and one named .xlsx was read as a damaged workbook."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from field_builders import wps_native_file
from field_checks import said, valued_options
from survey_builders import household, write_workbook
from years_builders import run


@pytest.fixture(autouse=True)
def _chinese_words(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The clerk's folder, holding one survey: what a refused command must leave as it is."""
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "调查表.xlsx", [household(), household(户主姓名="李四")])
    return tmp_path


def everything_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- an option's value forgotten, typed in one word --------------------------------------------

@pytest.mark.parametrize("typed, option", [("--out=--force", "--out"), ("-o=--force", "-o"), ("-o--force", "-o")])
def test_a_forgotten_folder_typed_in_one_word_is_refused_and_no_folder_named_force_is_made(here, typed, option):
    """click reads --out=--force and -o--force as the folder --force, and -o=--force as =--force."""
    text = said(run("screen", "调查表.xlsx", typed, "--force", code=2))
    assert f"选项{option}后面要写一个值,但紧跟着的--force是另一个选项。这里要写:文件夹。" in text, text
    assert "运行edgescreenscreen-h查看帮助" in text and "结果在" not in text, text
    assert everything_in(here) == ["调查表.xlsx"]


def test_the_register_typed_as_another_option_in_one_word_is_refused(here):
    text = said(run("screen", "调查表.xlsx", "-o", "结果", "--register=--date", "2019-12-20", code=2))
    assert "选项--register后面要写一个值,但紧跟着的--date是另一个选项。这里要写:登记簿,如农安县.db。" in text, text
    assert everything_in(here) == ["调查表.xlsx"]


def _one_word_slips():
    """(command path, option, the word typed) for every option of every command that takes a value: the
    long name with '=' and another option of the command after it, a short name with the option
    joined to it, with and without '='."""
    for path, name, other in valued_options():
        forms = [f"{name}={other}"] if name.startswith("--") else [f"{name}={other}", name + other]
        yield from ((path, name, other, form) for form in forms)


SLIPS = list(_one_word_slips())


def test_the_scan_sees_every_path_option():
    seen = {(" ".join(path), form.split("=")[0]) for path, _, _, form in SLIPS}
    assert {("screen", "--out"), ("screen", "-o"), ("screen", "--register"), ("register next", "--out"),
            ("register next", "-o"), ("backcheck", "--survey"), ("backcheck", "--sample"), ("sample", "-o"),
            ("register export", "--out"), ("check", "--roster"), ("template", "-o")} <= seen, sorted(seen)


@pytest.mark.parametrize("path, option, other, typed", SLIPS, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_option_that_takes_a_value_refuses_another_option_typed_in_the_same_word(here, path, option, other,
                                                                                        typed):
    text = said(run(*path, typed, code=2))
    assert f"选项{option}后面要写一个值,但紧跟着的{other}是另一个选项" in text, text
    assert everything_in(here) == ["调查表.xlsx"]


def test_a_value_in_one_word_that_only_starts_with_a_dash_stays_a_value(here):
    text = said(run("screen", "调查表.xlsx", "--out=-结果"))
    assert "已筛查2户,结果在-结果" in text, text
    assert (here / "-结果" / "decisions.csv").is_file()
    # A short option written with '=' as the long one is (-o=结果): its value, no folder named =结果.
    text = said(run("screen", "调查表.xlsx", "-o=结果", "--force"))
    assert (here / "结果" / "decisions.csv").is_file() and not (here / "=结果").exists(), text


# -- a lookalike short option ------------------------------------------------------------------

@pytest.mark.parametrize("command, typed, meant", [
    (["screen", "调查表.xlsx"], "-0", "-o"), (["screen", "调查表.xlsx"], "-O", "-o"),
    (["screen", "调查表.xlsx"], "-ｏ", "-o"), (["screen", "调查表.xlsx"], "-R", "-r"),
    (["check", "调查表.xlsx"], "-0", "-o"), (["register", "next", "农安县.db"], "-0", "-o"),
    (["screen", "调查表.xlsx"], "--0ut", "--out")])
def test_an_option_typed_with_a_lookalike_character_is_said_with_the_option_meant(here, command, typed, meant):
    """The digit 0 for the letter o, Caps Lock, an input method's full-width letter."""
    text = said(run(*command, typed, "结果", code=2))
    assert f"没有{typed}这个选项。你是不是要写{meant}?" in text, text
    assert f"运行edgescreen{''.join(command[:-1])}-h查看帮助" in text, text
    assert everything_in(here) == ["调查表.xlsx"]


def test_a_lookalike_with_the_space_forgotten_and_in_english(here):
    text = said(run("screen", "调查表.xlsx", "-0结果", code=2))
    assert "没有-0结果这个选项。你是不是要写-o?" in text, text
    result = run("screen", "调查表.xlsx", "-0", "out", "--lang", "en", code=2)
    assert "there is no option -0. Did you mean -o?" in " ".join(result.output.split()), result.output
    assert everything_in(here) == ["调查表.xlsx"]


def test_a_short_option_like_none_of_the_commands_gets_no_guess(here):
    """-1 looks like -l, which no command has: the help is pointed to, no option guessed."""
    text = said(run("screen", "调查表.xlsx", "-1", "结果", code=2))
    assert "没有-1这个选项。运行edgescreenscreen-h查看帮助" in text, text


# -- a WPS 文字 document -------------------------------------------------------------------------

_END, _FREE, _FAT_SECTOR, _NO_ENTRY = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(path: Path, streams: list[str]) -> Path:
    """An OLE2 compound file whose top holds empty `streams`, as olefile (and any reader) reads one: a
    header, a FAT sector, a directory sector. WPS 文字 writes a .wps as Word writes a .doc (a
    WordDocument stream, a 1Table); Excel an .xls (a Workbook stream)."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    fat = struct.pack("<II", _FAT_SECTOR, _END) + struct.pack("<I", _FREE) * 126

    def entry(name: str, kind: int, child: int = _NO_ENTRY, right: int = _NO_ENTRY) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, _NO_ENTRY, right, child)
                + bytes(36) + struct.pack("<IQ", _END, 0))

    entries = [entry("Root Entry", 5, child=1)]
    entries += [entry(name, 2, right=i + 1 if i < len(streams) else _NO_ENTRY) for i, name in enumerate(streams, 1)]
    path.write_bytes(header + fat + b"".join(entries).ljust(512, b"\0"))
    return path


WRITER_STREAMS = ["WordDocument", "1Table", "\x05SummaryInformation"]


def test_a_wps_is_said_as_a_word_processing_document_not_a_spreadsheet(here):
    compound_file(here / "说明.wps", WRITER_STREAMS)
    text = said(run("screen", "说明.wps", "-o", "结果", code=2))
    assert "说明.wps:这是WPS文字文档(文字处理文件),不是表格,edgescreen读不出里面的农户。" in text, text
    assert "请向报送的乡镇或村要调查表的Excel原件(.xlsx)" in text, text
    assert "另存为" not in text and "专用格式" not in text, text
    assert everything_in(here) == sorted(["调查表.xlsx", "说明.wps"])


@pytest.mark.parametrize("name", ["合隆镇.et", "合隆镇.ett"])
def test_wps_spreadsheets_keep_the_save_as_xlsx_advice(here, name):
    wps_native_file(here / name)
    text = said(run("screen", name, "-o", "结果", code=2))
    assert f"{name}:这是WPS的专用格式,edgescreen读不了。请在WPS中另存为.xlsx" in text, text
    assert everything_in(here) == sorted(["调查表.xlsx", name])


@pytest.mark.parametrize("name", ["烧锅镇.xlsx", "烧锅镇.xls"])
def test_a_word_processing_document_named_as_a_workbook_is_said_by_its_content(here, name):
    """Read as an .xls it was "damaged"; the clerk would ask the township for the same file again."""
    compound_file(here / name, WRITER_STREAMS)
    text = said(run("screen", name, "-o", "结果", code=2))
    assert f"{name}:这是文字处理文档(Word或WPS文字),不是表格,edgescreen读不出里面的农户。" in text, text
    assert "损坏" not in text and "无法读取" not in text, text
    result = run("screen", name, "-o", "结果", "--lang", "en", code=2)
    assert "this is a word-processing document (Word or WPS Writer), not a table" in " ".join(result.output.split())
    assert everything_in(here) == sorted(["调查表.xlsx", name])


def test_a_word_processing_document_among_a_folders_surveys_stops_the_run_naming_it(here):
    folder = here / "乡镇"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", [household()])
    compound_file(folder / "烧锅镇.xlsx", WRITER_STREAMS)
    text = said(run("screen", folder, "-o", "结果", code=2))
    assert "烧锅镇.xlsx:这是文字处理文档(Word或WPS文字)" in text, text
    assert "结果" not in everything_in(here)


def test_a_compound_file_holding_a_workbook_is_not_said_as_a_document(here):
    """A workbook stream at its top (an .xls, one with a Word object in it): read as the workbook it is."""
    compound_file(here / "旧格式.xlsx", ["Workbook", "WordDocument"])
    text = said(run("screen", "旧格式.xlsx", "-o", "结果", code=2))
    assert "文字处理文档" not in text and "Word" not in text, text
