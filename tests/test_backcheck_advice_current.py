"""The city's spot check (an outside try, BI: 德惠市) found backcheck's 处理建议 wrong in two ways.

A register that moved on: the sample was drawn from round 1 (2019), the 2020 survey recorded since as
round 2. backcheck rightly compares with round 1, but advised for the 2019 漏评 `screen … --register`
(a new round: a 2019-income round after the 2020 one) and `register next`. The advice now says the
register holds a later round and what the clerk does in it.

A follow-up sample: 1 错评 among 9 candidates of a township (and of its village) gave
`--only 达家沟镇 --only 达家沟镇-胜利村` (the village inside the township) and `--margin 0.02` over both
strata: 522 of 635 households for one 错评, the township's 漏评 0 %. The follow-up now names each place
once, draws the side of the rate marked (错评: the candidates), and says how many it will draw."""

from __future__ import annotations

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey


def _flat(text: str) -> str:
    return "".join(text.split())


def _fill_back(sample, out, found: dict[str, dict]) -> None:
    """Every page as recorded (candidates wage 10,000, the others 30,000), the heads in `found` as found."""
    pages: dict[str, dict[int, dict]] = {}
    for r in sample_rows(sample):
        values = same_as_recorded(wage_income=10000 if r["抽样层"] == "候选户" else 30000)
        values.update(found.get(r["户主姓名"], {}))
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    out.mkdir()
    for form, values in pages.items():
        fill(sample / form, values, save_as=out / form.split("/")[-1])


def test_omissions_of_a_year_the_register_has_moved_on_from_are_seen_to_in_the_current_round(tmp_path):
    """Round 1 (2019) drawn whole; 漏评甲 and 漏评乙 found in the band (漏评). The 2020 survey, recorded
    as round 2, lists 漏评甲 and not 漏评乙: the advice says round 2 is there, not to register 2019 again,
    that one of them is already on round 2's list and the other is to be verified and corrected in 2020."""
    db = tmp_path / "德惠市.db"
    heads = {n: above("前岗村", "乙", 户主姓名=n) for n in ("漏评甲", "漏评乙")}
    rows_2019 = ([candidate("前岗村", "甲") for _ in range(3)] + list(heads.values())
                 + [above("前岗村", "乙") for _ in range(4)])
    run("screen", write_survey(tmp_path / "德惠市2019.xlsx", {"合隆镇": rows_2019}), "-o", tmp_path / "筛查",
        "--register", db, "--date", "2019-12-02", "--as-of", "2019-12-31")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "1", "--unlisted-rate", "1")
    # 2020: the same households; 漏评甲's survey now puts it in the band, 漏评乙's still above.
    rows_2020 = [{**r} for r in rows_2019]
    rows_2020[3] = {**rows_2020[3], "工资性收入": 10000, "家庭总收入": 10000}
    run("screen", write_survey(tmp_path / "德惠市2020.xlsx", {"合隆镇": rows_2020}), "--year", "2020",
        "-o", tmp_path / "筛查2020", "--register", db, "--date", "2020-12-02", "--as-of", "2020-12-31",
        "--leave-unfinished")

    _fill_back(tmp_path / "抽查", tmp_path / "填好", {"漏评甲": {"wage_income": 10000},
                                                      "漏评乙": {"wage_income": 10000}})
    out = tmp_path / "核查结果"
    said = _flat(run("backcheck", db, tmp_path / "填好", "-o", out).output)
    steps = said[said.index("处理建议"):]
    assert "漏评2户" in steps, said
    assert "登记簿已有2020年度的第2轮:这些漏评户请在本年度(第2轮)核实,不要再按2019年度登记" in steps, said
    assert "其中1户第2轮已列为候选户" in steps, said
    assert f"--year2020--register{db}" in steps, said
    # Nothing that would add a 2019 round after the 2020 one, nor print round 1's documents.
    assert "登记为新的一轮" not in steps and "registernext" not in steps, said
    summary = {r[0]: r[1] for r in __import__("openpyxl").load_workbook(out / "backcheck.xlsx")["汇总"]
               .iter_rows(values_only=True) if r[0]}
    assert "不要再按 2019 年度登记" in summary["处理建议"], summary
    assert "不要再按 2019 年度登记" in (out / "report.html").read_text(encoding="utf-8")


def test_a_register_still_on_the_round_checked_keeps_its_advice(tmp_path):
    """No later round: the omission is screened again as a new round, as the register advises (guard)."""
    db = tmp_path / "农安县.db"
    rows = [candidate("前岗村", "甲") for _ in range(3)] + [above("前岗村", "乙", 户主姓名="漏评户")] \
        + [above("前岗村", "乙") for _ in range(4)]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查",
        "--register", db, "--date", "2019-12-02", "--as-of", "2019-12-31")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "1", "--unlisted-rate", "1")
    _fill_back(tmp_path / "抽查", tmp_path / "填好", {"漏评户": {"wage_income": 10000}})
    said = _flat(run("backcheck", db, tmp_path / "填好", "-o", tmp_path / "核查结果").output)
    assert "登记为新的一轮" in said and "登记簿已有" not in said, said


def _follow_up_command(said: str) -> str:
    start = said.index("edgescreensample")
    return said[start:said.index("-o抽查-补充/", start)]


def test_a_follow_up_for_one_wrongly_listed_names_the_township_once_and_draws_its_candidates(tmp_path):
    """合隆镇: 前岗村 10 candidates and 20 above, 东兴村 6 and 20; half the candidates drawn (5 + 3 = 8,
    under the 10 a firm mark needs), a fifth of the others. One 错评 in 前岗村: 合隆镇 and 前岗村 are
    both 超过(样本太少) for 错评 alone. The follow-up names 合隆镇 alone (前岗村 is in it), draws its 16
    candidates and none of its others, and says so — and `sample` run as advised draws just that."""
    rows = ([candidate("前岗村", "甲", 户主姓名=f"前候{i}") for i in range(10)]
            + [above("前岗村", "乙") for _ in range(20)]
            + [candidate("东兴村", "丙", 户主姓名=f"东候{i}") for i in range(6)]
            + [above("东兴村", "丁") for _ in range(20)])
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "0.5",
        "--unlisted-rate", "0.2")
    drawn = [r["户主姓名"] for r in sample_rows(tmp_path / "抽查") if r["户主姓名"].startswith("前候")]
    _fill_back(tmp_path / "抽查", tmp_path / "填好", {drawn[0]: {"wage_income": 30000}})
    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果").output)
    steps = said[said.index("处理建议"):]
    assert "不能确定:合隆镇(错评12.5%)、合隆镇前岗村(错评20.0%)" in steps, said
    command = _follow_up_command(steps)
    assert command.count("--only") == 1 and "--only合隆镇" in command, command
    assert "--listed-rate1" in command and "--unlisted-rate0" in command and "--margin" not in command, command
    assert "抽16户(候选户16户、非候选户0户):edgescreensample" in steps, said

    # The command as advised draws what it says.
    drew = _flat(run("sample", tmp_path / "筛查", "--only", "合隆镇", "--listed-rate", "1", "--unlisted-rate", "0",
                     "-o", tmp_path / "抽查-补充").output)
    assert "已抽取16户(候选户16户,非候选户0户)" in drew, drew
    # No side drawn by its rate is no county that listed every household.
    assert "按--unlisted-rate0不抽非候选户" in drew and "本县每一户都列入了名单" not in drew, drew
