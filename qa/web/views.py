"""What the page shows for an answer, read from the Answer's own fields (citation roles, article
offsets of the marked sentence and of the span); nothing is re-parsed from rendered text."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..messages import asked_as_label, say
from ..types import Answer, Citation, Document

MAX_LINE_CHARS = 200
ROLE_KEYS = {"answer": "web_role_answer", "supporting": "web_role_supporting",
             "conflicting": "web_role_conflicting"}


@dataclass(frozen=True)
class Marked:
    """A text cut in five: ``before``, then the marked sentence (``lead``, bold ``span``,
    ``tail``), then ``after``; ``marked`` is False when nothing is marked."""

    before: str
    lead: str = ""
    span: str = ""
    tail: str = ""
    after: str = ""
    marked: bool = False

    @property
    def sentence(self) -> str:
        return self.lead + self.span + self.tail


@dataclass(frozen=True)
class SourceView:
    """One numbered source: headline, date, file, role, marked passage, and the whole article."""

    number: int
    source: str
    title: str
    date: str
    role: str
    role_label: str
    passage: Marked
    article: tuple[str, str] | None  # the article's text before and after the passage
    article_chars: int


@dataclass(frozen=True)
class AnswerLine:
    """One line of the answer: the sentence with its span, the source number that states it,
    and its simplified form when the article is in traditional script."""

    text: Marked
    number: int
    simplified: str | None


@dataclass(frozen=True)
class AnswerView:
    """Everything the reply and the sources panel show for one answer."""

    question: str
    abstained: bool
    conflict: bool
    reason: str
    headline: str
    hint: str
    confidence: float
    confidence_label: str
    confidence_class: str
    lines: list[AnswerLine]
    sources: list[SourceView]
    asked_as: str | None = None
    asked_as_label: str = ""
    note: str = ""


def abstention_texts(abstention: str | None, glossed: bool = False) -> tuple[str, str]:
    """(headline, hint) of an abstention of kind ``abstention`` (``types.ABSTENTIONS``): a question
    without Chinese is asked to be put in Chinese, and a bare word to be asked as a question, not
    told that the articles do not say; one asked in English and ``glossed`` is told that asking in
    Chinese would read it better."""
    if abstention == "not_chinese":
        return say("web_abstain_not_chinese"), say("web_abstain_not_chinese_hint")
    if abstention == "not_a_question":
        return say("web_abstain_not_question"), say("web_abstain_not_question_hint")
    if abstention == "several_questions":
        return say("web_abstain_several"), say("web_abstain_several_hint")
    return say("web_abstain"), say("web_abstain_english_hint" if glossed else "web_abstain_hint")


def confidence_cue(confidence: float) -> tuple[str, str]:
    """(plain Chinese cue, css class) for a confidence in [0, 1]."""
    if confidence >= 0.75:
        return say("web_confidence_high"), "high"
    if confidence >= 0.45:
        return say("web_confidence_mid"), "mid"
    return say("web_confidence_low"), "low"


def mark(text: str, sentence: tuple[int, int] | None, span: tuple[int, int] | None) -> Marked:
    """``text`` cut around ``sentence`` and the ``span`` inside it (both slices of ``text``)."""
    if sentence is None or not 0 <= sentence[0] < sentence[1] <= len(text):
        return Marked(before=text)
    a, b = sentence
    if span is not None:
        s, e = max(span[0], a), min(span[1], b)
    if span is None or s >= e:
        s = e = b
    return Marked(text[:a], text[a:s], text[s:e], text[e:b], text[b:], True)


def _line(citation: Citation, number: int) -> AnswerLine:
    """The answer line stated by ``citation``: its marked sentence, the span bold, trimmed
    around the span to ``MAX_LINE_CHARS``."""
    from ..chinese import to_simplified

    sentence = citation.local(citation.highlight) or (0, len(citation.passage))
    span = citation.local(citation.span)
    a, b = sentence
    if b - a > MAX_LINE_CHARS:
        centre = (span[0] + span[1]) // 2 if span else a
        a = max(a, min(centre - MAX_LINE_CHARS // 2, b - MAX_LINE_CHARS))
        b = a + MAX_LINE_CHARS
    text = citation.passage[a:b]
    local_span = (span[0] - a, span[1] - a) if span else None
    marked = mark(text.strip(), (0, len(text.strip())), _shift(local_span, len(text) - len(text.lstrip())))
    simplified = to_simplified(marked.sentence)
    return AnswerLine(marked, number, simplified if simplified != marked.sentence else None)


def _shift(span: tuple[int, int] | None, by: int) -> tuple[int, int] | None:
    return (span[0] - by, span[1] - by) if span else None


def _sources(answer: Answer, documents: Mapping[str, Document]) -> list[tuple[Citation, SourceView]]:
    out: list[tuple[Citation, SourceView]] = []
    seen: set[tuple[str, int, int]] = set()
    for c in answer.citations:
        if (c.source, c.start, c.end) in seen:
            continue
        seen.add((c.source, c.start, c.end))
        span = None if answer.abstained else c.local(c.span)
        passage = mark(c.passage, c.local(c.highlight), span)
        doc = documents.get(c.source)
        article = None
        if doc is not None and doc.text[c.start:c.end] == c.passage:  # same version of the article
            article = (doc.text[: c.start], doc.text[c.end:])
        role = "related" if answer.abstained else c.role
        label = say("web_related") if answer.abstained else say(ROLE_KEYS.get(c.role, "web_role_supporting"))
        out.append((c, SourceView(len(out) + 1, c.source, c.title or c.source, c.date or say("web_date_unknown"),
                                  role, label, passage, article, len(doc.text) if doc else 0)))
    return out


def answer_view(answer: Answer, documents: Mapping[str, Document]) -> AnswerView:
    """The view of ``answer``; ``documents`` maps file names to articles (for the full text)."""
    sources = _sources(answer, documents)
    lines = [] if answer.abstained else [
        _line(c, view.number) for c, view in sources if c.role in ("answer", "conflicting")
    ]
    label, cls = confidence_cue(answer.confidence)
    headline, hint = abstention_texts(answer.abstention, answer.glossed)
    return AnswerView(answer.question, answer.abstained, answer.conflict, answer.reason or "", headline, hint,
                      answer.confidence, label, cls, lines, [view for _, view in sources], answer.asked_as,
                      asked_as_label(answer.glossed), note(answer))


def note(answer: Answer) -> str:
    """The line under an answer: how to read a yes-or-no answer, or the year a relative one means."""
    if answer.yes_no:
        return say("yes_no_note")
    if answer.dated and not answer.abstained:
        return say("dated_note", span=answer.span, date=answer.date, dated=answer.dated)
    return ""


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _pair(value: object) -> tuple[int, int] | None:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


def _citation_from_dict(c: dict[str, object]) -> Citation:
    return Citation(source=str(c["source"]), title=str(c.get("title") or ""), date=_text(c.get("date")),
                    passage=str(c["passage"]), start=int(str(c["start"])), end=int(str(c["end"])),
                    highlight=_pair(c.get("highlight")), score=float(str(c.get("score", 0.0))),
                    role=str(c.get("role", "supporting")), span=_pair(c.get("span")))


def answer_from_dict(data: dict[str, object]) -> Answer:
    """An Answer back from ``Answer.to_dict()`` (conversation history kept in the browser)."""
    raw = data.get("citations")
    citations = [_citation_from_dict(c) for c in raw if isinstance(c, dict)] if isinstance(raw, list) else []
    return Answer(question=str(data.get("question", "")), text=str(data.get("text", "")),
                  span=_text(data.get("span")), abstained=bool(data.get("abstained")),
                  confidence=float(str(data.get("confidence", 0.0))), conflict=bool(data.get("conflict")),
                  citations=citations, reason=_text(data.get("reason")), abstention=_text(data.get("abstention")),
                  asked_as=_text(data.get("asked_as")), glossed=bool(data.get("glossed")),
                  yes_no=bool(data.get("yes_no")), dated=_text(data.get("dated")), date=_text(data.get("date")))
