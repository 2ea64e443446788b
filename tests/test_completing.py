"""Spans completed to the whole date, figure or quoted name they cut, on the real seed articles."""
from __future__ import annotations

import pytest

from qa.completing import asked_kind, complete, complete_span
from qa.reader import Reading, Span


@pytest.fixture(scope="module")
def docs(seed_index):
    data = seed_index[2]
    by_source = {d.source[:3]: d for d in data.documents.values()}
    return data, by_source


def _span(doc, text, score=5.0, after=""):
    start = doc.key.index(text, doc.key.index(after) if after else 0)
    return Span(doc.id, start, start + len(text), text, score)


def _completed(data, doc, text, question, after=""):
    (span,) = complete(Reading([_span(doc, text, after=after)], null=1.0), data, question).spans
    assert span.text == doc.key[span.start:span.end]
    return span


def test_a_date_is_completed_to_the_day_only_when_the_day_is_asked(docs):
    data, by = docs
    doc = by["003"]  # written in traditional characters: offsets hold in the original text
    day = _completed(data, doc, "2013年", "中共中央政治局集体学习是哪一天走进中关村的?")
    assert day.text == "2013年9月30日" and doc.text[day.start:day.end] == "2013年9月30日"
    assert _completed(data, doc, "2013年", "中共中央政治局集体学习是哪一年走进中关村的?").text == "2013年"


def test_a_speaker_is_given_without_the_speech_verb_after_the_name(docs):
    data, by = docs
    assert _completed(data, by["004"], "夏林茂说", "谁说北京要发挥牵头作用?").text == "夏林茂"
    assert _completed(data, by["003"], "张继红说", "谁介绍了颠覆性技术成果?").text == "张继红"


def test_a_figure_keeps_its_hedge_and_its_more_than(docs):
    data, by = docs
    assert _completed(data, by["000"], "50家", "示范企业有多少家?").text == "近50家"
    assert _completed(data, by["004"], "9年", "实施了多少年?").text == "9年多"
    assert _completed(data, by["003"], "1800", "聚集了多少家企业?").text == "1800余家"
    assert _completed(data, by["000"], "15家", "有多少家市级孵化器?").text == "15家"


def test_more_than_is_told_from_words_that_begin_with_it():
    key = "培育企业3000多组。另有2家多元化企业。"
    three = key.index("3000")
    assert complete_span(Span("d", three, three + 4, "3000", 1.0), key, False).text == "3000多组"
    two = key.index("2家")
    assert complete_span(Span("d", two, two + 2, "2家", 1.0), key, False).text == "2家"


def test_a_quoted_name_begun_by_the_span_is_taken_whole(docs):
    data, by = docs
    name = _completed(data, by["000"], "亦庄", "首个知识产权证券化产品叫什么?", after="证券化产品")
    assert name.text == "亦庄知识产权1-10期资产支持专项计划"
    assert _completed(data, by["000"], "亦庄", "在哪里举办?").text == "亦庄"  # 北京亦庄: not quoted


def test_a_span_begun_at_the_opening_quote_gives_the_name_inside(docs):
    data, by = docs
    name = _completed(data, by["000"], "“亦庄", "首个知识产权证券化产品叫什么?", after="证券化产品")
    assert name.text == "亦庄知识产权1-10期资产支持专项计划"


def test_spans_that_become_one_are_kept_once_at_the_best_score(docs):
    data, by = docs
    doc = by["000"]
    spans = [_span(doc, "50家", 9.0), _span(doc, "近50家", 8.0), _span(doc, "57家", 7.0)]
    reading = complete(Reading(spans, null=2.0), data, "示范企业有多少家?")
    assert [(s.text, s.score) for s in reading.spans] == [("近50家", 9.0), ("57家", 7.0)]
    assert reading.null == 2.0


def test_a_span_that_holds_a_whole_quoted_name_keeps_its_quotes(docs):
    data, by = docs
    name = _completed(data, by["000"], "“亦庄知识产权1-10期资产支持专项计划”", "首个知识产权证券化产品叫什么?")
    assert name.text == "“亦庄知识产权1-10期资产支持专项计划”"


def test_this_year_is_completed_to_its_month_when_the_day_is_asked(docs):
    data, by = docs
    when = "全国首张无人化出行服务商业化订单是什么时候诞生的?"
    assert _completed(data, by["001"], "今年", when, after="今年7月,全国首张").text == "今年7月"
    assert _completed(data, by["001"], "今年", "是哪一年诞生的?", after="今年7月,全国首张").text == "今年"


def test_a_quote_held_alone_takes_in_its_partner_beside_the_span(docs):
    data, by = docs
    assert _completed(data, by["001"], "管家式”精准服务", "提供什么服务?").text == "“管家式”精准服务"
    forum = by["003"]  # traditional: matched on the simplified key, offsets as in the article
    theme = _completed(data, forum, "以“创新与发展", "中关村论坛的永久主题是什么?")
    assert theme.text == "以“创新与发展”" and forum.text[theme.start:theme.end] == "以“創新與發展”"


def test_a_bracket_or_quote_the_span_opens_is_closed():
    key = "范白虎据守藤州（今兴安省金洞县），艺名「彭冠中」及「彭比得」，首播「2003年系列」。"
    for cut_short, whole in (("藤州（今兴安省金洞县", "藤州（今兴安省金洞县）"),
                             ("彭冠中」及「彭比得", "「彭冠中」及「彭比得」"),
                             ("「2003年系列", "「2003年系列」")):
        start = key.index(cut_short)
        assert complete_span(Span("d", start, start + len(cut_short), cut_short, 1.0), key, False).text == whole


def test_a_span_takes_the_kind_a_which_question_asks_for(docs):
    data, by = docs
    asked = "北京牵头建设了哪个中心?"
    assert _completed(data, by["004"], "京津冀国家技术创新", asked).text == "京津冀国家技术创新中心"
    assert _completed(data, by["004"], "京津冀国家技术创新", "北京牵头建设了什么?").text == "京津冀国家技术创新"
    assert _completed(data, by["002"], "《岁末年初话创新》", "推出了哪个栏目?").text == "《岁末年初话创新》"


def test_the_asked_kind_is_the_word_after_which():
    assert asked_kind("汉江流域的东北方为哪一个流域?") == "流域"
    assert asked_kind("哪种自杀是以自杀来使他人获益的行为?") == "自杀"
    assert asked_kind("赫姓分为哪两种?") == ""  # counts: two things are asked for
    assert asked_kind("在哪里举办?") == ""
    assert asked_kind("有多少家企业?") == ""
