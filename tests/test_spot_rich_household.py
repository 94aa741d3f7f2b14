"""A household the survey recorded above the per-capita ceiling (a wage of 600,000 yuan for 3), found so
at the visit: the household's state confirmed, not a slip of the verifier's pen. An outside try's county
of 100,000 had three such households in its sample, and backcheck refused every form of the county for
them. Above the ceiling where the survey was not, it is still refused as a slip."""

from __future__ import annotations

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey


def _county(tmp_path, rich_recorded: int, rich_found: int):
    rows = [candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙", 工资性收入=rich_recorded)] \
        + [above("前岗村", "乙")]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "3", "--listed-rate", "1",
        "--unlisted-rate", "1")
    pages = {}
    for r in sample_rows(tmp_path / "抽查"):
        wage = 10000 if r["户主姓名"].startswith("候") else 30000
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = same_as_recorded(wage_income=wage)
    for r in sample_rows(tmp_path / "抽查"):  # the rich one: the first above, as the survey's order has it
        if r["户主姓名"].startswith("高"):
            rich = r
            break
    pages[rich["核查表"]][int(rich["核查序号"])] = same_as_recorded(wage_income=rich_found)
    (tmp_path / "填好").mkdir()
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])


def test_a_rich_household_confirmed_at_the_visit_is_compared(tmp_path):
    _county(tmp_path, 600000, 600000)
    done = run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果")
    said = "".join(done.output.split())
    assert done.exit_code == 0 and "人均纯收入不合理" not in said and "漏评率:0.0%" in said, said


def test_a_ceiling_passed_only_on_the_form_is_still_a_slip(tmp_path):
    _county(tmp_path, 30000, 600000)  # recorded 10,000 a head; 200,000 on the form alone
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果",
                       code=2).output.split())
    assert "人均纯收入不合理" in said and not (tmp_path / "核查结果").exists(), said
