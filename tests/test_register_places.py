"""A round is the county's survey: another county's survey, or a township of the latest round's year left
out, is refused before anything is recorded (outside try, interruptions and hostile file systems)."""

from __future__ import annotations

from field_builders import households
from field_checks import folded, invoke
from survey_builders import write_workbook


def _survey(path, county: str, towns: list[str], first: int = 1):
    rows = []
    for i, town in enumerate(towns):
        rows += households(4, first_serial=first + 10 * i, **{"乡(镇)": town, "县(市、区)": county})
    return write_workbook(path, rows, more=["县(市、区)"])


def _screen(survey, out, register, date, *extra):
    return invoke("screen", survey, "-o", out, "--register", register, "--date", date, "--as-of", "2019-12-20",
                  *extra)


def test_another_countys_survey_is_refused_naming_both(tmp_path):
    register = tmp_path / "德惠市.db"
    assert _screen(_survey(tmp_path / "德惠.xlsx", "德惠市", ["米沙子镇"]), tmp_path / "a", register,
                   "2019-12-20").exit_code == 0
    before = register.read_bytes()
    done = _screen(_survey(tmp_path / "农安.xlsx", "农安县", ["合隆镇"], first=50), tmp_path / "b", register,
                   "2020-12-20", "--year", "2020")
    said = folded(done.output)
    assert done.exit_code == 2 and "登记簿是德惠市的,这份调查表是农安县的,没有记入" in said, said
    assert register.read_bytes() == before and not (tmp_path / "b").exists()


def test_a_township_of_the_years_round_left_out_is_refused_unless_said(tmp_path):
    register = tmp_path / "农安县.db"
    assert _screen(_survey(tmp_path / "全县.xlsx", "农安县", ["合隆镇", "烧锅镇"]), tmp_path / "a", register,
                   "2019-12-20").exit_code == 0
    alone = _survey(tmp_path / "合隆镇.xlsx", "农安县", ["合隆镇"], first=70)
    done = _screen(alone, tmp_path / "b", register, "2019-12-21")
    said = folded(done.output)
    assert done.exit_code == 2 and "这次的调查表里没有:烧锅镇" in said and "--leave-unfinished" in said, said
    assert _screen(alone, tmp_path / "c", register, "2019-12-21", "--leave-unfinished").exit_code == 0
    # Another year's survey may lack a township: its households are the 未调查 track's.
    later = _survey(tmp_path / "2020.xlsx", "农安县", ["合隆镇"], first=70)
    assert _screen(later, tmp_path / "d", register, "2020-12-20", "--year", "2020").exit_code == 0


def test_of_two_runs_making_one_register_at_once_only_the_first_says_it_made_it(tmp_path):
    """Two clerks' runs each found no register and made it; the one whose round went second also said
    新建登记簿. "Made" is now told under the lock: no round in the register when this run recorded."""
    import datetime as dt

    from edgescreen import screen
    from edgescreen.register.rounds import RoundTarget

    register = tmp_path / "农安县.db"
    first = screen([_survey(tmp_path / "一.xlsx", "农安县", ["合隆镇"])], as_of=dt.date(2019, 12, 20))
    second = screen([_survey(tmp_path / "二.xlsx", "农安县", ["合隆镇"], first=5)], as_of=dt.date(2019, 12, 20))
    day = dt.date(2019, 12, 20)
    targets = [RoundTarget(register, day), RoundTarget(register, day)]  # both before either recorded
    said = []
    for target, result in zip(targets, (first, second)):
        try:
            with target.recording(result) as recorded:
                said.append(recorded.created)
        finally:
            target.close()
    assert said == [True, False]
