"""The 公示 counts its village's 数据有误,待核实 households where the village lists put them
(places.likely_villages), and a row whose 乡(镇) is blank under a village of one township takes it.

Before, publicity/ counted the households 数据有误 by the village as typed: 新立村's notice said none
pending while its review list carried a row whose 行政村 was left blank under 新立村's rows, and that row
was counted on a notice of its own, 合隆镇-(行政村未填)-公示.xlsx, with nobody on it. And a row with
乡(镇) left blank and 行政村 东兴村, whose other rows all say 合隆镇, went to lists of a place
(乡镇未填)东兴村 that no clerk looks after; it is 合隆镇东兴村's, the row saying why. A 东兴村 of two
townships is not guessed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from field_checks import ledger, screen
from survey_builders import household, write_workbook
from test_fix_lists_routing import _lists as fix_lists
from edgescreen.catalogue import label
from edgescreen.cli import app

PENDING = "本村另有 {count} 户登记数据有误,正在核实"
ROUTED = "〔归入本村清单:本户乡(镇)未填,本次筛查中「东兴村」只在合隆镇〕"


def _household(name: str, village: str, **more) -> dict:
    return household(**{"行政村": village, "户主姓名": name, "家庭常住人口数": more.pop("常住", 3), **more})


def _people(names: str, village: str, **more) -> list[dict]:
    return [_household(name, village, **more) for name in names.split()]


def _screen(path: Path, out: Path) -> Path:
    result = screen(path, "-o", out, "--as-of", "2020-01-01", "--publicity-start", "2020-01-28")
    assert result.exit_code == 0, result.output
    return out


def _check(path: Path, out: Path) -> Path:
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    return out


def _notices(out: Path) -> dict[str, str]:
    """Each notice's text by file name."""
    return {p.name: "\n".join(str(c) for row in openpyxl.load_workbook(p).active.iter_rows(values_only=True)
                              for c in row if c is not None)
            for p in sorted((out / "publicity").glob("*.xlsx"))}


def _invalid_sheets(out: Path) -> dict[str, dict[str, str]]:
    """Each village workbook's 数据有误待核实 households: head's name to what to fix, by file name."""
    found = {}
    for path in sorted((out / "villages").glob("*.xlsx")):
        rows = list(openpyxl.load_workbook(path)[label("sheet_invalid", "zh")].iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if r[0] == "序号")
        found[path.name] = {r[rows[at].index("户主姓名")]: r[rows[at].index("需核实的问题")]
                            for r in rows[at + 1:] if isinstance(r[0], int)}
    return found


def _fix_lists(out: Path) -> dict[str, dict[str, list[str]]]:
    """Each fix list's households: head's name to the notes of its rows, by file name."""
    found = {}
    for name, (_, _, rows) in fix_lists(out).items():
        listed = found.setdefault(name, {})
        for r in rows:
            listed.setdefault(r["户主姓名"], []).append(r["说明"])
    return found


def test_a_notice_counts_the_households_its_villages_list_carries(tmp_path):
    xinli = _people("新一 新二", "新立村") + [
        _household("空户", "", 常住=0),   # 行政村 left blank under 新立村's rows
        _household("石伟", "新立", 常住=0),  # typed without 村
    ] + _people("新三", "新立村")
    dongxing = _people("东一 东二", "东兴村")
    out = _screen(write_workbook(tmp_path / "合隆镇.xlsx", {"新立村": xinli, "东兴村": dongxing}), tmp_path / "out")

    sheets = _invalid_sheets(out)
    assert set(sheets["合隆镇-新立村.xlsx"]) == {"空户", "石伟"}, sheets
    notices = _notices(out)
    assert PENDING.format(count=2) in notices["合隆镇-新立村-公示.xlsx"]
    # No notice for a place the lists have no household in: (行政村未填) and 新立 are 新立村's.
    assert sorted(notices) == ["合隆镇-东兴村-公示.xlsx", "合隆镇-新立村-公示.xlsx"], sorted(notices)
    assert "共 3 户" in notices["合隆镇-新立村-公示.xlsx"]  # the candidates, as before
    assert "另有" not in notices["合隆镇-东兴村-公示.xlsx"]


def test_households_nothing_places_stay_on_their_townships_notice(tmp_path):
    """A sheet that names no village at all: the notice of 合隆镇(行政村未填) says them pending, as
    before (it guards what was already right)."""
    rows = {"Sheet1": [_household("甲", "", 常住=0), _household("乙", "", 常住=0)],
            "前岗村": _people("前一", "前岗村")}
    out = _screen(write_workbook(tmp_path / "合隆镇.xlsx", rows), tmp_path / "out")
    notices = _notices(out)
    assert sorted(notices) == ["合隆镇-(行政村未填)-公示.xlsx", "合隆镇-前岗村-公示.xlsx"], sorted(notices)
    assert PENDING.format(count=2) in notices["合隆镇-(行政村未填)-公示.xlsx"]
    assert "另有" not in notices["合隆镇-前岗村-公示.xlsx"]


def test_a_blank_township_under_a_village_of_one_township_is_that_townships(tmp_path):
    rows = _people("东一 东二", "东兴村") + [_household("无镇", "东兴村", **{"乡(镇)": ""})] \
        + _people("新一", "新立村")
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)

    fixes = _fix_lists(_check(path, tmp_path / "check"))
    assert sorted(fixes) == ["合隆镇-东兴村-问题清单.xlsx"], sorted(fixes)
    notes = fixes["合隆镇-东兴村-问题清单.xlsx"]["无镇"]
    assert notes and all(ROUTED in note for note in notes), notes

    out = _screen(path, tmp_path / "out")
    sheets = _invalid_sheets(out)
    assert sorted(sheets) == ["合隆镇-东兴村.xlsx", "合隆镇-新立村.xlsx"], sorted(sheets)
    assert ROUTED in sheets["合隆镇-东兴村.xlsx"]["无镇"], sheets
    assert PENDING.format(count=1) in _notices(out)["合隆镇-东兴村-公示.xlsx"]
    assert sorted(_notices(out)) == ["合隆镇-东兴村-公示.xlsx", "合隆镇-新立村-公示.xlsx"]
    # Only the lists: the ledger keeps the 乡(镇) as typed.
    typed = ledger(out).set_index("head_name")["township"].fillna("")
    assert typed["无镇"] == "" and typed["东一"] == "合隆镇", typed

    # The fix list in English says the same.
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "en"), "--lang", "en"])
    assert result.exit_code == 1, result.output
    lists = sorted((tmp_path / "en" / "quality-villages").glob("*.xlsx"))
    assert [p.name for p in lists] == ["合隆镇-东兴村-issues.xlsx"], lists
    said = [str(c) for row in openpyxl.load_workbook(lists[0]).active.iter_rows(values_only=True) for c in row]
    assert any("[on the list of the village: 乡(镇) is blank, and 「东兴村」 is only in 合隆镇 in this run]" in c
               for c in said), said


def test_a_village_of_two_townships_is_not_guessed(tmp_path):
    """东兴村 in 合隆镇 and in 烧锅镇: the row with 乡(镇) blank stays where typed (this guards what was
    already right)."""
    rows = _people("东一 东二", "东兴村") + [_household("无镇", "东兴村", **{"乡(镇)": ""})] \
        + _people("烧一", "东兴村", **{"乡(镇)": "烧锅镇"})
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)

    fixes = _fix_lists(_check(path, tmp_path / "check"))
    assert sorted(fixes) == ["(乡镇未填)-东兴村-问题清单.xlsx"], sorted(fixes)
    assert not any("归入" in note for note in fixes["(乡镇未填)-东兴村-问题清单.xlsx"]["无镇"])

    sheets = _invalid_sheets(_screen(path, tmp_path / "out"))
    assert set(sheets["(乡镇未填)-东兴村.xlsx"]) == {"无镇"}, sheets
    assert not sheets["合隆镇-东兴村.xlsx"] and not sheets["烧锅镇-东兴村.xlsx"], sheets
