"""IDs of a column Excel stored as numbers and saved as text (a CSV, a copy as values): 15 digits, then
000. About one such number in eleven still has a fitting check character, so it passed as a valid ID:
in a survey it was another person's ID, in a roster it matched whoever has that ID (an outside try: a
低保 list saved from Excel took a woman of another household for its 秦珍红, and her household left
the candidates as 低保户). In a column where others show Excel's hand, those are Excel numbers too; a
true ID ending in 000 in a column without them stays valid."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from survey_builders import household, make_id, write_csv
from edgescreen.checks import valid_ids
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

import numpy as np


def _as_excel_saved(real: str) -> str:
    """The ID as a CSV saved from a number cell writes it: 15 significant digits, then 000."""
    return real[:15] + "000"


def _fits(ids: list[str]) -> np.ndarray:
    return valid_ids(np.array(ids, dtype=object))[0]


def test_a_column_of_excel_numbers_takes_the_fitting_ones_too(tmp_path):
    real = [make_id(f"19{60 + i:02d}0412", serial=100 + 7 * i) for i in range(40)]
    saved = [_as_excel_saved(i) for i in real]
    fitting = _fits(saved)
    assert 0 < fitting.sum() < len(saved)  # some of them pass the check as they are
    rows = [household(户主姓名=f"户{i}", 户主身份证号=s) for i, s in enumerate(saved)]
    # Another township typed its IDs as text: one of them truly ends in 000, which is no Excel number.
    true_000 = "220122196003059000"
    assert _fits([true_000]).all()
    others = [household(**{"乡(镇)": "烧锅镇"}, 户主姓名=f"乙{i}", 户主身份证号=make_id("19710203", serial=i))
              for i in range(30)] + [household(**{"乡(镇)": "烧锅镇"}, 户主姓名="丙", 户主身份证号=true_000)]
    # A third typed one cell as a number among forty: not the column's doing, its true 000 stays.
    mistyped = [household(**{"乡(镇)": "华家镇"}, 户主姓名=f"丁{i}", 户主身份证号=make_id("19720304", serial=i))
                for i in range(40)] + [household(**{"乡(镇)": "华家镇"}, 户主姓名="戊", 户主身份证号="2.20122197203E+17"),
                                       household(**{"乡(镇)": "华家镇"}, 户主姓名="己", 户主身份证号="220122196303051000")]
    # A fourth kept its numbers as numbers (2.2E+17, one row in five): its text IDs were never numbers.
    as_numbers = [household(**{"乡(镇)": "双营子乡"}, 户主姓名=f"庚{i}", 户主身份证号=make_id("19730405", serial=i))
                  for i in range(16)] + [household(**{"乡(镇)": "双营子乡"}, 户主姓名=f"辛{i}", 户主身份证号="2.20122197304E+17")
                                         for i in range(4)] \
        + [household(**{"乡(镇)": "双营子乡"}, 户主姓名="壬", 户主身份证号="220122196403052000")]
    files = [write_csv(tmp_path / "合隆镇.csv", rows), write_csv(tmp_path / "烧锅镇.csv", others),
             write_csv(tmp_path / "华家镇.csv", mistyped), write_csv(tmp_path / "双营子乡.csv", as_numbers)]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", *map(str, files), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.output
    issues = read_issues(out / "issues.csv")
    ids = issues[issues["code"].isin(["id_malformed", "id_checksum"])]
    hulong = ids[ids["source_file"] == "合隆镇.csv"]
    assert len(hulong) == 40 and set(hulong["code"]) == {"id_malformed"}, hulong[["row", "code"]]
    said = hulong[hulong["value"].isin(np.array(saved)[fitting])]["message"]
    assert len(said) == fitting.sum()
    assert all("以 000 结尾" in m and "Excel" in m for m in said), said.tolist()
    ledger = read_ledger(out / "decisions.csv")
    assert (ledger.loc[ledger["source_file"] == "合隆镇.csv", "status"] == "invalid").all()
    assert set(ids.loc[ids["source_file"] == "烧锅镇.csv", "row"]) == set()
    assert list(ids.loc[ids["source_file"] == "华家镇.csv", "value"]) == ["2.20122197203E+17"]
    assert set(ids.loc[ids["source_file"] == "双营子乡.csv", "value"]) == {"2.20122197304E+17"}


def _roster(path, rows):
    with open(path, "w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["序号", "姓名", "身份证号码", "保障状态"])
        writer.writerows([[i + 1, name, number, "正常"] for i, (name, number) in enumerate(rows)])
    return path


def test_a_roster_saved_from_excel_numbers_matches_no_one_by_a_fitting_number(tmp_path):
    # 秦珍红's ID saved from a number cell is, by chance, the ID of 阎春丽, head of another household.
    qin = make_id("19791109", serial=119)
    assert _fits([_as_excel_saved(qin)]).all()
    yan = _as_excel_saved(qin)
    he = make_id("19751206", serial=605)
    rows = [household(户主姓名="阎春丽", 户主身份证号=yan), household(户主姓名="何庆", 户主身份证号=he)]
    survey = write_csv(tmp_path / "合隆镇.csv", rows)
    # A short list: its two numbers both end in 000, whether their check characters fit or not.
    # A third row kept as text, its ID valid: a 低保 roster with no valid ID at all is refused
    # (test_roster_leads_ids); this one is read, its two numbers matching no one.
    dibao = _roster(tmp_path / "低保_数字.csv", [("秦珍红", _as_excel_saved(qin)), ("何庆", _as_excel_saved(he)),
                                                 ("王五", make_id("19600101", serial=777))])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", "2020-06-30",
                                      "--roster", f"低保={dibao}"])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["阎春丽", "status"] == "candidate", ledger[["status", "reasons"]]
    flat = " ".join(result.output.split())
    assert "低保_数字.csv" in flat and "2 行的身份证号无效" in flat and "存成了数字" in flat, result.output
