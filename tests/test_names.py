"""The names a question gives, and whether a text mentions them."""
from __future__ import annotations

import pytest

from qa.names import given_names, unstated_name


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
                                      "有多少家企业入选？"])
def test_pointing_asking_and_bare_kind_words_are_not_names(question):
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
