"""Roster exclusions at the visit (an outside tester's report, 2026-12): a screen run with the 低保 roster
(authoritative) excluded a household whose survey said 否; its form filled in with exactly what the survey
recorded came back 漏评, for backcheck decided the verified values without the roster. The verified status is
decided with the same authoritative exclusions the screen applied, and backcheck says so."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey


def test_a_household_the_dibao_roster_excluded_is_excluded_at_the_visit_too(tmp_path):
    on_roster = candidate("前岗村", "甲")  # in the band, said 否: the roster alone excludes it
    rows = [candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(2)] + [on_roster]
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows})
    roster = tmp_path / "低保对象名单.csv"
    roster.write_text(f"姓名,身份证号\n{on_roster['户主姓名']},{on_roster['户主身份证号']}\n", encoding="utf-8")
    run("screen", survey, "-o", tmp_path / "筛查", "--roster", f"低保={roster}")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "3", "--listed-rate", "1",
        "--unlisted-rate", "1")
    pages = {}
    for r in sample_rows(tmp_path / "抽查"):
        wage = 30000 if r["户主姓名"].startswith("高") else 10000  # what the survey recorded, every page
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = same_as_recorded(wage_income=wage)
    (tmp_path / "填好").mkdir()
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])

    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果").output.split())
    sheet = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["逐户比对"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("户主姓名")]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows[on_roster["户主姓名"]]
    assert (row["登记认定"], row["核实认定"], row["比对结论"]) == ("低保户(暂不列入)", "低保户(暂不列入)", "认定一致,各项相符"), row
    assert "漏评率:0.0%" in said, said
    assert "核实认定与筛查时一样采用低保名单" in said and "有1户是筛查时按名单排除的" in said, said
    html = (tmp_path / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert "核实认定与筛查时一样采用低保名单" in html


def test_a_sample_drawn_from_the_register_applies_the_rosters_exclusions_too(tmp_path):
    """The same household, the screen recorded in a register and the sample drawn from it: the register
    keeps which exclusions a roster decided (before, it did not, and the household came back 漏评)."""
    on_roster = candidate("前岗村", "甲")
    rows = [candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(2)] + [on_roster]
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows})
    roster = tmp_path / "低保对象名单.csv"
    roster.write_text(f"姓名,身份证号\n{on_roster['户主姓名']},{on_roster['户主身份证号']}\n", encoding="utf-8")
    db = tmp_path / "农安县.db"
    run("screen", survey, "-o", tmp_path / "筛查", "--roster", f"低保={roster}", "--register", db)
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "3", "--listed-rate", "1", "--unlisted-rate", "1")
    pages = {}
    for r in sample_rows(tmp_path / "抽查"):
        wage = 30000 if r["户主姓名"].startswith("高") else 10000
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = same_as_recorded(wage_income=wage)
    (tmp_path / "填好").mkdir()
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])
    said = "".join(run("backcheck", db, tmp_path / "填好", "-o", tmp_path / "核查结果").output.split())
    sheet = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["逐户比对"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("户主姓名")]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows[on_roster["户主姓名"]]
    assert (row["登记认定"], row["核实认定"], row["比对结论"]) == ("低保户(暂不列入)", "低保户(暂不列入)", "认定一致,各项相符"), row
    assert "漏评率:0.0%" in said and "有1户是筛查时按名单排除的" in said, said


def test_year_two_without_last_years_roster_names_the_households_it_excluded(tmp_path):
    """From an outside try of 信息比对 over two years: a household only the 特困 list excluded in 2019
    (its survey said 否) came back in 2020, screened with the 低保 list alone, as a 新识别候选, printed
    for the meeting, and nothing said why. The round now names those households and the list not
    given."""
    on_roster = candidate("前岗村", "甲")
    rows = [candidate("前岗村", "甲") for _ in range(2)] + [on_roster]
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows})
    tekun = tmp_path / "特困人员名单.csv"
    tekun.write_text(f"姓名,身份证号\n{on_roster['户主姓名']},{on_roster['户主身份证号']}\n", encoding="utf-8")
    dibao = tmp_path / "低保对象名单.csv"
    dibao.write_text("姓名,身份证号\n", encoding="utf-8")
    db = tmp_path / "农安县.db"
    run("screen", survey, "-o", tmp_path / "2019", "--roster", f"特困={tekun}", "--register", db, "--date", "2019-11-20")
    said = " ".join(run("screen", survey, "-o", tmp_path / "2020", "--roster", f"低保={dibao}", "--register", db,
                        "--date", "2020-11-20", "--year", "2020").output.split())
    assert "上一轮(第 1 轮)按特困名单排除的 1 户,本轮没有比对特困名单,按调查表认定,不再排除" in said, said
    assert f"{on_roster['户主姓名']}(合隆镇前岗村)" in said and "--roster" in said, said
    # Given again, nothing to say.
    said = " ".join(run("screen", survey, "-o", tmp_path / "2020b", "--roster", f"特困={tekun}", "--register", db,
                        "--date", "2020-11-21", "--year", "2020").output.split())
    assert "按特困名单排除的" not in said, said
