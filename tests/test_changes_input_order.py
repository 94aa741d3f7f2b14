"""Villages in the order the input has them (README: "in every file and on the terminal"), found
not so by an outside try: changes.xlsx listed and counted 东兴村 before the survey's first village,
前岗村 (by character code, 东 U+4E1C before 前 U+524D, and its list by kind of change first); `register
record` of a folder named the villages of a gathered line ("没有填写张贴日期的 2 个村: 合隆镇东兴村、
合隆镇前岗村") in the files' order, where `register status` has the survey's."""

from __future__ import annotations

import openpyxl

from register_builders import fill, meeting
from survey_builders import make_id
from years_builders import register_everyone, run, survey

TOWNSHIP = "合隆镇"


def person(village: str, name: str, serial: int, wage: int) -> dict:
    return {"乡(镇)": TOWNSHIP, "行政村": village, "户主姓名": name,
            "户主身份证号": make_id("19690315", serial=serial), "户编号": f"HB{serial}", "工资性收入": wage}


# 2019, every one in the band and registered. Character codes: 东 < 前 < 北 < 南 < 西; the survey's
# order is none of it.
A, B = person("前岗村", "王甲", 801, 10000), person("前岗村", "王乙", 802, 10100)
C = person("北沟村", "李丙", 803, 10200)
J = person("南岭村", "赵丁", 804, 10300)
D, E = person("东兴村", "孙戊", 805, 10000), person("东兴村", "孙己", 806, 10300)
F = person("西山村", "周庚", 807, 10000)


def _sheet_rows(path, sheet: str) -> list[list]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(path)[sheet].iter_rows()]


def test_changes_lists_and_counts_villages_in_this_years_surveys_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, [A, B, C, J, D, E, F])
    # 2020: 前岗村 first, with a new candidate above its registered households, 王乙 above the band, and
    # 赵丁 moved in from 南岭村; 北沟村 and 南岭村 surveyed with nobody on the changes of their own (李丙
    # not found, a household above the band); 东兴村 with its households the other way round; 西山村 gone.
    rows = [person("前岗村", "新户", 810, 10000), A, {**B, "工资性收入": 60000}, {**J, "行政村": "前岗村"},
            person("北沟村", "富一", 811, 60000), person("南岭村", "富二", 812, 60000), E, D]
    run("screen", survey(tmp_path / "2020调查表.xlsx", rows), "--year", "2020", "-o", tmp_path / "out",
        "--register", db, "--date", "2020-11-20")
    changes = tmp_path / "out" / "changes.xlsx"

    table = _sheet_rows(changes, "变动名单")
    header = table[1]
    listed = [(r[header.index("行政村")], r[header.index("户主姓名")]) for r in table[2:] if isinstance(r[0], int)]
    # Each village's households in the survey's rows' order, whatever their change; then the one the
    # survey no longer has.
    assert listed == [("前岗村", "新户"), ("前岗村", "王甲"), ("前岗村", "王乙"), ("前岗村", "赵丁"),
                      ("北沟村", "李丙"), ("东兴村", "孙己"), ("东兴村", "孙戊"), ("西山村", "周庚")], listed

    summary = _sheet_rows(changes, "变动汇总")
    header = next(r for r in summary if "行政村" in r)
    counted = [r[header.index("行政村")] for r in summary[summary.index(header) + 1:] if r[0] == TOWNSHIP]
    # 南岭村 (赵丁 moved out) where the survey has it, though no line of this year is of it.
    assert counted == ["前岗村", "北沟村", "南岭村", "东兴村", "西山村"], counted
    south = next(r for r in summary if r[header.index("行政村")] == "南岭村")
    assert (south[header.index("本轮前在册")], south[header.index("迁出")]) == (1, 1), south


def test_record_names_a_gathered_lines_villages_in_the_surveys_order(tmp_path, monkeypatch):
    """The files' names sort 合隆镇-东兴村 first; the survey has 前岗村 first, and so does status."""
    monkeypatch.chdir(tmp_path)
    source = survey(tmp_path / "2019.xlsx", [A, B, D, E])
    db = tmp_path / "农安县.db"
    run("screen", source, "-o", tmp_path / "out", "--register", db, "--date", "2019-11-20")
    for step, folder, date in (("review", "1-民主评议", "2019-11-21"), ("verify", "2-入户核实", "2019-11-26")):
        run("register", "next", db, "--date", date, "-o", tmp_path / step)
        docs = sorted((tmp_path / step / folder).glob("*.xlsx"))
        for doc in docs:
            if step == "review":
                fill(doc, default=("同意", ""), form=meeting("2019-11-25"))
            else:
                fill(doc, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
        run("register", "record", db, *docs)
    run("register", "next", db, "--date", "2019-12-01", "-o", tmp_path / "publicity1")
    posted = sorted((tmp_path / "publicity1" / "3-第一次公示").glob("*.xlsx"))
    assert [p.name.split("-")[1] for p in posted] == ["东兴村", "前岗村"], posted
    said = "".join(run("register", "record", db, *posted).output.split())  # as printed: no 张贴日期
    assert "的2个村:合隆镇前岗村、合隆镇东兴村。" in said, said
    status = "".join(run("register", "status", db, "--as-of", "2019-12-05").output.split())
    assert status.index("前岗村") < status.index("东兴村"), status
