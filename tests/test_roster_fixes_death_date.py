"""公安's death date left the county office (an outside try): the fix list sent back to the village said
"配偶 陈成 在死亡人员名单上(死亡日期 2019.6.1)". Nothing of a roster but the match goes into what leaves the
county office (after-screening §1): the county's issues.csv and quality.xlsx keep the date, shown as the
day it is (2019-06-01, not as the export typed it); quality-villages/ says the match without it."""

from __future__ import annotations

import openpyxl
import pandas as pd

from survey_builders import household, make_id
from test_rosters import AS_OF, head, member, run, write_sheets, write_survey


def test_the_death_date_stays_in_the_countys_files_normalised_and_out_of_the_villages(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "新立村"}
    gu = household(**place, 户编号="001", 户主姓名="顾秀桂", 户主身份证号=make_id("19600101"))
    han = household(**place, 户编号="002", 户主姓名="韩勇成", 户主身份证号=make_id("19610101"))
    chen, jia = make_id("19580101"), make_id("19590101")
    members = [head(gu), member(gu, "陈成", "配偶", chen), member(gu, "顾子", "子女", make_id("19900101")),
               head(han), member(han, "贾珍忠", "配偶", jia), member(han, "韩子", "子女", make_id("19910101"))]
    survey = write_survey(tmp_path / "县.xlsx", [gu, han], members)
    roster = write_sheets(tmp_path / "死亡人员.xlsx", {"Sheet": (["姓名", "公民身份号码", "死亡日期", "注销原因"], [
        ["陈成", chen, "2019.6.1", "死亡"], ["贾珍忠", jia, "20190701", "病故"]])})
    out = tmp_path / "chk"
    result = run("check", survey, "-o", out, "--as-of", AS_OF, "--roster", f"死亡={roster}")
    assert result.exit_code in (0, 1), result.output

    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    said = " ".join(issues.loc[issues["code"] == "member_deceased", "说明"])
    assert "配偶 陈成 在死亡人员名单上(死亡日期 2019-06-01)" in said, said
    assert "配偶 贾珍忠 在死亡人员名单上(死亡日期 2019-07-01)" in said, said
    county = " ".join(c for ws in openpyxl.load_workbook(out / "quality.xlsx", read_only=True)
                      for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str))
    assert "死亡日期 2019-06-01" in county, county

    sent = " ".join(c for path in sorted((out / "quality-villages").glob("*.xlsx"))
                    for ws in openpyxl.load_workbook(path, read_only=True)
                    for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str))
    assert "配偶 陈成 在死亡人员名单上,仍计入家庭常住人口" in sent, sent
    assert "配偶 贾珍忠 在死亡人员名单上,仍计入家庭常住人口" in sent, sent
    assert "死亡日期" not in sent and "2019.6.1" not in sent and "2019-06-01" not in sent and "20190701" not in sent, sent
