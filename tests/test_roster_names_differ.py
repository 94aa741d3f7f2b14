"""A lead-only roster (车辆, 财政供养) listing a member's ID under another name (an outside tester's try:
田荣霞's ID under owner 王建国): said as the exclusion rosters say it (名单姓名与本表不同, in issues.csv and
quality.xlsx) and on the village's 核实清单 line, which before sent the village to question the member
over someone else's car without a word."""

from __future__ import annotations

import openpyxl
import pandas as pd

from survey_builders import household, make_id, write_csv_table
from test_rosters import AS_OF, head, issues, member, run, write_survey


def verify_lines(out, village: str) -> str:
    book = openpyxl.load_workbook(out / "villages" / f"{village}.xlsx")
    return " ".join(str(c.value) for row in book["核实清单"].iter_rows() for c in row if c.value)


def test_a_lead_only_roster_naming_the_id_otherwise_is_said_and_on_the_verify_line(tmp_path):
    a = household(户主姓名="邱华", 户编号="001", 户主身份证号=make_id("19660101"))
    b = household(户主姓名="陈丽", 户编号="002", 户主身份证号=make_id("19670101"))
    spouse_id, other_id = make_id("19671223"), make_id("19680101")
    members = [head(a), member(a, "田荣霞", "配偶", spouse_id), member(a, "邱子", "子", make_id("19950101")),
               head(b), member(b, "陈夫", "配偶", other_id), member(b, "陈子", "子", make_id("19960101"))]
    survey = write_survey(tmp_path / "县.xlsx", [a, b], members)
    for kind, header, rows in (
            ("车辆", ["号牌号码", "车辆类型", "机动车所有人", "身份证明号码"],
             [["吉AD0077", "小型越野客车", "王建国", spouse_id], ["吉AD0078", "小型轿车", "陈夫", other_id]]),
            ("财政供养", ["单位", "姓名", "身份证号"], [["县教育局", "王建国", spouse_id], ["县医院", "陈夫", other_id]])):
        roster = write_csv_table(tmp_path / f"{kind}.csv", header, rows)
        out = tmp_path / kind
        result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", "--roster", f"{kind}={roster}")
        assert result.exit_code == 0, result.output
        said = issues(out)
        said = said[said["code"] == "roster_name_mismatch"]
        # 邱华's household only: 陈夫 is listed under his own name.
        assert said["户主姓名"].tolist() == ["邱华"], kind
        message = said["说明"].iloc[0]
        assert "配偶 田荣霞" in message and "名单上登记的姓名与本表不同" in message and "王建国" not in message
        assert "列为疑点" in message, message
        book = pd.read_excel(out / "quality.xlsx", sheet_name=None, dtype=str, engine="calamine")
        assert any("名单姓名与本表不同" in " ".join(f.fillna("").astype(str).to_numpy().ravel()) for f in book.values())
        lines = verify_lines(out, "合隆镇-前岗村")
        assert lines.count("名单上登记的姓名与本表不同") == 1 and "王建国" not in lines, lines
