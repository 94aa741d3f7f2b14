"""A members sheet that leaves the heads out (the enumerator listed only the others of each household),
found by an outside try (try-AV): a household of one lists nobody there, its one member being the head.
That is the village's habit, said once on the sheet (head_not_in_members), not a count mismatch of each
such household; in a village that lists its heads, a household of one listing nobody is still said. And a
son named as his father is the son: his row is not the head's own, whatever its name."""

from __future__ import annotations

import pandas as pd

from survey_builders import HEADERS, household, make_id
from test_rosters import member, run, write_sheets
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2020-01-01"
MEMBER_HEADERS = ["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号", "健康状况", "在校生状况", "是否常住"]


def _check(tmp_path, households, members, command="check"):
    survey = write_sheets(tmp_path / "合隆镇.xlsx", {
        "户表": (HEADERS, [[h.get(k, "") for k in HEADERS] for h in households]),
        "家庭成员": (MEMBER_HEADERS, [[m[k] for k in MEMBER_HEADERS] for m in members])})
    out = tmp_path / "out"
    result = run(command, survey, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out


def _said(out, code: str) -> pd.DataFrame:
    found = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    return found[found["code"] == code]


def _household(village: str, number: int, size, **more) -> dict:
    cells = {"行政村": village, "户编号": f"{number:03d}", "户主姓名": f"{village[0]}户{number}",
             "户主身份证号": make_id(f"196{number % 10}0101"), "家庭人口数": size, "家庭常住人口数": size}
    return household(**{**cells, **more})


def _others(hh: dict) -> list[dict]:
    """A household of three's members other than its head: a wife and a son."""
    number = int(hh["户编号"])
    return [member(hh, f"{hh['户主姓名']}妻", "妻", make_id(f"196{number % 10}0601")),
            member(hh, f"{hh['户主姓名']}子", "子", make_id(f"199{number % 10}0101"))]


def test_a_household_of_one_in_a_village_that_leaves_its_heads_out_is_no_count_mismatch(tmp_path):
    """新华村 lists the wife and son of each household of three, never the head; its households of one
    (户2, 户5) list nobody: no member_count_mismatch for them, the missing heads said on the others. Its
    household of two listing nobody is still said: one of its two is not listed. 前岗村 lists its heads:
    its household of one listing nobody is still said (户3)."""
    xinhua = [_household("新华村", i, 1 if i in (2, 5) else 2 if i == 6 else 3) for i in range(1, 7)]
    qiangang = [_household("前岗村", i, 1 if i == 3 else 3) for i in range(1, 4)]
    members = [m for h in xinhua if h["家庭人口数"] == 3 for m in _others(h)]
    for h in qiangang[:2]:
        members += [member(h, h["户主姓名"], "户主", h["户主身份证号"]), *_others(h)]
    out = _check(tmp_path, xinhua + qiangang, members)

    said = _said(out, "member_count_mismatch")
    assert sorted(zip(said["行政村"], said["户主姓名"])) == [("前岗村", "前户3"), ("新华村", "新户6")], said
    alone = said[said["户主姓名"] == "前户3"]["说明"].item()
    assert "家庭人口数" in alone and "家庭成员表中列出这一户 0 人" in alone, alone
    # The village's habit is still said, on each household that lists its others: three of 新华村's.
    heads = _said(out, "head_not_in_members")
    assert sorted(heads["户主姓名"]) == ["新户1", "新户3", "新户4"], heads


def test_a_village_with_one_head_row_missing_still_says_its_household_of_one(tmp_path):
    """前岗村 lists its heads, but 户1's row is missing (one household's slip, not the village's habit):
    its household of one listing nobody is still said."""
    hh = [_household("前岗村", i, 1 if i == 4 else 3) for i in range(1, 5)]
    members = _others(hh[0])
    for h in hh[1:3]:
        members += [member(h, h["户主姓名"], "户主", h["户主身份证号"]), *_others(h)]
    out = _check(tmp_path, hh, members)
    said = _said(out, "member_count_mismatch")
    assert said["户主姓名"].tolist() == ["前户4"], said


def test_a_son_named_as_his_father_is_not_the_heads_row(tmp_path):
    """户1's members sheet lists his wife and his son, the son of the head's very name (与户主关系 子), and
    not the head: 家庭人口数 and 家庭常住人口数 blank, the two counted would leave the head out, the
    per-capita divided by 2 for 3. The count stays blank, for the clerk: invalid. 户2's own row gives
    his name with a blank 与户主关系 (its ID typed as another's): that is the head's row, and the
    residents are counted from the members (2, a candidate)."""
    one = _household("前岗村", 1, "", 家庭常住人口数="", 工资性收入=10500)
    two = _household("前岗村", 2, "", 家庭常住人口数="", 工资性收入=7000)
    members = [member(one, "前户1妻", "妻", make_id("19610601")),
               member(one, "前户1", "子", make_id("19910101")),
               member(two, "前户2", "", make_id("19620101")),
               member(two, "前户2妻", "妻", make_id("19620601"))]
    out = _check(tmp_path, [one, two], members, "screen")
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["前户1", "status"] == "invalid" and ledger.loc["前户1", "residents"] == "", ledger.loc["前户1"]
    assert ledger.loc["前户2", "status"] == "candidate" and ledger.loc["前户2", "residents"] == "2", ledger.loc["前户2"]
    said = _said(out, "missing_value")
    assert said[said["户主姓名"] == "前户1"]["说明"].str.contains("家庭成员表虽列出了这一户").any(), said
