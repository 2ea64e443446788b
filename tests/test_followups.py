"""A follow-up read with the question before it: which phrase it takes the place of, and when it
is left to stand alone."""
from __future__ import annotations

import pytest

from qa.followups import follow_up

INCUBATORS = "北京经开区有几家国家级孵化器?"


@pytest.mark.parametrize("previous, question, asked", [
    (INCUBATORS, "那市级孵化器呢?", "北京经开区有几家市级孵化器?"),
    ("中关村特色产业园中有多少家上市企业?", "独角兽企业呢?", "中关村特色产业园中有多少家独角兽企业?"),
    ("京津冀国家技术创新中心培育了多少家硬科技企业?", "那其中的上市企业呢?", "京津冀国家技术创新中心培育了多少家上市企业?"),
    ("中关村独角兽企业数量是多少?", "那上市企业呢?", "中关村上市企业数量是多少?"),  # a search phrase keeps its subject
])
def test_a_phrase_takes_the_place_of_the_one_with_the_same_last_word(previous, question, asked):
    assert follow_up(previous, question) == asked


def test_a_time_takes_the_place_of_the_previous_time_or_goes_before():
    assert follow_up("2024年经开区新增了多少家优势单位?", "那2023年呢?") == "2023年经开区新增了多少家优势单位?"
    assert follow_up("经开区新增了多少家优势单位?", "那去年呢") == "去年经开区新增了多少家优势单位?"


def test_a_model_takes_the_place_of_the_previous_model():
    assert follow_up("龙芯3A6000是什么时候发布的?", "那3A5000呢?") == "龙芯3A5000是什么时候发布的?"


def test_another_thing_takes_the_place_of_what_is_counted_with_its_measure_word():
    assert (follow_up("2022年中关村有多少家国家级科技企业孵化器?", "国家备案众创空间呢?")
            == "2022年中关村有多少国家备案众创空间?")


@pytest.mark.parametrize("question", [
    "那市级孵化器有几家?",  # a question of its own
    "光至R1是哪家公司发布的?",
    "谢谢",  # not a follow-up
    "那好吧",  # nothing that a thing could take the place of
    "那国家级的呢",  # a bare modifier
    "那海淀区呢?",  # a place: read as the new subject, the reader gave the old subject's figure
    "那小米呢?",  # no phrase of the previous question ends like it, and it counts nothing
])
def test_what_is_not_read_into_the_previous_question(question):
    previous = "未来黑科技的创始人是谁?" if question == "那小米呢?" else INCUBATORS
    assert follow_up(previous, question) is None
