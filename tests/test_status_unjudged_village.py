"""A village whose households the round could not decide (every 家庭常住人口数 left blank): an outside
try's `register status` called it 本轮没有初选户(已筛查,无须评议), and 进度.xlsx the same, hiding four
households 数据有误,待核实. Status says they await a corrected survey; a village with nobody in the
band keeps its words."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from years_builders import run, survey


def person(village: str, n: int, **over) -> dict:
    return {"乡(镇)": "合隆镇", "行政村": village, "户主姓名": f"{village[0]}户{n}",
            "户主身份证号": make_id(birth=f"196{n}0303", serial=700 + n), "户编号": f"{village[0]}{n}",
            "工资性收入": 9000, **over}


def test_a_village_whose_households_were_not_decided_is_not_said_to_need_nothing(tmp_path):
    rows = ([person("前岗村", n, 工资性收入=10500) for n in range(1, 4)]
            + [person("后岗村", n, 家庭常住人口数=None) for n in range(4, 8)]
            + [person("东兴村", n, 工资性收入=60000) for n in range(8, 10)])  # above the band: nobody to review
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "农安县.xlsx", rows), "-o", tmp_path / "out", "--register", db,
        "--date", "2019-11-20")
    said = "".join(run("register", "status", db, "--as-of", "2019-11-21", "-o", tmp_path / "进度.xlsx").output.split())
    assert "另有1个村本轮还没有初选户,只因有4户数据有误、尚未认定:合隆镇后岗村(4户)" in said, said
    assert "另有1个村本轮没有初选户(已筛查,无须评议):合隆镇东兴村" in said, said
    assert "无须评议):合隆镇东兴村另有" in said, said  # 后岗村 not among them
    notes = [v for ws in openpyxl.load_workbook(tmp_path / "进度.xlsx") for row in ws.iter_rows(values_only=True)
             for v in row if isinstance(v, str) and "尚未认定" in v]
    assert notes and "合隆镇后岗村(4 户)" in notes[0], notes
