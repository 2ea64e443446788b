"""Reading an English question in the articles' Chinese words."""
from __future__ import annotations

from qa.dictionary import Texts
from qa.english import gloss, is_english

SEEDS = Texts(corpus="2023年11月,龙芯3A6000在北京正式发布。龙芯中科创始人胡伟武。中关村有孵化器65家。")


def test_english_is_told_from_chinese_and_from_a_bare_model_name():
    assert is_english("Who founded Loongson?")
    assert not is_english("龙芯是谁创办的？") and not is_english("3A6000?") and not is_english("CPU?")


def test_a_question_is_glossed_in_the_articles_words_with_its_date_and_model_names():
    text = gloss("Which CPU did Loongson release in Beijing in November 2023?", SEEDS)
    assert text.endswith("？") and "哪个CPU" in text
    for word in ("龙芯", "发布", "北京", "2023年11月"):
        assert word in text


def test_dates_take_chinese_form():
    assert "2023年7月20日" in gloss("What happened on July 20, 2023?", SEEDS)
    assert "7月20日" in gloss("What was unveiled on July 20?", SEEDS)
    assert "2023年11月" in gloss("What did Loongson release in November 2023?", SEEDS)


def test_an_asking_phrase_followed_by_its_verb_moves_to_the_end():
    assert gloss("How many incubators does Zhongguancun have?", SEEDS) == "中关村有多少孵化器？"


def test_a_of_b_reads_b_de_a_and_who_is_asked_last():
    assert gloss("Who is the founder of Loongson?", SEEDS) == "龙芯的创始人是谁？"


def test_an_asking_word_that_is_the_subject_stays_in_place():
    assert gloss("Who founded Loongson?", SEEDS).startswith("谁")


def test_a_question_with_no_word_the_dictionary_knows_gives_nothing():
    assert gloss("Xyzzy plugh frobnicate?", SEEDS) == ""


def test_places_joined_by_hyphens_take_their_joint_name():
    texts = Texts(corpus="京津冀国家技术创新中心。北京。天津。河北。")
    assert gloss("Who is the director of the Beijing-Tianjin-Hebei center?", texts).startswith("京津冀")

