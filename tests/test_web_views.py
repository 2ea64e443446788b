"""What the page shows for an answer, built from real answers of the seed index."""
from __future__ import annotations

from dataclasses import replace

import pytest


@pytest.fixture(scope="module")
def engine(seed_index):
    from qa.answering import Engine

    settings, _, _ = seed_index
    return Engine(settings, build_if_missing=False)


@pytest.fixture(scope="module")
def documents(engine):
    from qa.web.library import documents_by_source

    return documents_by_source(engine)


def test_span_is_taken_from_the_answer_offsets_with_simplified_form(engine, documents):
    from qa.web.views import answer_view

    answer = engine.answer("中关村论坛创办于哪一年?", 3)
    view = answer_view(answer, documents)
    line = view.lines[0]
    assert line.text.span == "2007年" and line.number == 1
    assert "創辦" in line.text.sentence and line.simplified and "创办" in line.simplified
    assert view.sources[0].role_label == "答案出处" and view.sources[0].passage.span == "2007年"


def test_sources_numbered_once_each(engine, documents):
    from qa.web.views import answer_view

    answer = engine.answer("北京经开区有多少家市级孵化器?", 5)
    doubled = replace(answer, citations=answer.citations + answer.citations[:2])
    view = answer_view(doubled, documents)
    assert [s.number for s in view.sources] == list(range(1, len(answer.citations) + 1))
    assert {s.role_label for s in view.sources[1:]} <= {"佐证", "说法不同"}
    first = view.sources[0]
    text = documents[first.source].text
    assert first.article is not None and first.article[0] == text[: answer.citations[0].start]


def test_abstention_has_related_passages_and_no_answer(engine, documents):
    from qa.web.views import answer_view

    answer = engine.answer("火星上有多少座城市?", 3)
    assert answer.abstained
    view = answer_view(answer, documents)
    assert view.lines == [] and view.reason
    assert view.headline == "这些文章没有回答这个问题。" and "上传相关文章" in view.hint
    assert all(s.role == "related" and not s.passage.span for s in view.sources)


def test_a_question_without_chinese_is_asked_in_chinese_not_told_the_articles_do_not_say(engine, documents):
    from qa.web.views import answer_view

    view = answer_view(engine.answer("Xyzzy plugh frobnicate?", 3), documents)
    assert view.abstained and view.headline == "请用中文提问。" and "没有汉字" in view.reason
    assert "文章没有回答" not in view.headline + view.hint + view.reason


def test_a_bare_topic_is_asked_for_a_question_and_shown_its_passages(engine, documents):
    from qa.web.views import answer_view

    view = answer_view(engine.answer("中关村论坛", 3), documents)
    assert view.abstained and view.headline == "这像是一个话题，不是问题。" and "例如" in view.hint
    assert view.sources and all(s.role == "related" for s in view.sources)


def test_several_questions_in_one_string_are_asked_to_be_put_one_at_a_time(engine, documents):
    from qa.web.views import answer_view

    view = answer_view(engine.answer("中关村有多少家独角兽企业？龙芯的创始人是谁？", 3), documents)
    assert view.abstained and view.headline == "这里几个问题连在一起，一次答不了。" and "分开" in view.hint
    assert "文章没有回答" not in view.headline + view.hint


def test_a_relative_year_is_noted_with_the_year_it_means(engine, documents):
    from qa.web.views import answer_from_dict, answer_view

    answer = engine.answer("全国首张无人化出行服务商业化订单是什么时候诞生的？", 3)
    view = answer_view(answer, documents)
    assert view.note == "“今年7月”按文章日期（2022-09-04）即2022年7月。"
    assert answer_view(answer_from_dict(answer.to_dict()), documents).note == view.note


def test_a_yes_or_no_answer_says_to_judge_from_its_sentence_and_bolds_nothing(engine, documents):
    from qa.web.views import answer_view

    view = answer_view(engine.answer("中关村有40家独角兽企业吗？", 3), documents)
    assert not view.abstained and "是或不是请据此判断" in view.note
    assert view.lines and not view.lines[0].text.span and "独角兽企业40家" in view.lines[0].text.sentence
    assert not view.sources[0].passage.span and view.sources[0].passage.sentence
    plain = answer_view(engine.answer("中关村有多少家独角兽企业？", 3), documents)
    assert plain.note == "" and plain.lines[0].text.span == "40家"


def test_an_english_question_shows_how_it_was_read_and_why_chinese_reads_better(engine, documents):
    from qa.web.views import answer_view

    read = answer_view(engine.answer("Who is the founder of Loongson?", 3), documents)
    assert read.asked_as_label == "按词典译成中文来读：" and read.asked_as == "龙芯的创始人是谁？"
    unread = answer_view(engine.answer("How many unicorn companies does Shenzhen have?", 3), documents)
    assert unread.abstained and unread.asked_as and "用中文提问" in unread.hint
    follow = answer_view(engine.answer("那区级孵化器呢?", 3, previous="北京经开区有几家市级孵化器?"), documents)
    assert follow.asked_as_label == "接着上一问，理解为："


def test_answer_round_trips_through_a_dict(engine):
    from qa.web.views import answer_from_dict

    answer = engine.answer("中关村论坛创办于哪一年?", 3)
    again = answer_from_dict(answer.to_dict())
    assert again.citations == answer.citations and again.text == answer.text and again.span == answer.span
    yes_no = engine.answer("中关村有40家独角兽企业吗？", 3)
    assert answer_from_dict(yes_no.to_dict()).yes_no
    asked = engine.answer("Xyzzy plugh frobnicate?", 3)
    assert answer_from_dict(asked.to_dict()).abstention == asked.abstention == "not_chinese"
    english = engine.answer("Who is the founder of Loongson?", 3)
    again = answer_from_dict(english.to_dict())
    assert again.glossed and again.asked_as == english.asked_as


@pytest.mark.parametrize("sentence, span, parts", [
    ((2, 6), (3, 5), ("ab", "c", "de", "f", "gh")),
    ((2, 6), None, ("ab", "cdef", "", "", "gh")),
    (None, (3, 5), ("abcdefgh", "", "", "", "")),
    ((2, 6), (0, 8), ("ab", "", "cdef", "", "gh")),
])
def test_mark_cuts_text_around_sentence_and_span(sentence, span, parts):
    from qa.web.views import mark

    m = mark("abcdefgh", sentence, span)
    assert (m.before, m.lead, m.span, m.tail, m.after) == parts


def test_confidence_cue_is_plain_words():
    from qa.web.views import confidence_cue

    assert confidence_cue(0.9)[0] == "把握较大" and confidence_cue(0.5)[1] == "mid" and confidence_cue(0.1)[1] == "low"
