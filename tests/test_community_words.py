"""A 社区's notices speak of its 居民委员会, not a 村委会. An outside try's 九台区 (奢岭街道's 青山社区 and
东湖社区) sealed its notices 青山社区居民委员会 but their sentences still said 「向村民委员会(村"两委")…
反映」, 「村委会联系人」, 「本村」: words a community's committee would correct by hand before posting. The
screen's notices, the 第一次公示, 第二次公示 and 退出公示 now say 居民委员会(社区"两委"), 居委会联系人,
本社区 for a 社区, and a village's the village's words, as before."""

from __future__ import annotations

import openpyxl

import test_register as walkthrough
from survey_builders import household, make_id, write_workbook
from years_builders import exit_publicity_form, register_everyone, run, survey

COMMUNITY_WORDS = ('本社区', '向居民委员会(社区"两委")或奢岭街道办事处反映', '社区"两委"将在调查核实后答复', "居委会联系人")
VILLAGE_WORDS = ('本村', '向村民委员会(村"两委")或', '村"两委"将在调查核实后答复', "村委会联系人")


def _sheet_text(path) -> str:
    """The notice sheet's words, the first sheet's, as posted."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _speaks_of_a_community(text: str) -> None:
    assert all(words in text for words in COMMUNITY_WORDS), text
    assert not any(words in text for words in ("本村", "村民委员会", "村委会", '村"两委"')), text


def _speaks_of_a_village(text: str) -> None:
    assert all(words in text for words in VILLAGE_WORDS), text
    assert not any(words in text for words in ("社区", "居民委员会", "居委会")), text


def test_the_screens_notices_of_a_community_name_its_residents_committee(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people = [("奢岭街道", "青山社区", "王一", 9800), ("奢岭街道", "青山社区", "李二", 60000),
              ("奢岭街道", "东湖社区", "张三", 60000), ("合隆镇", "前岗村", "赵四", 9900)]
    rows = [household(**{"乡(镇)": t, "行政村": v, "户主姓名": name, "户主身份证号": make_id(birth="19600110", serial=100 + i),
                         "工资性收入": wage}) for i, (t, v, name, wage) in enumerate(people)]
    source = write_workbook(tmp_path / "九台区.xlsx", rows)
    run("screen", source, "-o", tmp_path / "out", "--date", "2019-11-20", "--publicity-start", "2019-11-21")
    notices = tmp_path / "out" / "publicity"
    # 青山社区 lists 王一; 东湖社区 lists nobody (本社区没有…初选对象); 前岗村 keeps its village's words.
    listed = _sheet_text(notices / "奢岭街道-青山社区-公示.xlsx")
    _speaks_of_a_community(listed)
    assert "现将本社区贫困边缘户初选名单(共 1 户)予以公示" in listed and "青山社区居民委员会(盖章)" in listed, listed
    nobody = _sheet_text(notices / "奢岭街道-东湖社区-公示.xlsx")
    _speaks_of_a_community(nobody)
    assert "本社区没有贫困边缘户初选对象" in nobody, nobody
    # The supervision line is the 街道's, not 乡(镇)'s (an outside look); a 镇's keeps 乡(镇).
    assert "街道监督电话" in listed and "乡(镇)监督电话" not in listed, listed
    assert "乡(镇)监督电话" in _sheet_text(notices / "合隆镇-前岗村-公示.xlsx")
    _speaks_of_a_village(_sheet_text(notices / "合隆镇-前岗村-公示.xlsx"))


def test_the_registers_publicities_of_a_community_name_its_residents_committee_and_are_recorded(tmp_path):
    walk = walkthrough.Walk(tmp_path, places={"合隆镇": "奢岭街道办事处", "青山村": "青山社区"})
    walk.review()
    walk.verify()
    first = walk.publicity1(record=False)
    text = _sheet_text(walk.doc("publicity1", "青山社区"))
    _speaks_of_a_community(text)
    assert "现将本社区拟认定的贫困边缘户名单" in text, text
    village = _sheet_text(walk.doc("publicity1", "前岗村"))
    assert all(words in village for words in VILLAGE_WORDS) and "本社区" not in village, village
    assert "居民委员会" not in village and "居委会" not in village, village
    said = walk.record(*first).output
    assert "青山社区" in said, said
    walk.township_review()
    second = walk.publicity2(record=False)
    text = _sheet_text(walk.doc("publicity2", "青山社区"))
    _speaks_of_a_community(text)
    assert "第一次公示和奢岭街道办事处审核,现将本社区贫困边缘户名单" in text, text
    walk.record(*second)


def test_the_exit_publicity_of_a_community_names_its_residents_committee_and_is_recorded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    community = {"乡(镇)": "奢岭街道", "行政村": "青山社区", "户主姓名": "户B", "户主身份证号": make_id(birth="19620303", serial=692),
                 "户编号": "HB"}
    db = register_everyone(tmp_path, [community])
    run("screen", survey(tmp_path / "2020.xlsx", [{**community, "是否低保户": "是"}]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    notice = exit_publicity_form(db, tmp_path)
    text = _sheet_text(notice)
    assert all(words in text for words in COMMUNITY_WORDS[1:]), text  # its intro says 以下 1 户, no place
    assert not any(words in text for words in ("村民委员会", "村委会", '村"两委"')), text
    assert "青山社区居民委员会(盖章)" in text, text
    run("register", "record", db, notice)
