"""The evidence each proposed span carries: word shares, headline-free focus, sentence ranking."""
from __future__ import annotations

import pytest

from qa.reader import Reading, Span
from qa.span_evidence import FEATURES, coverage, question_words, weigh
from qa.windows import RankedSentence

QUESTION = "北京经开区的国家知识产权优势、示范企业有多少家?"


@pytest.fixture(scope="module")
def article(seed_index):
    data = seed_index[2]
    doc = next(d for d in data.documents.values() if d.source == "000_a68577dcd4f9715c.txt")
    return data, doc


def _span(doc, text, score, after=""):
    start = doc.text.index(text, doc.text.index(after) if after else 0)
    return Span(doc.id, start, start + len(text), text, score)


def _sentence(data, doc, text):
    return next(s for s in data.sentences[doc.id] if text in doc.text[s.start:s.end])


def test_question_words_leave_out_the_asking_words():
    words = question_words("北京经开区有多少家市级孵化器?")
    assert "多少" not in words and "孵化器" in words
    assert coverage(["孵化器", "上海"], "市级孵化器15家") == 0.6
    assert coverage([], "任何文字") == 1.0


def test_focus_counts_the_words_the_headline_does_not_have(article):
    data, doc = article
    fifty, twenty_eight = _span(doc, "近50家", 8.0), _span(doc, "28家", 9.0)
    ev50, ev28 = (w.evidence for w in weigh(Reading([fifty, twenty_eight], null=1.0), data, QUESTION))
    assert "北京" in doc.title and "北京" not in doc.text[fifty.start - 30:fifty.end]
    assert ev50.focus == 1.0 > ev50.sentence_words  # 北京 is missing, but the headline names it
    assert ev28.focus < ev50.focus
    assert ev50.margin == 7.0 and ev28.margin == 8.0


def test_sentence_ranking_is_carried(article):
    data, doc = article
    s36, s35 = _sentence(data, doc, "近50家"), _sentence(data, doc, "28家、")
    ranked = [RankedSentence(s36, 0, 0.9), RankedSentence(s35, 0, 0.8)]
    spans = [_span(doc, "近50家", 8.0), _span(doc, "28家", 9.0), _span(doc, "15家", 5.0)]
    ev50, ev28, ev15 = (w.evidence for w in weigh(Reading(spans, null=0.0), data, QUESTION, ranked, read_count=1))
    assert (ev50.sentence_score, ev50.top_sentence, ev50.read_sentence) == (0.9, 1.0, 1.0)
    assert (ev28.sentence_score, ev28.top_sentence, ev28.read_sentence) == (0.8, 0.0, 0.0)
    assert ev15.sentence_score == pytest.approx(0.7) and ev15.read_sentence == 0.0  # not ranked: below all


def test_best_span_of_its_sentence(article):
    data, doc = article
    spans = [_span(doc, "28家", 9.0), _span(doc, "57家", 7.0)]
    first, second = weigh(Reading(spans, null=0.0), data, QUESTION)
    assert first.sentence == second.sentence
    assert first.evidence.best_in_sentence == 1.0 and second.evidence.best_in_sentence == 0.0
    assert first.evidence.sentence_best == second.evidence.sentence_best == 9.0


def test_every_feature_is_a_number(article):
    data, doc = article
    (weighed,) = weigh(Reading([_span(doc, "15家", 6.0)], null=1.0), data, "有多少家市级孵化器?")
    a, b = weighed.sentence
    assert "15家" in doc.text[a:b] and weighed.evidence.coverage == 1.0
    assert all(isinstance(weighed.evidence.get(f), float) for f in FEATURES)
