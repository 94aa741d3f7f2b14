"""`register status`: the 漏评 objections still to act on, apart from those naming a household a step of
this round already took off (no 漏评: no survey to fill in; the objection contests that decision). The
terminal headed them apart, 进度.xlsx's 漏评异议 sheet listed them all under one title (「漏评,共 3 条:成立的
请为该户入户登记」), so a clerk reading the workbook was told to act on a household already decided; and
the terminal split them by a second matching of its own, by the head's name with spaces taken out, where
recording matches a head as procedure.head_keys does (李二. is 李二). The split is now made once, in
views.status_report, and both say it."""

from __future__ import annotations

import openpyxl
import pytest

from register_builders import fill
from test_register import Walk, run

OPEN_TITLE = "公示期间对名单外农户的异议(漏评):"
TAKEN_TITLE = "公示期间对本轮已移出名单的农户的异议(不是漏评,是对移出决定的异议):"


@pytest.fixture
def walk(tmp_path):
    walk = Walk(tmp_path)
    walk.through("verify")  # 李二 (前岗村) taken off at the 民主评议 of 2019-11-25: 不同意
    return walk


def _record_objections(walk: Walk, objections) -> None:
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=objections)
    walk.record(*docs)


def _status(walk: Walk) -> tuple[list[str], list[list]]:
    """The terminal's lines and the 漏评异议 sheet's rows (empty cells left out)."""
    said = run("register", "status", walk.db, "--as-of", "2019-12-10", "-o", walk.tmp / "进度.xlsx").output
    ws = openpyxl.load_workbook(walk.tmp / "进度.xlsx")["漏评异议"]
    rows = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    return said.splitlines(), [r for r in rows if r]


def _terminal_block(lines: list[str], title: str) -> list[str]:
    """The objection lines under a heading of the terminal, up to the next heading."""
    if title not in lines:
        return []
    block = []
    for line in lines[lines.index(title) + 1:]:
        if not line.startswith("  "):
            break
        block.append(line)
    return block


def _sheet_blocks(rows: list[list]) -> dict[str, list[list]]:
    """The sheet's blocks by their title's first words: each its header row, then its rows."""
    blocks, title = {}, None
    for r in rows:
        if len(r) == 1 and isinstance(r[0], str) and "异议" in r[0]:
            title = "taken" if "已移出名单" in r[0] else "open"
            blocks[title] = [r]
        else:
            blocks[title].append(r)
    return blocks


def test_the_sheet_lists_a_household_taken_off_apart_with_no_next_step(walk):
    _record_objections(walk, [("李二", "小轿车是借的,应纳入", "成立", "2019-12-04", "名单外"),
                              ("李不在", "应当评上", "成立", "2019-12-05"),
                              ("赵不在", "应当评上", "不成立", "2019-12-05")])
    lines, rows = _status(walk)
    blocks = _sheet_blocks(rows)
    assert set(blocks) == {"open", "taken"}, rows
    opened, taken = blocks["open"], blocks["taken"]
    # The 漏评 block: its two objections counted, the upheld one with what to do.
    assert "共 2 条" in opened[0][0], opened
    assert opened[1][-1] == "下一步", opened
    assert [r[4] for r in opened[2:]] == ["李不在", "赵不在"], opened
    assert opened[2][-1] == "不在本轮名单上:请为该户入户登记,下次筛查时识别", opened
    # The household taken off: its own block, by which step and when, no step to act on.
    assert "共 1 条" in taken[0][0] and "不是漏评" in taken[0][0], taken
    assert taken[1][-1] == "移出情况" and "下一步" not in taken[1], taken
    assert taken[2][4] == "李二", taken
    assert "2019年11月25日 在「民主评议」中移出" in taken[2][-1], taken
    assert not any("请" in str(c) for c in taken[2]), taken
    assert not any("李二" in str(c) for r in opened for c in r), opened
    # The terminal says the same split: the same heads under the same headings, the same words.
    assert [line.split("(")[0].strip() for line in _terminal_block(lines, OPEN_TITLE)] == ["李不在", "赵不在"], lines
    said = _terminal_block(lines, TAKEN_TITLE)
    assert len(said) == 1 and said[0].startswith("  李二(合隆镇前岗村)") and said[0].endswith(taken[2][-1]), lines


def test_a_dismissed_objection_about_a_household_taken_off_says_so_and_asks_nothing(walk):
    _record_objections(walk, [("李二", "小轿车是借的,应纳入", "不成立", "2019-12-04", "名单外")])
    lines, rows = _status(walk)
    blocks = _sheet_blocks(rows)
    assert set(blocks) == {"taken"}, rows  # no 漏评 at all: no 漏评 block
    row = blocks["taken"][2]
    assert row[4] == "李二" and row[6] == "不成立", row
    assert "在「民主评议」中移出" in row[-1] and "无须处理" in row[-1], row
    assert OPEN_TITLE not in lines, lines
    said = _terminal_block(lines, TAKEN_TITLE)
    assert len(said) == 1 and said[0].endswith(row[-1]), lines


def test_a_head_written_with_a_mark_is_split_alike_in_the_terminal_and_the_sheet(walk):
    """李二. is 李二 (procedure.head_keys, as recording reads it): the terminal's own matching, spaces only,
    put it under 漏评 while its words said 不是漏评; the sheet had it as a 漏评 to survey."""
    _record_objections(walk, [("李二.", "小轿车是借的,应纳入", "成立", "2019-12-04", "名单外"),
                              ("李不在", "应当评上", "成立", "2019-12-05")])
    lines, rows = _status(walk)
    blocks = _sheet_blocks(rows)
    opened, taken = blocks["open"], blocks.get("taken", [])
    assert [r[4] for r in opened[2:]] == ["李不在"], rows
    assert [r[4] for r in taken[2:]] == ["李二."], rows
    # Counted the same in both: one to act on, one taken off.
    assert len(_terminal_block(lines, OPEN_TITLE)) == len(opened) - 2 == 1, lines
    assert len(_terminal_block(lines, TAKEN_TITLE)) == len(taken) - 2 == 1, lines


def test_english_heads_the_taken_off_block_in_its_own_words(walk):
    _record_objections(walk, [("李二", "小轿车是借的,应纳入", "成立", "2019-12-04", "名单外")])
    run("register", "status", walk.db, "--as-of", "2019-12-10", "-o", walk.tmp / "progress.xlsx", "--lang", "en")
    book = openpyxl.load_workbook(walk.tmp / "progress.xlsx")
    rows = [[c for c in r if c is not None] for r in book["omissions"].iter_rows(values_only=True)]
    assert "took off the list" in rows[0][0] and rows[1][-1] == "taken off", rows
    assert "taken off at" in rows[2][-1], rows
