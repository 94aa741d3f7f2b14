"""Issue 12, "Formats refused that offices use" and "CLI values": the text files Excel and WPS save
are read like CSV, WPS's own formats get a hint, and impossible option values are usage errors."""

from __future__ import annotations

import pytest

from field_builders import households, tab_separated_text, wps_native_file
from field_checks import assert_refused, ledger, screen
from survey_builders import write_workbook


@pytest.mark.parametrize("name, encoding", [
    ("调查表.txt", "utf-16"),    # Excel: 另存为 "Unicode 文本": UTF-16 LE with a BOM, tabs
    ("调查表.txt", "gbk"),       # WPS: 文本文件(制表符分隔), GBK
    ("调查表.txt", "utf-8"),
    ("调查表.tsv", "utf-16"),
    ("调查表.tsv", "gb18030"),
    ("调查表.tsv", "utf-8"),
])
def test_tab_separated_text_is_read_like_csv(tmp_path, name, encoding):
    """Today: UTF-16 is refused as binary, tab-separated UTF-8/GBK .txt has "no household header",
    and .tsv is not a file type edgescreen reads."""
    path = tab_separated_text(tmp_path / name, households(3), encoding)
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert list(led["source_file"]) == [name] * 3
    assert list(led["row"]) == ["2", "3", "4"]
    assert list(led["head_name"]) == ["户主1", "户主2", "户主3"]
    assert list(led["status"]) == ["candidate"] * 3


@pytest.mark.parametrize("name", ["合隆镇.et", "合隆镇.ett"])
def test_a_wps_file_gets_a_hint_to_save_it_as_xlsx(tmp_path, name):
    """Today: "not a survey file type edgescreen reads", with no word of what to do."""
    path = wps_native_file(tmp_path / name)
    out = tmp_path / "out"
    assert_refused(screen(path, "-o", out), out, names=[name], phrases=["请在 WPS 中另存为 .xlsx"])


@pytest.mark.parametrize("option, value", [("--year", "0"), ("--year", "-1"), ("--year", "10000"),
                                           ("--publicity-start", "9999-12-31")])
def test_impossible_option_values_are_usage_errors(tmp_path, option, value):
    """Today each ends in "internal error" (ValueError, or OverflowError for the publicity end date)."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", households(2))
    out = tmp_path / "out"
    # A usage message, as for any bad option (click's own are English): it names the option.
    assert_refused(screen(path, "-o", out, option, value), out, names=[option], chinese=False)
