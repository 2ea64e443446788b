"""Put the answer together: the sentence holding the chosen span (two for a disagreement), the
span itself, the confidence, the reason for an abstention, and the citations.

Answers are capped at ``MAX_ANSWER_CHARS``: a longer sentence is cut to the part around the span.
"""
from __future__ import annotations

from dataclasses import replace

from .choosing import Choice
from .messages import say
from .store import IndexData
from .types import Answer, Citation, SpanCandidate
from .windows import RankedSentence
from .years import dated

MAX_ANSWER_CHARS = 200
NOT_FOUND = "没有检索到相关的文章段落。"
NOT_STATED = "这些文章里没有找到能回答这个问题的内容。"
NOT_THAT_YEAR = "这些文章没有提到{year}年的情况。"
NOT_THAT_NAME = "这些文章没有提到{name}的这项情况。"
NOT_CHINESE = "这个问题里没有汉字，也没有词典里查得到的英文词，而阅读模型只读得懂中文问题。"
NOT_A_QUESTION = "这像是一个话题而不是问题，没有说要问它的什么；下面列出与它最相关的段落。"
SEVERAL_QUESTIONS = "这里一次问了几个问题，请分开来问，每次一个。"
UNREAD = {"not_chinese": NOT_CHINESE, "not_a_question": NOT_A_QUESTION, "several_questions": SEVERAL_QUESTIONS}
DISAGREE = "不同文章给出的数字不一致，两种说法都列出。"
YES_NO = say("yes_no_note")


def compose(question: str, choice: Choice, ranked: list[RankedSentence], citations: list[Citation],
            data: IndexData, retrieval_only: bool = False) -> Answer:
    """The ``Answer`` for ``question`` from the chosen span (or the best sentence when there is no
    reader)."""
    if retrieval_only:
        return _best_sentence_answer(question, ranked, citations, data)
    if choice.best is None:
        if not ranked:
            why, reason = "no_passages", NOT_FOUND
        elif choice.unread:
            why, reason = choice.unread, UNREAD[choice.unread]
        elif choice.unstated_year:
            why, reason = "year_not_stated", NOT_THAT_YEAR.format(year=choice.unstated_year)
        elif choice.unstated_name:
            why, reason = "name_not_stated", NOT_THAT_NAME.format(name=choice.unstated_name)
        else:
            why, reason = "not_stated", NOT_STATED
        return Answer(question, "", None, True, min(choice.confidence, 0.5), False, citations, reason,
                      choice.candidates, why)
    chosen = [choice.best] + ([choice.rival] if choice.rival else [])
    limit = MAX_ANSWER_CHARS // len(chosen) - (len(chosen) - 1)
    texts = [excerpt(data.documents[c.doc_id].text, c, limit) for c in chosen]
    span = None if choice.yes_no else " / ".join(c.text for c in chosen)
    reason = DISAGREE if choice.rival else YES_NO if choice.yes_no else None
    date = data.documents[choice.best.doc_id].date
    when = dated(span, date) if span and not choice.rival else None
    return Answer(question, "\n".join(texts), span, False, choice.confidence, choice.rival is not None, citations,
                  reason, choice.candidates, yes_no=choice.yes_no, dated=when, date=date if when else None)


def excerpt(text: str, cand: SpanCandidate, limit: int) -> str:
    """The sentence holding the span, cut to at most ``limit`` characters around the span."""
    start, end = cand.sentence
    if end - start <= limit:
        return text[start:end].strip()
    room = max(limit - (cand.end - cand.start), 0)
    lo = max(start, cand.start - room // 2)
    hi = min(end, lo + limit)
    lo = max(start, min(lo, hi - limit))
    return text[lo:hi].strip()


def _best_sentence_answer(question: str, ranked: list[RankedSentence], citations: list[Citation],
                          data: IndexData) -> Answer:
    """Retrieval only (``QA_READER=none``): the best-ranked sentence, no span, never bold."""
    if not ranked:
        return Answer(question, "", None, True, 0.0, False, citations, NOT_FOUND, abstention="no_passages")
    best = ranked[0].sentence
    text = data.documents[best.doc_id].text[best.start:best.end].strip()[:MAX_ANSWER_CHARS]
    marked, done = [], False
    for c in citations:
        if not done and c.highlight == (best.start, best.end):
            c, done = replace(c, role="answer"), True
        marked.append(c)
    confidence = max(0.0, min(1.0, ranked[0].score))
    return Answer(question, text, None, False, confidence, False, marked)
