"""The names a question gives, and whether a text mentions them."""
from __future__ import annotations

import pytest

from qa.names import given_names, sure_names, unstated_name


@pytest.mark.parametrize("question, names", [
    ("北京经开区有几家国家级孵化器？", ["北京", "经开区"]),  # jieba splits 经 / 开区
    ("海淀区区长是谁？", ["海淀区"]),
    ("宋子文曾至何處懇求楊虎城?", ["宋子文", "杨虎城"]),  # traditional script, matched in simplified form
    ("刘节的籍贯是哪里?", ["刘节"]),  # jieba's dictionary tags 籍贯 as a person
    ("那3A5000的主频是多少？", ["3a5000"]),  # a model, lower case
    ("何人在建炎三年收復了常州?", ["常州"]),  # not 了常州
])
def test_places_people_organisations_and_models_are_names(question, names):
    assert given_names(question) == names


@pytest.mark.parametrize("question", ["该国的首都是哪里？", "哪国政府签署了协议？", "这家公司成立于哪一年？",
                                      "有多少家企业入选？", "步道位于哪一行政区？", "两国的关系为何紧张？",
                                      "示范区有多少家企业？", "工业区位于哪个县？", "它注入哪个湖泊？"])
def test_pointing_asked_counted_and_kind_words_are_not_names(question):
    # the kind an asking word asks for is the answer; 示范区, 工业区 are kinds jieba knows as nouns
    assert given_names(question) == []


def test_a_name_unstated_in_the_text_is_reported():
    assert unstated_name(["经开区", "北京"], "北京中关村的独角兽企业") == "经开区"
    assert unstated_name(["北京"], "北京中关村的独角兽企业") is None


def test_a_name_cut_one_character_long_still_counts_as_stated():
    # jieba glues a following word's character to a name (李翰 / 曾); 海淀 stands for 海淀区
    assert unstated_name(["李翰曾", "海淀区"], "设计师李翰与海淀的店铺") is None
    assert unstated_name(["经开区"], "北京经济技术开发区") == "经开区"


def test_a_name_without_its_place_or_organisation_word_counts_as_stated():
    assert unstated_name(["英国", "联邦政府"], "清廷赔偿英军费，联邦军队") is None
    assert unstated_name(["英国"], "清廷赔偿法军费") == "英国"


def test_places_organisations_and_models_are_sure_names_people_are_not():
    # a person may be jieba's mis-cut of common words (曾效力) or an alias (蒋介石 for 蒋中正)
    assert sure_names("张磊拍摄的上海经开区有几家龙芯3A6000用户?") == ["上海", "经开区", "3a6000"]
    assert given_names("张磊拍摄的上海经开区有几家龙芯3A6000用户?")[0] == "张磊"


def test_a_long_name_counts_as_stated_when_the_place_it_begins_with_is():
    # news calls one park 中关村科技园区, 中关村示范区 and 中关村
    assert unstated_name(["中关村科技园区"], "中关村示范区的独角兽企业") is None
    assert unstated_name(["中关村科技园区"], "经开区的独角兽企业") == "中关村科技园区"
