"""Which figure of an enumeration a counting question asks for, on sentences of the seed articles."""
from __future__ import annotations

from qa.chinese import normalize
from qa.enumerations import asked_item, asked_measure, asked_phrase, figures, first_item, measured_item

LISTED = "园区入驻企业4978家,其中国家高新技术企业1669家,独角兽企业40家,上市企业160家;"


def item(question: str, sentence: str, chosen: str, unit: str) -> str | None:
    key = normalize(sentence)
    at = key.index(normalize(chosen))
    found = asked_item(question, key, (at, at + len(chosen)), unit)
    return sentence[found[0]:found[1]] if found else None


def test_the_asked_phrase_stands_beside_the_asking_word():
    assert asked_phrase("中关村特色产业园中有多少家上市企业?") == "上市企业"
    assert asked_phrase("培育的硬科技企业中有几家是上市企业?") == "上市企业"
    assert asked_phrase("經開區內國家知識產權優勢、示范企業有多少家?") == "经开区内国家知识产权优势、示范企业"
    assert asked_phrase("中关村在2009年成为了第一个什么?") == ""


def test_figures_are_found_in_the_unit_with_their_hedges():
    assert [LISTED[a:b] for a, b in figures(LISTED, "家")] == ["4978家", "1669家", "40家", "160家"]
    assert [s[a:b] for s in ["示范企业近50家，孵化器15家、约1.6万家"] for a, b in figures(s, "家")] == ["近50家", "15家", "约1.6万家"]


def test_the_figure_whose_label_names_what_is_counted_is_asked_for():
    assert item("中关村特色产业园中有多少家上市企业?", LISTED, "40家", "家") == "160家"
    assert item("中关村特色产业园中有多少家独角兽企业?", LISTED, "160家", "家") == "40家"
    sentence = "2024年经开区新增北京市知识产权优势单位28家、知识产权试点单位57家。"
    assert item("2024年经开区新增了多少家北京市知识产权试点单位?", sentence, "28家", "家") == "57家"
    assert item("2024年经开区新增了多少家北京市知识产权优势单位?", sentence, "57家", "家") == "28家"


def test_a_chosen_figure_followed_by_its_label_gives_way_to_the_listed_item_asked_for():
    prizes = "经开区企业斩获15项中国专利奖,包括中国专利银奖3项、中国专利优秀奖12项。"
    assert item("经开区企业获得多少项中国专利优秀奖?", prizes, "15项", "项") == "12项"
    assert item("经开区企业斩获多少项中国专利奖?", prizes, "15项", "项") is None  # its own label says it


def test_figures_inside_their_clause_are_left_alone():
    contest = "比赛约有70队乐队参加，当中只有10队可以晋级进入决赛。"
    assert item("进入决赛的乐队共有几只?", contest, "10队", "队") is None
    fortune = "京東、小米等9家企業入選2022年《財富》“世界500強”,93家企業入圍“2022年全球研發投入2500強”。"
    assert item("2022年中关村有多少家企业入选《财富》世界500强?", fortune, "93家", "家") is None
    hong_kong = "持單程通行證來港的人數超逾50萬人，相等於現時香港700萬人口的7%，即每100個香港人，便有7人是在過去10年間持單程證來港的。"
    assert item("每100個香港人中,有多少人是持單程證來港的?", hong_kong, "7人", "人") is None  # DRCD 6292-43-1


def test_only_a_whole_figure_in_a_measure_word_is_moved():
    assert item("中关村特色产业园中有多少家上市企业?", LISTED, "独角兽企业40家", "家") is None
    money = "以41,210亿越南盾，约2.55亿美元"
    assert item("花费多少越南盾?", money, "41,210亿", "亿") is None


def test_the_chosen_figure_stays_when_no_label_is_clearly_better():
    assert item("中关村特色产业园中有多少家上市企业?", LISTED, "160家", "家") is None
    assert item("园区入驻了多少家企业?", LISTED, "4978家", "家") is None
    assert item("园区有多少家企业?", "园区有企业40家。", "40家", "家") is None  # nothing to choose from


def test_a_counting_span_that_runs_on_into_the_next_items_is_cut_to_its_first_figure():
    assert first_item("中国专利银奖经开区拿了几项", "3项、中国专利优秀奖12项", "项") == 2
    assert first_item("市级孵化器有多少家?", "约15家，区级孵化器9家", "家") == 4


def test_a_span_of_one_figure_or_a_list_asked_for_stays_whole():
    assert first_item("中国专利银奖拿了几项?", "3项", "项") is None
    assert first_item("银奖和优秀奖分别拿了几项?", "3项、中国专利优秀奖12项", "项") is None
    assert first_item("经开区拿了哪些奖?", "3项、中国专利优秀奖12项", "项") is None
    assert first_item("车站的年发送、到达旅客可以达到多少人次?", "6.5万、8.5万", "万") is None  # CMRC DEV_33_QUERY_3
    assert first_item("有多少家企业?", "9家企业入选,其中3个", "个") is None  # the head is no whole figure


def _measured(question: str, sentence: str, chosen: str) -> str | None:
    key = normalize(sentence)
    at = key.index(normalize(chosen))
    found = measured_item(question, key, (at, at + len(chosen)))
    return sentence[found[0]:found[1]] if found else None


def test_the_measure_word_asked_for_is_the_one_after_the_counting_word():
    assert asked_measure("习近平总书记几次向中关村论坛致贺?") == "次"
    assert asked_measure("全英國大概有多少人觀看?") == "人"
    assert asked_measure("由哪几个部分组成?") == ""  # which ones, not how many
    assert asked_measure("中关村论坛是哪一年创办的?") == ""


def test_a_span_without_the_measure_word_asked_for_moves_to_the_figure_in_it():
    thanks = "2019年、2021年、2023年,習近平總書記三次向中關村論壇致賀。"
    assert _measured("习近平总书记几次向中关村论坛致贺?", thanks, "2019年") == "三次"
    assert _measured("习近平总书记几次向中关村论坛致贺?", thanks, "三次") is None


def test_no_move_when_the_sentence_has_several_such_figures_or_the_question_lists():
    assert _measured("园区入驻了多少家企业?", LISTED, "园区") is None  # four figures in 家
    trains = "年发送旅客6.5万人，到达旅客8.5万人。"
    assert _measured("年发送、到达旅客可以达到多少人次?", trains, "6.5万") is None


def test_the_measure_word_is_the_one_the_passages_count_the_thing_in():
    from qa.enumerations import counting_unit

    assert counting_unit(["独角兽企业"], "独角兽企业40家,上市企业160家") == "家"
    assert counting_unit(["原创内容"], "发布科技动态7426条、原创内容3614条") == "条"
    assert counting_unit(["研究成果", "成果"], "目前,已有139项成果实现转化") == "项"
    assert counting_unit(["孵化器"], "孵化器运营机制不断升级") == ""


def test_a_counting_question_without_its_measure_word_takes_the_passages_one():
    from qa.enumerations import with_unit

    passages = "园区入驻企业4978家,其中独角兽企业40家,上市企业160家;发布原创内容3614条"
    assert with_unit("中关村有多少独角兽企业？", passages) == "中关村有多少家独角兽企业？"
    assert with_unit("独角兽企业有多少？", passages) == "独角兽企业有多少家？"
    assert with_unit("平台发布了多少原创内容?", passages) == "平台发布了多少条原创内容?"
    assert with_unit("中心实施多少前瞻项目?", "实施前瞻性项目208项") == "中心实施多少项前瞻项目?"


def test_a_question_with_a_measure_word_or_a_unit_the_passages_never_count_is_left_alone():
    from qa.enumerations import with_unit

    passages = "独角兽企业40家;河流全长48公里"
    for question in ("中关村有多少家独角兽企业？", "河流全长有多少公里？", "哪几个企业最大？", "有多少时间？"):
        assert with_unit(question, passages) == question


def test_what_a_counting_question_counts_is_named_from_most_to_least_specific():
    from qa.enumerations import counted_things

    assert counted_things("中心实施了多少项前瞻项目?") == ["前瞻项目", "项目"]
    assert counted_things("独角兽企业有多少？") == ["独角兽企业", "角兽企业"]
    assert counted_things("中关村论坛创办于哪一年?") == []
