"""`register status` and 进度.xlsx say each thing once, with every date. An outside look: a village with
nobody on its list (青山村, no candidate) had its 第一次公示 (本村无) recorded, 2019-12-07, and 各村进度 left
that step's date blank; a village emptied by the procedure (三宝村, 新立村) read 已完成「第一次公示(本村无)」
twice in its status line; and the note on the 公示 counted from the print day gave its --amend advice
once per step (twice for 第一次公示 and 第二次公示)."""

from __future__ import annotations

import openpyxl

from register_builders import fill
from test_register import Walk, run
from test_register_nobody_listed import County

DONE = "已完成「第一次公示(本村无)」"


def _entries(output: str) -> dict[str, str]:
    """Each village's status as read across the lines it wraps to at 80 columns: a village's line starts
    two spaces in, its continuation further in."""
    entries, village = {}, None
    for line in output.splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            village = line.strip().split(":")[0]
            entries[village] = line.strip()
        elif line.startswith("   ") and village is not None:
            entries[village] += line.strip()
        else:
            village = None
    return entries


def _progress(path) -> tuple[dict[str, int], dict[str, tuple]]:
    """各村进度: {step: its date column}, {village: its row}."""
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "乡(镇)")
    steps = {name: j for j, name in enumerate(rows[at]) if name and rows[at + 1][j] == "日期"}
    return steps, {r[1]: r for r in rows[at + 2:] if r[1]}


def _recorded(tmp_path) -> County:
    """The three villages with nobody listed, their 第一次公示 (本村无) recorded (青山村's with a 漏评)."""
    county = County(tmp_path)
    county.through_verify()
    _, folder = county.issue("2019-12-01", "d3")
    qingshan = next((folder / "3-第一次公示").glob("*青山村*"))
    fill(qingshan, objections=[("吴国庆", "家里常年有病人,收入低,应当评上", "成立", "2019-12-05", "名单外")])
    run("register", "record", county.db, folder)
    return county


def test_an_emptied_village_says_its_notice_of_nobody_done_once(tmp_path):
    county = _recorded(tmp_path)
    said = run("register", "status", county.db, "--as-of", "2019-12-10", columns=80).output
    # 已完成「第一次公示(本村无)」 once a village, with its day.
    entries = _entries(said)
    for village in ("三宝村", "新立村"):
        assert entries[village].count(DONE) == 1, said
        assert "".join(entries[village].split()).endswith(
            "名单上0户·已无农户留在名单上;已完成「第一次公示(本村无)」(2019年12月7日期满)"), said
    assert entries["合隆镇青山村"].count(DONE) == 1, said
    assert said.count(DONE) == 3, said
    # In English the same: the step done said once.
    said = run("register", "status", county.db, "--as-of", "2019-12-10", "--lang", "en").output
    line = next(line for line in said.splitlines() if line.strip().startswith("三宝村"))
    assert line.count("(nobody listed) done") == 1 and "0 listed" in line, said


def test_a_village_with_no_candidate_has_its_notice_of_nobodys_date_in_the_progress_sheet(tmp_path):
    county = _recorded(tmp_path)
    run("register", "status", county.db, "--as-of", "2019-12-10", "-o", tmp_path / "进度.xlsx")
    # The 公示 of nobody has its date in the 第一次公示 column, as 前岗村's (listed) and the emptied villages' have.
    steps, villages = _progress(tmp_path / "进度.xlsx")
    column = steps["第一次公示"]
    assert {v: villages[v][column] for v in ("前岗村", "青山村", "三宝村", "新立村")} == \
        dict.fromkeys(("前岗村", "青山村", "三宝村", "新立村"), "12-07"), villages
    assert villages["青山村"][column + 2:column + 10:2] == (None,) * 4, villages["青山村"]  # no step after it


def test_the_print_day_advice_is_given_once_after_the_steps_lines(tmp_path):
    walk = Walk(tmp_path)
    walk.through("publicity2")  # 第一次公示 and 第二次公示 recorded as printed, no 张贴日期
    said = run("register", "status", walk.db, "--as-of", "2019-12-20", "-o", tmp_path / "进度.xlsx",
               columns=80).output
    flat = "".join(said.split())
    first = flat.index("「第一次公示」没有填写张贴日期的3个村,公示期按印发日计:合隆镇前岗村、合隆镇青山村、烧锅镇三宝村。")
    second = flat.index("「第二次公示」没有填写张贴日期的3个村,公示期按印发日计:合隆镇前岗村、合隆镇青山村、烧锅镇三宝村。")
    advice = "哪个村实际晚于印发日张贴的,请在该村文书的「张贴记录」表填写张贴日期,再加--amend--reason\"补填张贴日期\"登记该文书"
    assert flat.count("--amend") == 1 and first < second < flat.index(advice), said
    # The advice on a line of its own, not the second step's.
    assert any(line.startswith("哪个村实际晚于印发日张贴的") for line in said.splitlines()), said
    sheet = openpyxl.load_workbook(tmp_path / "进度.xlsx").worksheets[0]
    notes = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str) and "张贴日期" in c]
    assert [n[:6] for n in notes] == ["「第一次公示", "「第二次公示", "哪个村实际晚"], notes
    assert notes[-1] == "哪个村实际晚于印发日张贴的,请在该村文书的「张贴记录」表填写张贴日期," \
                        "再加 --amend --reason \"补填张贴日期\" 登记该文书", notes


def test_one_steps_note_keeps_its_advice_on_its_line(tmp_path):
    county = _recorded(tmp_path)
    run("register", "status", county.db, "--as-of", "2019-12-10", "-o", tmp_path / "进度.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "进度.xlsx").worksheets[0]
    notes = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str) and "张贴日期" in c]
    assert len(notes) == 1 and notes[0].startswith("「第一次公示」没有填写张贴日期的 3 个村") and "--amend" in notes[0], notes
