"""English words to the articles' Chinese words through CC-CEDICT (the real dictionary)."""
from __future__ import annotations

from qa.dictionary import Texts, choose, is_participle, named_together


def test_of_several_headwords_the_one_the_articles_use_is_chosen():
    assert choose(["release"], Texts(corpus="龙芯3A6000在北京正式发布")) == "发布"
    assert choose(["release"], Texts(corpus="释放产业集群活力")) == "释放"


def test_the_retrieved_passages_come_before_the_other_articles():
    articles = "正式发布。正式发布。释放活力。"
    assert choose(["release"], Texts(corpus=articles, near="释放产业集群活力")) == "释放"
    assert choose(["release"], Texts(corpus=articles)) == "发布"


def test_inflected_words_and_phrases_are_found_by_their_base_form():
    assert choose(["listed", "companies"], Texts(corpus="上市公司")) == "上市公司"
    assert choose(["carried", "out"], Texts(corpus="联合实施前瞻性项目")) == "实施"
    assert choose(["incubators"], Texts(corpus="北京经开区有15家市级孵化器")) == "孵化器"


def test_a_name_is_found_by_its_pinyin_and_kept_when_the_articles_lack_it():
    assert choose(["zhongguancun"], Texts()) == "中关村"
    assert choose(["shanghai"], Texts(corpus="北京"), name=True) == "上海"


def test_a_common_word_the_articles_never_use_is_dropped():
    assert choose(["unicorn"], Texts(corpus="北京")) == ""
    assert choose(["the"], Texts(corpus="北京")) == ""


def test_places_named_together_take_their_joint_name():
    assert named_together(["Beijing", "Tianjin", "Hebei"], Texts(corpus="京津冀协同发展")) == "京津冀"
    assert named_together(["Beijing", "Tianjin", "Hebei"], Texts(corpus="北京")) == ""


def test_participles_are_told_from_other_words():
    assert is_participle("carried") and is_participle("born") and not is_participle("have")
