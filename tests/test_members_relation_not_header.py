"""A 家庭成员 sheet's 与户主关系 says 户主 on each household's head row, and 户主 is 户主姓名's alias: every
head row was taken for a header printed again part-way down and searched as one, each row its own
search (an outside try: 300,000 households, 1,016,919 members, 169–222 s in the read, 60 % of it
there). A header repeated part-way down names two fields at least: only such a row is searched, and
a real one, the page's header again or the next village's table in another column order, is still
found."""

from __future__ import annotations

from test_rosters import run, write_sheets, write_survey
from survey_builders import household, make_id
from edgescreen import read

# The try's members sheet; below, the next village's table with its columns in another order.
HEADER = ["序号", "乡(镇)", "行政村", "户编号", "户主姓名", "姓名", "与户主关系", "身份证号", "是否常住"]
OTHER_ORDER = ["序号", "姓名", "身份证号", "与户主关系", "户编号", "户主姓名", "乡(镇)", "行政村", "是否常住"]
HOUSEHOLDS = 1200
PAGE_TWO, NEXT_VILLAGE = 400, 800  # the households whose rows follow the header printed again, the other order


def test_head_rows_are_not_searched_as_headers_and_real_headers_below_are_found(tmp_path, monkeypatch):
    households = [household(户主姓名=f"户{i}", 户主身份证号=make_id(f"19{50 + i // 100}0101", serial=i % 100),
                            户编号=f"{i:05d}", 家庭人口数=2, 家庭常住人口数=2) for i in range(HOUSEHOLDS)]
    rows, header_rows, layout = [], [], HEADER
    for i, hh in enumerate(households):
        if i in (PAGE_TWO, NEXT_VILLAGE):
            layout = OTHER_ORDER if i == NEXT_VILLAGE else HEADER
            rows.append(layout)
            header_rows.append(len(rows) + 1)  # Excel row: the sheet's header is row 1
        spouse = make_id(f"19{50 + i // 100}0202", serial=i % 100)
        for name, relation, person_id in ((hh["户主姓名"], "户主", hh["户主身份证号"]), (f"{hh['户主姓名']}妻", "配偶", spouse)):
            cells = {"序号": len(rows), "乡(镇)": hh["乡(镇)"], "行政村": hh["行政村"], "户编号": hh["户编号"],
                     "户主姓名": hh["户主姓名"], "姓名": name, "与户主关系": relation, "身份证号": person_id, "是否常住": "是"}
            rows.append([cells[h] for h in layout])
    survey = write_survey(tmp_path / "县.xlsx", households, None)
    members = write_sheets(tmp_path / "家庭成员.xlsx", {"家庭成员": (HEADER, rows)})
    searched = []
    real = read._header_at
    monkeypatch.setattr(read, "_header_at", lambda grid, r, *a: searched.append(r + 1) or real(grid, r, *a))

    result = run("check", survey, members, "-o", tmp_path / "report")

    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    # The header printed again is no member; the table below it is read by its own columns.
    assert "工作表「家庭成员」:是家庭成员表,表头在第 1 行,读入 1,600 人" in said, said
    assert f"工作表「家庭成员」:是家庭成员表,表头在第 {header_rows[1]} 行,读入 800 人" in said, said
    assert "家庭成员 2,400 人,其中 2,400 人找到了所属农户" in said, said
    assert "没有发现数据问题" in said, said
    # Searched: the two rows that hold a header, not the 1,200 heads' rows.
    assert searched == header_rows, (len(searched), searched[:5])
