"""An outside try (a county of 300 villages, three years): `register next` said a line per village held
back (the 民主评议 dated after --date, a 公示 period not over), hundreds of lines; now a line per reason
alike (the same step and day), naming the first villages in the county's order and how many in all, a
reason on one village as it read. And `register history` said a round in which the household was not
surveyed after the later surveyed ones (1, 3, then 2); now the rounds read in their order.

End to end through the CLI, on registers built here."""

from __future__ import annotations

from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from years_builders import register_everyone, run, survey

# Seven villages in the survey's (the county's) order, which is not the names' sorted order: 青山村 is
# the county's first, 前岗村 sorts first.
VILLAGES = [("合隆镇", "青山村"), ("合隆镇", "前岗村"), ("合隆镇", "东兴村"), ("合隆镇", "长丰村"),
            ("烧锅镇", "三宝村"), ("烧锅镇", "二道村"), ("烧锅镇", "北岭村")]
PLACES = [f"{t}{v}" for t, v in VILLAGES]
# The 民主评议 met on three days: the first four villages on 11-25, two on 11-27, the last on 11-28.
MET = dict(zip(PLACES, ["2019-11-25"] * 4 + ["2019-11-27"] * 2 + ["2019-11-28"]))


def said(result) -> str:
    return " ".join(result.output.split())


def held_lines(result) -> list[str]:
    """The lines of `register next` about villages held back (暂不发出), each unwrapped."""
    lines: list[str] = []
    for line in result.output.splitlines():
        if line.startswith("  ") and lines:
            lines[-1] += line.strip()
        else:
            lines.append(line.strip())
    return [line for line in lines if "暂不发出" in line or "not issued yet" in line]


def county(tmp_path):
    rows = [household(**{"乡(镇)": t, "行政村": v, "户主姓名": f"户{i}", "户主身份证号": make_id(serial=300 + i)})
            for i, (t, v) in enumerate(VILLAGES)]
    db = tmp_path / "农安县.db"
    run("screen", write_workbook(tmp_path / "农安县.xlsx", rows), "-o", tmp_path / "out", "--register", db,
        "--date", "2019-11-20")
    return db


def place_of(path) -> str:
    township, village = path.stem.split("-")[:2]
    return township + village


def test_villages_held_back_alike_are_one_line_in_the_countys_order(tmp_path):
    db = county(tmp_path)
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "review")
    reviews = sorted((tmp_path / "review" / "1-民主评议").glob("*.xlsx"))
    assert len(reviews) == 7
    for doc in reviews:
        fill(doc, default=("同意", ""), form=meeting(MET[place_of(doc)]))
    run("register", "record", db, *reviews)

    # On 11-24 no meeting has come: three reasons (three days), a line each, the first due first.
    result = run("register", "next", db, "--date", "2019-11-24", "-o", tmp_path / "early")
    lines = held_lines(result)
    assert lines == [
        "合隆镇青山村、合隆镇前岗村、合隆镇东兴村等 4 个村:「民主评议」的日期 2019-11-25 晚于 --date,「入户核实」暂不发出",
        "烧锅镇三宝村、烧锅镇二道村:「民主评议」的日期 2019-11-27 晚于 --date,「入户核实」暂不发出",
        # One village: its line as it read before.
        "烧锅镇北岭村:「民主评议」的日期 2019-11-28 晚于 --date,「入户核实」暂不发出",
    ], result.output
    assert "合隆镇长丰村" not in result.output  # the fourth of its line is counted, not named

    # On 11-27 (a meeting's day is no period: its 入户核实 may begin on it) only 北岭村 waits, said alone.
    result = run("register", "next", db, "--date", "2019-11-27", "-o", tmp_path / "verify")
    assert held_lines(result) == ["烧锅镇北岭村:「民主评议」的日期 2019-11-28 晚于 --date,「入户核实」暂不发出"], \
        result.output
    verifies = sorted((tmp_path / "verify" / "2-入户核实").glob("*.xlsx"))
    run("register", "next", db, "--date", "2019-11-28", "-o", tmp_path / "verify2")
    verifies += sorted((tmp_path / "verify2" / "2-入户核实").glob("*.xlsx"))
    assert len(verifies) == 7
    for doc in verifies:
        fill(doc, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-29"})
    run("register", "record", db, *verifies)
    run("register", "next", db, "--date", "2019-11-30", "-o", tmp_path / "publicity")
    posted = sorted((tmp_path / "publicity" / "3-第一次公示").glob("*.xlsx"))
    assert len(posted) == 7
    run("register", "record", db, *posted)  # as printed: no objection, its period 11-30 to 12-06

    # Inside the period: the seven villages one line, the first three named in the county's order.
    result = run("register", "next", db, "--date", "2019-12-03", "-o", tmp_path / "inside")
    assert held_lines(result) == [
        "合隆镇青山村、合隆镇前岗村、合隆镇东兴村等 7 个村:「第一次公示」的公示期到 2019-12-06 结束,"
        "「乡镇审核」须在其后开始,暂不发出"], result.output
    for place in PLACES[3:]:
        assert place not in result.output, result.output
    assert "没有到期要发出的文书" in said(result)
    english = run("register", "next", db, "--date", "2019-12-03", "-o", tmp_path / "inside-en", "--lang", "en")
    assert held_lines(english) == [
        "合隆镇青山村, 合隆镇前岗村, 合隆镇东兴村 (7 villages in all): the first publicity period ends on "
        "2019-12-06; township review begins after it and is not issued yet"], english.output


def test_history_reads_the_rounds_in_their_order_the_one_not_surveyed_among_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ids = {k: make_id(birth=f"19{60 + m}0404", serial=710 + m) for m, k in enumerate("AB", start=1)}
    village = {"乡(镇)": "合隆镇", "行政村": "前岗村"}

    def person(key: str, **over) -> dict:
        return {**village, "户主姓名": f"户{key}", "户主身份证号": ids[key], "户编号": f"HB{key}", **over}

    db = register_everyone(tmp_path, [person("A"), person("B")])
    # 2020: 户B not in the survey (本年未调查); 2021: surveyed again.
    run("screen", survey(tmp_path / "2020.xlsx", [person("A")]), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    run("screen", survey(tmp_path / "2021.xlsx", [person("A"), person("B")]), "--year", "2021", "-o",
        tmp_path / "out2021", "--register", db, "--date", "2021-11-20")
    output = run("register", "history", db, "--id", ids["B"]).output
    heads = [line for line in output.splitlines() if line.startswith("第 ")]
    assert [h.split("轮")[0] for h in heads] == ["第 1 ", "第 2 ", "第 3 "], output
    assert "本年未调查" in heads[1] and "2020年度" in heads[1], output
    # Each round with what belongs to it: the 2021 round's register decision right under its screening.
    lines = output.splitlines()
    third = lines.index(heads[2])
    assert "2021年度" in heads[2] and any("登记簿变动" in line for line in lines[third + 1:third + 3]), output
    # Before the events: the rounds first, then what was recorded.
    assert all(lines.index(h) < next(i for i, line in enumerate(lines) if "民主评议" in line) for h in heads), output
