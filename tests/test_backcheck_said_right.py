"""Outside tester's county (try AX): what the spot check's results say.

1. 逐户比对's 比对结论 read 「一致」 for households whose fields clearly differed (a wage typed ×10, the status
   unchanged above the limit): a city official takes 一致 as confirmed. It says both now: 认定一致,各项相符 /
   认定一致,N 项不符.
2. 富强村 错评 6 of 7 (47.9 %–97.5 %) was marked 超过(样本太少): the rule that keeps one household in error among
   few from a firm verdict (estimate.FIRM_MIN_HOUSEHOLDS) held it back. Two households in error or more are
   确定超过 when the interval is wholly above; one among fewer than 10 is still 超过(样本太少).
3. The 筛查 folder overwritten by next year's screen was refused naming 「decisions.csv」, the file name every
   screen writes: it says the income years (or the households) that differ, and that the register works.
4. A head's name rewritten in its identity cell (「后春梅(已故,现户主刘桂兰)」) was refused without saying
   what to do: it says to write the change in 情况说明.
5. 核查人 「同上」 was shown as a name: it is the verifier of the page above, refused where none is above.
   「无」 in an amount is 0, as the README says of the survey's cells.
"""

from __future__ import annotations

import shutil

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import (above, candidate, draw, fill, fill_all, run, same_as_recorded,
                                sample_rows, screened_and_drawn, write_survey)


def _said(result) -> str:
    return " ".join(result.output.split())


def _households(folder) -> list[dict]:
    """逐户比对 of backcheck.xlsx, a dict per household by its headers."""
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(folder / "backcheck.xlsx")["逐户比对"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if "比对结论" in r)
    return [dict(zip(rows[at], r)) for r in rows[at + 1:] if r[rows[at].index("户主姓名")]]


def _marks(folder, sheet: str, name_column: str) -> dict[str, str]:
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(folder / "backcheck.xlsx")[sheet].iter_rows()]
    at = next(i for i, r in enumerate(rows) if "错评标记" in r)
    name, mark = rows[at].index(name_column), rows[at].index("错评标记")
    return {r[name]: r[mark] or "" for r in rows[at + 1:] if r[name]}


def test_the_same_status_says_whether_its_fields_agree(tmp_path):
    """small_county, every candidate drawn: 东兴村's first household above the limit has its wage found ten
    times (300,000: above the limit still, the status unchanged), its second a business income too: they
    read 认定一致,1 项不符 and 认定一致,2 项不符; a household found as recorded, 认定一致,各项相符."""
    screened_and_drawn(tmp_path, unlisted_rate="1")
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收",
                     {("东兴村", "非候选户", 1): {"wage_income": 300000},
                      ("东兴村", "非候选户", 2): {"wage_income": 300000, "business_income": 5000}})
    run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果")
    found = {(h["行政村"], h["抽样层"], h["核查序号"]): h for h in _households(tmp_path / "核查结果")}
    others = sorted((k for k in found if k[:2] == ("东兴村", "非候选户")), key=lambda k: k[2])
    first, second = found[others[0]], found[others[1]]
    assert first["登记认定"] == first["核实认定"] == "达到收入上限,不符合", first
    assert (first["比对结论"], first["不符项"]) == ("认定一致,1 项不符", 1), first
    assert (second["比对结论"], second["不符项"]) == ("认定一致,2 项不符", 2), second
    rest = {h["比对结论"] for k, h in found.items() if k not in others[:2]}
    assert rest == {"认定一致,各项相符"}, rest


def test_two_households_in_error_among_few_are_firm_one_is_not(tmp_path):
    """前岗村: 7 candidates (甲), 6 found above the limit: 6 of 7, the interval wholly above 2 %, over fewer than
    10 households but not resting on one: 确定超过 (it was 超过(样本太少)). 东兴村: 1 of its 2 candidates (丙)
    found above: 超过(样本太少), as before — the rule's protection kept."""
    rows = ([candidate("前岗村", "甲") for _ in range(7)] + [above("前岗村", "乙") for _ in range(4)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    wrong = {("前岗村", "候选户", n): {"wage_income": 30000} for n in range(1, 7)}
    wrong[("东兴村", "候选户", 1)] = {"wage_income": 30000}
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收", wrong)
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果").output
    out = tmp_path / "核查结果"
    villages = _marks(out, "分村", "行政村")
    assert villages["前岗村"] == "确定超过", villages
    assert villages["东兴村"] == "超过(样本太少)", villages
    enumerators = _marks(out, "分填表人", "填表人")
    assert (enumerators["甲"], enumerators["丙"]) == ("确定超过", "超过(样本太少)"), enumerators
    assert "其中标“确定超过”的 1 个、标“超过(样本太少)”的 1 个" in said, said
    summary = "\n".join(str(c.value) for row in openpyxl.load_workbook(out / "backcheck.xlsx")["汇总"].iter_rows()
                        for c in row if c.value is not None)
    assert "除非有错的户不止一户" in summary, summary


def test_a_ledger_overwritten_by_next_years_screen_says_what_differs_and_that_the_register_works(tmp_path):
    """2019 screened into 筛查 and recorded in 农安县.db, sampled and filled in; then 2020 screened into the same
    筛查 (--force), recorded too. backcheck 筛查 is refused saying the years (2019 drawn, 2020 now) and naming
    the register; backcheck 农安县.db compares the forms with the 2019 round."""
    rows = [candidate("前岗村", "甲") for _ in range(3)] + [above("前岗村", "乙") for _ in range(4)]
    (tmp_path / "2019").mkdir()
    (tmp_path / "2020").mkdir()
    s2019 = write_survey(tmp_path / "2019" / "农安县.xlsx", {"合隆镇": rows})
    s2020 = write_survey(tmp_path / "2020" / "农安县.xlsx", {"合隆镇": rows})
    db = tmp_path / "农安县.db"
    run("screen", s2019, "-o", tmp_path / "筛查", "--register", db, "--date", "2019-12-02")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "1")
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")
    run("screen", s2020, "--year", "2020", "-o", tmp_path / "筛查", "--register", db, "--date", "2020-12-01",
        "--force")

    said = _said(run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果", code=2))
    assert "这批核查表不是从它抽出的" in said, said
    assert "抽样时的台账是 decisions.csv" not in said, said
    assert "2019 年度收入" in said and "2020 年度收入" in said, said
    assert "农安县.db" in said and "给出登记簿文件也可以" in said, said
    assert not (tmp_path / "核查结果").exists()

    run("backcheck", db, *forms, "-o", tmp_path / "核查结果")
    assert (tmp_path / "核查结果" / "backcheck.xlsx").exists()


def test_a_ledger_now_holding_other_households_says_so(tmp_path):
    """The 筛查 folder overwritten by another county's screen of the same year: the households on the forms
    are not in it, said with their count; no register was used, so the register is offered as a maybe."""
    screened_and_drawn(tmp_path)
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")
    drawn = len(sample_rows(tmp_path / "抽查"))
    other = [candidate("新村", "戊") for _ in range(3)]
    run("screen", write_survey(tmp_path / "别县.xlsx", {"合隆镇": other}), "-o", tmp_path / "筛查", "--force")
    said = _said(run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果", code=2))
    assert f"核查表上的 {drawn} 户不在其中" in said, said
    assert "用 --register 记入了登记簿,给出登记簿文件也可以" in said, said


def test_a_head_rewritten_in_the_identity_cell_is_told_to_go_in_the_notes(tmp_path):
    """The tester's S8: 「后春梅(已故,现户主刘桂兰)」 over the printed head's name is refused, saying what to do;
    written in 情况说明 instead (S8b) it is compared and shown."""
    screened_and_drawn(tmp_path)
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")
    form = forms[0]
    first = next(r for r in sample_rows(tmp_path / "抽查") if r["核查表"].endswith(form.name) and r["核查序号"] == "1")
    rewritten = tmp_path / "改写" / form.name
    rewritten.parent.mkdir()
    fill(form, {}, identity={(1, "户主姓名"): f"{first['户主姓名']}(已故,现户主刘桂兰)"}, save_as=rewritten)
    said = _said(run("backcheck", tmp_path / "筛查", rewritten, *[f for f in forms if f != form],
                     "-o", tmp_path / "核查结果", code=2))
    assert "农户的身份信息不能改动" in said, said
    assert "情况说明" in said.split("农户的身份信息不能改动")[1], said

    fill(form, {1: {"verify_notes": "户主已故,现户主刘桂兰"}})
    run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果")
    notes = {h["户主姓名"]: h["情况说明"] for h in _households(tmp_path / "核查结果")}
    assert notes[first["户主姓名"]] == "户主已故,现户主刘桂兰"


def test_ditto_in_the_verifier_is_the_verifier_above_and_refused_where_none_is(tmp_path):
    """前岗村's form: page 1 verified by 李核查, page 2 「同上」, page 3 by 王核查, page 4 「同前」: 逐户比对 names
    李核查, 李核查, 王核查, 王核查 (the nearest above, not the sheet's first). 东兴村's form with 「同上」 on its first page is refused at that cell. An amount written 「无」 is
    0 (the README: a survey's 无 is 0 yuan), compared as such."""
    screened_and_drawn(tmp_path)
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")
    qg = next(f for f in forms if "前岗村" in f.name)
    dx = next(f for f in forms if "东兴村" in f.name)
    fill(qg, {1: {"verifier": "李核查", "business_income": "无"}, 2: {"verifier": "同上"}, 3: {"verifier": "王核查"},
              4: {"verifier": "同前"}})
    aside = tmp_path / "东兴村原样"
    aside.mkdir()
    shutil.copy(dx, aside / dx.name)
    fill(dx, {1: {"verifier": "同上"}})

    said = _said(run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果", code=2))
    cell = f"{dx.name} 「入户核查表」"
    assert cell in said and "「核查人」填的是「同上」" in said, said
    assert said.count("「核查人」填的是") == 1, said

    shutil.copy(aside / dx.name, dx)
    run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果")
    by_page = {(h["行政村"], h["核查序号"]): h for h in _households(tmp_path / "核查结果")}
    assert [by_page[("前岗村", n)]["核查人"] for n in (1, 2, 3, 4)] == ["李核查", "李核查", "王核查", "王核查"], by_page
    assert by_page[("前岗村", 5)]["核查人"] == same_as_recorded()["verifier"]
    assert by_page[("前岗村", 1)]["比对结论"] == "认定一致,各项相符"
