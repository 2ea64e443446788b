"""Questions that ask yes or no, and spans that answer one."""
from __future__ import annotations

import pytest

from qa.yes_no import asks_yes_or_no, says_yes_or_no


@pytest.mark.parametrize("question", ["中关村有40家独角兽企业吗？", "经开区是否有国家级孵化器", "機關手槍可不可以連發?",
                                      "龙芯3A6000是在北京发布的吗", "联邦总统能不能不任命联邦总理?"])
def test_a_question_that_asks_yes_or_no(question):
    assert asks_yes_or_no(question)


@pytest.mark.parametrize("question", ["中关村有多少家独角兽企业吗", "英國目前測量患者是否有高血壓的方法是?",
                                      "建文年間的法律依照何標準決定是否廢除?", "经开区有几家国家级孵化器？",
                                      "吗啡是什么时候发明的？"])
def test_a_question_that_asks_for_a_thing_does_not(question):
    assert not asks_yes_or_no(question)


@pytest.mark.parametrize("span, says", [("不能", True), ("可以。", True), ("是", True), ("1669家", False),
                                        ("不能奪回", False)])
def test_a_span_that_is_a_yes_or_a_no(span, says):
    assert says_yes_or_no(span) is says
