"""A measure form filled as township cadres fill it (an outside try: a county's 25 forms, 1,700
measures). Before:
- the words cadres write for a type (雨露计划, 临时救助, 医疗救助, 兜底, 医疗保障, 技术培训) were refused,
  though the catalogue's own notes name them, and one such row held back the whole batch;
- 产业扶持(合作社), the model written short, was refused;
- every row with a word not in the catalogue repeated all fifteen types of the drop-down;
- 5千 was refused where 0.5万 was read;
- a row copied and only its start date changed was recorded as a second measure without a word;
- a start written to the month only (2020.3, 2020年3月) was told to write year, month and day,
  never what to write when only the month is known;
- `register history` listed a household's measures in the order recorded, not the order begun."""
from __future__ import annotations

import pytest

from test_measures_returned import QIAN, flat, printed, query, registered_county
from test_years import IDS
from years_builders import MeasureForm, run

PERSON = {"帮扶责任人": "王干部"}


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "measures_cadre_words")


def test_the_words_cadres_write_for_a_type_are_read_as_it(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    written = {"雨露计划": ("户A", "子女职业教育补助"), "临时救助": ("户A", "临时救助金"),
               "医疗救助": ("户B", "大病医疗救助"), "医疗保障": ("户B", "大病保险"), "大病救助": ("户C", "住院救助"),
               "兜底": ("户C", "低保边缘救助"), "技术培训": ("户D", "玉米高产栽培技术培训"),
               "技能培训": ("户D", "电焊工培训"), "金融帮扶": ("户D", "扶贫小额贷款5万元")}
    for word, (head, content) in written.items():
        form.add(head, 帮扶类型=word, 帮扶内容=content, 开始日期="2020-01-06", **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx")))
    assert "合隆镇前岗村:4 户的 9 项措施已登记" in said, said
    assert "注意" not in said, said  # a word of the catalogue, read without a word
    held = dict(query(db, "SELECT content, type FROM measures"))
    assert held == {"子女职业教育补助": "education", "临时救助金": "social_security", "大病医疗救助": "health",
                    "大病保险": "health", "住院救助": "health", "低保边缘救助": "social_security",
                    "玉米高产栽培技术培训": "technical", "电焊工培训": "employment",
                    "扶贫小额贷款5万元": "microcredit"}, held  # 金融帮扶: an outside try at 30,000 households


def test_a_programme_written_for_its_type_is_read_as_it(registered, tmp_path):
    """庭院经济 (an outside try, 2021's forms) was refused with the whole drop-down and no type near it."""
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    written = {"庭院经济": ("户A", "庭院种植蔬菜"), "产业奖补": ("户B", "养牛奖补"),
               "以工代赈": ("户C", "村道修建务工"), "易地扶贫搬迁": ("户D", "搬迁安置")}
    for word, (head, content) in written.items():
        form.add(head, 帮扶类型=word, 帮扶内容=content, 开始日期="2020-01-06", **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx")))
    assert "合隆镇前岗村:4 户的 4 项措施已登记" in said, said
    assert dict(query(db, "SELECT content, type FROM measures")) == {
        "庭院种植蔬菜": "industry", "养牛奖补": "industry", "村道修建务工": "employment", "搬迁安置": "housing"}


def test_a_type_with_a_model_written_its_own_way_is_read_and_said(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    short = form.add("户A", 帮扶类型="产业扶持(合作社)", 帮扶内容="入社种植", 开始日期="2020-01-06", **PERSON)
    unknown = form.add("户B", 帮扶类型="产业扶持(龙头企业)", 帮扶内容="订单收购", 开始日期="2020-01-06", **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx")))
    assert query(db, "SELECT content, type, model FROM measures ORDER BY content") == [
        ("入社种植", "industry", "cooperative"), ("订单收购", "industry", None)]
    assert f"注意:帮扶类型「产业扶持(合作社)」不是下拉列表中的写法,按「产业扶持(合作社+贫困边缘户)」登记(第 {short} 行)" \
        in said, said
    assert f"帮扶类型「产业扶持(龙头企业)」不是下拉列表中的写法,按「产业扶持」登记(第 {unknown} 行)" in said, said


def test_a_word_still_unknown_names_the_nearest_types_and_the_drop_down_once(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    rows = [form.add(head, 帮扶类型=word, 帮扶内容="补助", 开始日期="2020-01-06", **PERSON)
            for head, word in (("户A", "发钱"), ("户B", "残疾人两项补贴"), ("户C", "光伏分红"), ("户D", "发钱"))]
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    col = form.letter("帮扶类型")
    allowed = "请从下拉列表中选:产业扶持(政府+贫困边缘户)、产业扶持(企业+贫困边缘户)、产业扶持(合作社+贫困边缘户)、产业扶持、" \
              "资产收益、技术指导、就业、公益岗位、小额信贷、教育、健康、住房、饮水、综合保障、社会帮扶"
    assert f"{col}{rows[0]}:序号 1(户A):帮扶类型填的是「发钱」,不是帮扶类型;{allowed}" in said, said
    assert said.count("产业扶持(政府+贫困边缘户)") == 1, said  # the fifteen types once in the file
    sheet = "请从下拉列表中选(可选的类型见「帮扶类型」工作表)"
    assert f"{col}{rows[1]}:序号 2(户B):帮扶类型填的是「残疾人两项补贴」,不是帮扶类型(最接近的是:综合保障);{sheet}" \
        in said, said
    assert f"{col}{rows[2]}:序号 3(户C):帮扶类型填的是「光伏分红」,不是帮扶类型(最接近的是:资产收益);{sheet}" in said, said
    assert f"{col}{rows[3]}:序号 4(户D):帮扶类型填的是「发钱」,不是帮扶类型;{sheet}" in said, said
    assert query(db, "SELECT count(*) FROM measures") == [(0,)]
    english = flat(run("register", "record", db, tmp_path / "前岗村.xlsx", "--lang", "en", code=2))
    assert "“残疾人两项补贴” is not a measure type (the nearest: social security); choose one from the drop-down" \
        in english, english


def amount_recorded(registered, tmp_path, written: str, measure: str = "公益岗位", content: str = "村保洁员") -> list:
    """户A's one measure with its 金额 `written`, recorded from the printed form: (content, amount_fen) as stored."""
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型=measure, 帮扶内容=content, 开始日期="2020-01-06", 金额=written, **PERSON)
    run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"))
    return query(db, "SELECT content, amount_fen FROM measures")


@pytest.mark.parametrize("written, fen", [("5千", 500000), ("5千元", 500000), ("1.5千", 150000)])
def test_an_amount_in_thousands_is_read_as_one_in_ten_thousands(registered, tmp_path, written, fen):
    assert amount_recorded(registered, tmp_path, written) == [("村保洁员", fen)]


def test_a_row_copied_with_only_its_start_changed_is_recorded_and_said(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    same = {"帮扶类型": "产业扶持", "帮扶内容": "发放肉牛养殖补贴", "金额": 5000, **PERSON}
    first = form.add("户A", **same, 开始日期="2020-02-10")
    second = form.add("户A", **same, 开始日期="2020-02-15")
    form.add("户B", **same, 开始日期="2020-02-10")  # another household's: not alike
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx")))
    assert query(db, "SELECT count(*) FROM measures") == [(3,)]
    assert "注意:下列各户的两行措施只有开始日期不同,像是同一项措施填了两次(复制行后只改了日期),已作为两项措施登记" in said, said
    assert f"序号 1(户A)第 {first} 行和第 {second} 行(2020-02-10、2020-02-15)" in said, said
    assert "序号 2(户B)第" not in said, said


@pytest.mark.parametrize("month", ["2020.3", "2020年3月", "2020-3"])
def test_a_start_to_the_month_only_is_refused_saying_what_to_write(registered, tmp_path, month):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    at = form.add("户A", 帮扶类型="教育", 帮扶内容="学前教育资助", 开始日期=month, **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    assert f"{form.letter('开始日期')}{at}:序号 1(户A):「开始日期」填的是「{month}」,只写到月:请写到日。" \
           "只知道月份的,按发放、签约等记录上的日子填,查不到的写该月1日(2020-03-01)" in said, said
    assert query(db, "SELECT count(*) FROM measures") == [(0,)]


def test_history_lists_a_households_measures_by_their_start(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    for start, kind, content in (("2020-02-01", "产业扶持", "入社养殖黑猪"), ("2020-01-15", "小额信贷", "扶贫小额信贷贴息"),
                                 ("2020-03-01", "住房", "D级危房翻建")):
        form.add("户A", 帮扶类型=kind, 帮扶内容=content, 开始日期=start, **PERSON)
    run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"))
    said = run("register", "history", db, "--id", IDS["A"]).output
    at = [said.index(content) for content in ("扶贫小额信贷贴息", "入社养殖黑猪", "D级危房翻建")]
    assert at == sorted(at), said
    assert "2020-01-15  帮扶措施 1 · 小额信贷:扶贫小额信贷贴息" in said, said
