"""Questions are tidied or refused with one clear Chinese line before they reach a model."""
from __future__ import annotations

import pytest

from qa.questions import MAX_QUESTION_CHARS, BadQuestion, asks_nothing, check_question, plain_question, split_questions


def test_control_characters_inside_a_question_are_removed():
    assert check_question("中关\x01村论坛\x07创办于哪一年?") == "中关村论坛创办于哪一年?"


def test_format_characters_and_space_runs_are_tidied():
    assert check_question("  中关村\u200b论坛\t\n创办于 哪一年? ") == "中关村论坛创办于哪一年?"


def test_spaces_between_latin_words_are_kept():
    assert check_question("ChatGPT  发布 于 哪年") == "ChatGPT 发布于哪年"


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01\t\n", "\u200b"])
def test_empty_question_is_refused(question):
    with pytest.raises(BadQuestion, match="问题是空的"):
        check_question(question)


def test_invalid_utf8_from_the_command_line_is_refused():
    # what Python makes of the bytes ff fe in argv (surrogateescape)
    question = b"\xff\xfe\xe4\xb8\xad".decode("utf-8", "surrogateescape")
    with pytest.raises(BadQuestion, match="UTF-8"):
        check_question(question)


def test_lone_surrogate_is_refused():
    with pytest.raises(BadQuestion, match="无法识别的字符"):
        check_question("中关村\ud800论坛")


def test_invalid_utf8_bytes_are_refused_and_valid_bytes_decoded():
    with pytest.raises(BadQuestion, match="UTF-8"):
        check_question(b"\xff\xfe")
    assert check_question("中关村".encode("utf-8")) == "中关村"


def test_too_long_question_names_the_limit():
    with pytest.raises(BadQuestion, match=f"最多 {MAX_QUESTION_CHARS} 字"):
        check_question("问" * (MAX_QUESTION_CHARS + 1))


def test_non_text_is_refused():
    with pytest.raises(BadQuestion, match="必须是文字"):
        check_question(42)


def test_bad_question_is_a_value_error_for_callers_that_catch_those():
    assert issubclass(BadQuestion, ValueError)


@pytest.mark.parametrize("asked, plain", [
    ("请问北京经开区有多少家市级孵化器？", "北京经开区有多少家市级孵化器？"),
    ("我想知道北京经开区有多少家市级孵化器。", "北京经开区有多少家市级孵化器?"),
    ("你知道龙芯3A6000是谁发布的吗？", "龙芯3A6000是谁发布的？"),
    ("能告诉我中关村论坛创办于哪一年吗", "中关村论坛创办于哪一年?"),
    ("北京经开区有多少家市级孵化器呢？", "北京经开区有多少家市级孵化器？"),
    ("請問，中關村論壇創辦於哪一年?", "中關村論壇創辦於哪一年?"),
    ("请问经开区是国家级开发区吗？", "经开区是国家级开发区吗？"),  # a yes/no question keeps its 吗
    ("您好，我想请问一下，北京经开区有多少家市级孵化器？", "北京经开区有多少家市级孵化器？"),
    ("请问下北京经开区有多少家市级孵化器？", "北京经开区有多少家市级孵化器？"),
    ("请问下一届中关村论坛在哪里举办?", "下一届中关村论坛在哪里举办?"),  # 下一届 is asked about
])
def test_plain_question_drops_the_words_that_wrap_it(asked, plain):
    assert plain_question(asked) == plain


@pytest.mark.parametrize("asked, plain", [
    ("北京经开区有多少家市级孵化器", "北京经开区有多少家市级孵化器?"),
    ("北京经开区有多少家市级孵化器。", "北京经开区有多少家市级孵化器?"),
    ("北京经开区有多少家市级孵化器？", "北京经开区有多少家市级孵化器？"),
    ("中關村論壇創辦於哪一年?", "中關村論壇創辦於哪一年?"),
])
def test_plain_question_ends_with_the_askers_question_mark_or_one(asked, plain):
    assert plain_question(asked) == plain


@pytest.mark.parametrize("asked, plain", [
    ("中关村独角兽企业数量", "中关村独角兽企业数量是多少?"),
    ("请问龙芯中科创始人？", "龙芯中科创始人是谁？"),
    ("龙芯3A6000的发布时间", "龙芯3A6000的发布时间是什么时候?"),
    ("服贸会发布会举办地点", "服贸会发布会举办地点在哪里?"),
    ("雄安中关村科技园一期入驻率", "雄安中关村科技园一期入驻率是多少?"),
    ("經開區市級孵化器數量", "經開區市級孵化器數量是多少?"),
])
def test_a_phrase_naming_what_it_wants_by_its_last_word_is_asked_for_it(asked, plain):
    assert plain_question(asked) == plain


@pytest.mark.parametrize("asked, plain", [
    ("那区级孵化器数量呢？", "那区级孵化器数量？"),  # a follow-up: read with the question before it
    ("中关村论坛", "中关村论坛?"),
    ("中关村有多少家独角兽企业的数量", "中关村有多少家独角兽企业的数量?"),
])
def test_a_question_a_follow_up_or_a_topic_gets_no_asking_words(asked, plain):
    assert plain_question(asked) == plain


def test_taiwans_shenme_is_read_as_the_asking_word_the_models_know():
    assert plain_question("為甚麼狄拉克想拒絕諾貝爾獎?") == "為什麼狄拉克想拒絕諾貝爾獎?"
    assert not asks_nothing("甚麼是量子？")


@pytest.mark.parametrize("question", ["请问", "？？？", "Which CPU did Loongson release?", "问题是什么？", "HiFi音响是什么？"])
def test_plain_question_leaves_a_question_with_nothing_chinese_to_ask_alone(question):
    assert plain_question(question) == question


@pytest.mark.parametrize("question", ["中关村", "中關村論壇？", "光至R1", "请问龙芯？"])
def test_a_bare_topic_asks_nothing(question):
    assert asks_nothing(question)


@pytest.mark.parametrize("question", ["经开区有几家国家级孵化器", "龙芯3A6000的发布时间", "那区级孵化器呢？",
                                      "经开区孵化器数量", "龙芯创始人", "孵化器数量", "中关村有独角兽企业吗", "沃夫424距离太阳多远？"])
def test_a_question_or_a_phrase_that_names_what_it_wants_asks_something(question):
    assert not asks_nothing(question)


@pytest.mark.parametrize("message, questions", [
    ("中关村有多少家独角兽企业？龙芯的创始人是谁？", ["中关村有多少家独角兽企业？", "龙芯的创始人是谁？"]),
    ("经开区专利有多少件? 截至什么时候?", ["经开区专利有多少件?", "截至什么时候?"]),
    ("中关村有多少家独角兽企业？那上市企业呢？", ["中关村有多少家独角兽企业？", "那上市企业呢？"]),
    ("中关村独角兽企业数量？龙芯中科创始人？", ["中关村独角兽企业数量？", "龙芯中科创始人？"]),
    ("中关村有多少家独角兽企业，上市企业又有多少家？", ["中关村有多少家独角兽企业，上市企业又有多少家？"]),
    ("龙芯是谁创办的？ 谢谢", ["龙芯是谁创办的？ 谢谢"]),
    ("请问？中关村有多少家独角兽企业？", ["请问？中关村有多少家独角兽企业？"]),
    ("Which CPU? Who founded it?", ["Which CPU? Who founded it?"]),
])
def test_a_message_is_split_into_the_questions_it_asks(message, questions):
    assert split_questions(message) == questions


@pytest.mark.parametrize("message", [
    "除了《物體慣性與其所含能量有關嗎?》、《論運動物體的電動力學》，還有哪一篇論文?",  # a DRCD dev question
    "“中关村有多少家独角兽企业？”这个问题是谁提出的？",
])
def test_a_question_mark_inside_a_title_or_a_quotation_does_not_split(message):
    assert split_questions(message) == [message]


