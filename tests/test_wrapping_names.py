"""Names a message inserts (villages, townships, files, sheets, people) stay whole on the terminal.

An outside review at 80 columns: long runs of Chinese broke anywhere, inside a village of a list
(东风村第三 | 村民小组) or a place a message inserts after its words (读作合隆镇东风 | 村): a clerk reads
two places, or a wrong one. A list's items break between them, never inside one; a name the message
inserts (wrapping.names_in, passed as keep by the code that says an error) breaks only where it alone
is wider than the line."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from edgescreen.catalogue import label
from edgescreen.cli import common
from edgescreen.cli.program import app
from edgescreen.cli.wrapping import names_in, wrap
from edgescreen.errors import InputError
from field_builders import households
from survey_builders import write_workbook

VILLAGES = ["陈家店村", "东风村第三村民小组", "前岗村", "合隆镇东三村第五组", "高家店镇胜利村", "腰站村", "八里营村",
            "新农村", "长山村", "靠山屯"]


def _whole(name: str, lines: list[str]) -> bool:
    return any(name in line for line in lines)


@pytest.mark.parametrize("width", [60, 80, 100])
def test_each_village_of_a_list_stands_whole_on_one_line(width):
    """The list of villages the register says are part-way (reg_round_left_unfinished), the message at
    every place along a line: no village broken, no line wider than the terminal."""
    text = label("reg_round_left_unfinished", "zh", previous=1, round=2, count=len(VILLAGES),
                 villages="、".join(VILLAGES))
    for pad in range(0, 40):
        lines = wrap("注" * pad + text, width, indent=2)
        assert all(cell_len(line) <= width for line in lines), (width, pad, lines)
        for village in VILLAGES:
            assert _whole(village, lines), (village, width, pad, lines)


def test_a_name_wider_than_the_line_alone_breaks_and_lines_still_fit():
    """A name longer than a whole line breaks between its characters (filling the lines) rather than
    run past the terminal's edge; the shorter items beside it stay whole."""
    long = "东风村第三村民小组" * 3
    lines = wrap(f"名单:{long}、前岗村、陈家店村", 30, keep=[long])
    assert all(cell_len(line) <= 30 for line in lines), lines
    assert "".join(lines) == f"名单:{long}、前岗村、陈家店村"
    assert _whole("前岗村", lines) and _whole("陈家店村", lines), lines


def test_names_in_takes_names_whole_each_item_of_a_list_and_a_paths_file():
    from edgescreen.catalogue import Phrase

    params = {"file": "/home/clerk/农安县贫困边缘户入户登记表.xlsx", "villages": ["陈家店村", "前岗村"], "count": 2,
              "why": Phrase("sheets_looked_at", sheets="合隆镇家庭成员"), "step": "民主评议"}
    assert names_in(params) == ["/home/clerk/农安县贫困边缘户入户登记表.xlsx", "农安县贫困边缘户入户登记表.xlsx",
                                "陈家店村", "前岗村", "合隆镇家庭成员"]


@pytest.mark.parametrize("width", [60, 80])
def test_an_error_keeps_the_place_and_file_it_inserts_whole(monkeypatch, width):
    """place_differs_in_sheet inserts the place right after 读作: the place and the file stay whole on
    the terminal wherever they fall (common.fail passes the error's names as keep words)."""
    place = "合隆镇东风村第三村民小组"
    for pad in range(0, 25):  # the file's name longer by one character each time: the place moves along
        shown = io.StringIO()
        monkeypatch.setattr(common, "err", common._Console(file=shown, width=width, force_terminal=False,
                                                            color_system=None))
        error = InputError("place_differs_in_sheet", where="农" * pad + ".xlsx", column="行政村",
                           source="表格标题", place=place, row=12, line="东风村第四村民小组")
        common.fail(error, "zh")
        lines = shown.getvalue().splitlines()
        assert all(cell_len(line) <= width for line in lines), lines
        assert lines[0].startswith("edgescreen:") and all(line.startswith("  ") for line in lines[1:]), lines
        assert sum(place in line for line in lines) == shown.getvalue().count(place) >= 2, (pad, lines)


# Names of five characters and more (满族镇, 蒙古族乡): a shorter word after 、 was carried down whole already.
TOWNSHIPS = ["合隆满族镇", "烧锅镇", "查干花蒙古族乡", "华家镇", "伏龙泉镇", "青山口满族乡", "巴吉垒镇", "哈拉毛都蒙古族乡",
             "三盛玉镇", "万顺乡", "白依拉嘎乡", "永安乡", "乌兰图嘎镇", "前岗乡"]


@pytest.fixture(scope="module")
def county_round(tmp_path_factory):
    """A register whose round holds 15 townships, and a survey of one of them alone."""
    tmp = tmp_path_factory.mktemp("round")
    rows = []
    for i, town in enumerate(["前郭镇", *TOWNSHIPS]):
        rows += households(1, first_serial=1 + i, **{"乡(镇)": town, "县(市、区)": "农安县"})
    county = write_workbook(tmp / "全县.xlsx", rows, more=["县(市、区)"])
    register = tmp / "农安县.db"
    done = CliRunner().invoke(app, ["screen", str(county), "-o", str(tmp / "a"), "--register", str(register),
                                    "--date", "2019-12-20", "--as-of", "2019-12-20"])
    assert done.exit_code == 0, done.output
    alone = write_workbook(tmp / "前郭镇.xlsx", households(2, first_serial=90, **{"乡(镇)": "前郭镇",
                                                                                   "县(市、区)": "农安县"}),
                           more=["县(市、区)"])
    return tmp, register, alone


@pytest.mark.parametrize("columns", range(60, 101, 3))
def test_screen_names_each_township_it_leaves_out_whole(county_round, columns):
    """screen of one township where the round holds 15: the refusal lists the 14 left out (their own
    words, round_leaves_townships), each whole on a line, at several terminal widths."""
    tmp, register, alone = county_round
    done = CliRunner().invoke(app, ["screen", str(alone), "-o", str(tmp / f"b{columns}"), "--register",
                                    str(register), "--date", "2019-12-21", "--as-of", "2019-12-20"],
                              env={"COLUMNS": str(columns)})
    lines = done.output.splitlines()
    assert done.exit_code == 2 and "这次的调查表里没有" in "".join(lines), done.output
    # The register's path is one word, as long as pytest's folder makes it (pytest-1174/popen-gw0/…).
    assert all(cell_len(line) <= columns for line in lines if str(register) not in line), lines
    for town in TOWNSHIPS:
        assert _whole(town, lines), (town, columns, lines)


@pytest.mark.parametrize("width", [60, 80])
def test_a_place_a_register_line_inserts_stays_whole_without_its_caller_saying_so(width):
    """Left by the first change: lines printed outside common.py's errors (register record's line per
    file, a spot check's notes) still broke a village their message inserts, as their callers passed no
    keep words. Every label made by common.words now carries its names (wrapping.Named)."""
    from rich.console import Console

    from edgescreen.cli.wrapping import Named, say_prose

    say = common.words("zh")
    place = "合隆镇东风村第三村民小组"
    text = say("reg_record_file", file="农安县.xlsx", step="民主评议", place=place, households=12, removed=1)
    for pad in range(0, 30):
        console = Console(file=io.StringIO(), width=width, color_system=None)
        say_prose(console, Named("注" * pad + text, getattr(text, "names", ())), indent=2)  # at every place
        lines = console.file.getvalue().splitlines()
        assert _whole(place, lines), (pad, lines)
        assert max(cell_len(line) for line in lines) <= width, (pad, lines)


def test_the_names_of_a_cut_list_a_register_message_inserts_are_kept():
    """Review: a refusal of a late township's join names heads with their villages in a list cut at
    five (rounds.Shown); at 80 columns 候103(合 | 隆镇前岗村) broke, as names_in found nothing in it."""
    from edgescreen.catalogue import Phrase
    from edgescreen.register.rounds import Shown, unfinished_places

    found = names_in({"heads": Shown([Phrase("round_join_head", name="王一", id="220122********1009",
                                             place="合隆镇前岗村")]),
                      "villages": Shown(["合隆镇东风村第三村民小组"]),
                      "left": unfinished_places([("合隆镇", "青山村", ("review",))])})
    assert {"王一", "合隆镇前岗村", "合隆镇东风村第三村民小组", "合隆镇青山村"} <= set(found), found
