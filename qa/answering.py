"""The public entry points ``answer`` and ``retrieve``: load the index and model once, thread-safely."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .chinese import CJK_RE
from .config import Settings
from .english import Texts, gloss, is_english
from .enumerations import with_unit
from .followups import follow_up
from .questions import asks_nothing, check_question, plain_question, split_questions
from .types import Answer, Hit
from .yes_no import asks_yes_or_no, says_yes_or_no

if TYPE_CHECKING:
    from .choosing import Choice
    from .reader import Passage, Reader, Reading
    from .windows import RankedSentence

log = logging.getLogger(__name__)

# The reader reads windows of WINDOW_CHARS around the READ_SENTENCES best sentences of the
# READ_CHUNKS best chunks (measured on the dev split: bench/calibrate_reader.py; 4 sentences were
# within noise of 3 and made the forward pass 40% slower, 5 lowered the utility of abstaining).
# A sentence scored more than READ_GAP below the best gets no window: on the dev split that halved
# the median reading time and raised CMRC F1 by 0.020 (DRCD within noise; see the model card).
# When the reader then abstains, the question is read again with a window around each of the
# READ_SENTENCES best (on the dev split 3% of readings; DRCD answered +1.8% of its questions).
READ_CHUNKS = 5
READ_SENTENCES = 3
WINDOW_CHARS = 160
READ_GAP = 0.1
# Spans the reader proposes for the choice to weigh (dev: 20 picked better than 10).
READ_SPANS = 20
# A counting question without its measure word takes the one the passages count the thing in
# (enumerations.with_unit).
ADD_UNIT = True
# How much of the articles an English question's words are looked up in, beside the passages
# retrieved for it: glossing a question in 3 million characters took 0.22 s, in 300,000 0.02 s.
CORPUS_CHARS = 2_000_000


@dataclass(frozen=True)
class Evidence:
    """What a question is answered from: the retrieved chunks best first, the sentences of the best
    ones ranked, the windows the reader reads, and how many of the ranked sentences they were
    built around."""

    hits: list[Hit]
    ranked: list["RankedSentence"]
    windows: list["Passage"]
    read_count: int


class Engine:
    """A loaded index with its encoder, retriever and extractor.

    Args:
        settings: where the index and articles are and which model to use.
        build_if_missing: build the index from ``settings.seeds_dir`` when none exists.
    """

    def __init__(self, settings: Settings, build_if_missing: bool = True, progress: bool = True) -> None:
        from . import store
        from .choosing import Calibration
        from .embedding import Encoder
        from .reader import resolve_reader
        from .retrieval import Retriever

        self.settings = settings
        try:
            data = store.open_store(settings)
        except store.IndexMissing:
            if not build_if_missing:
                raise
            from .building import build_index

            log.warning("no index in %s: building it from %s", settings.index_dir, settings.seeds_dir)
            build_index(settings, progress=progress)
            data = store.open_store(settings)
        from .integrity import model_changed
        from .messages import say

        if model_changed(data.manifest.model_identity, data.manifest.model):
            raise store.ModelChanged(say("index_model_changed", model=data.manifest.model, index=settings.index_dir))
        self.data = data
        self.encoder = Encoder(data.manifest.model, settings.batch_size)
        self.retriever = Retriever(data)
        self.reader_path = resolve_reader(settings.reader)
        self.reader = shared_reader(self.reader_path) if self.reader_path else None
        self.calibration = Calibration.load(self.reader_path)
        self._warm = False
        self._corpus: str | None = None
        self._counts: dict[str, int] = {}  # how often the corpus uses each word an English question looked up

    def gloss(self, question: str, near: str = "") -> str | None:
        """An English ``question`` in the articles' Chinese words (``english.gloss``), in those of
        the passages retrieved for it (``near``) first; None when no word of it has a Chinese gloss."""
        return gloss(question, Texts(self.corpus(), near, self._counts)) or None

    def corpus(self) -> str:
        """The articles' simplified text, joined, for glossing English questions in the words they
        use: loaded on the first one, the first ``CORPUS_CHARS`` characters of a large store."""
        if self._corpus is None:
            texts, size = [], 0
            for doc_id in self.data.documents:
                if size >= CORPUS_CHARS:
                    break
                texts.append(self.data.documents[doc_id].key)
                size += len(texts[-1])
            self._corpus = "\n".join(texts)[:CORPUS_CHARS]
        return self._corpus

    def warm_up(self) -> None:
        """Load the models now rather than on the first question (once; later calls are free)."""
        if self._warm:
            return
        from .names import given_names

        self.encoder.encode(["预热"])
        given_names("预热")  # jieba's part-of-speech tables, which the name check reads
        if self.reader is not None:
            self.reader.warm_up()
        self._warm = True

    def query(self, question: str):
        from .retrieval import make_query

        return make_query(question, self.encoder)

    def retrieve(self, question: str, top_k: int = 5, sources: list[str] | None = None) -> list[Hit]:
        return self.retriever.run(self.query(plain_question(check_question(question))), top_k, sources)

    def answer(self, question: str, top_k: int = 5, sources: list[str] | None = None,
               previous: str | None = None) -> Answer:
        return self.answer_and_hits(question, top_k, sources, previous=previous)[0]

    def evidence(self, query, top_k: int, sources: list[str] | None = None) -> Evidence:
        """The retrieved chunks (at least ``READ_CHUNKS``), the sentences of the best ones ranked,
        and the windows around the best sentences that the reader reads."""
        from .windows import rank_sentences, read_count, reading_windows

        hits = self.retriever.run(query, max(top_k, READ_CHUNKS), sources)
        ranked = rank_sentences(query.key, hits[:READ_CHUNKS], self.data, query.vector)
        count = read_count(ranked, READ_SENTENCES, READ_GAP)
        return Evidence(hits, ranked, reading_windows(ranked, self.data, count, WINDOW_CHARS), count)

    def widen(self, found: Evidence) -> Evidence | None:
        """The same evidence with a window around each of the ``READ_SENTENCES`` best sentences,
        or None when ``READ_GAP`` left none of them unread."""
        from .windows import reading_windows

        count = min(READ_SENTENCES, len(found.ranked))
        if found.read_count >= count:
            return None
        return Evidence(found.hits, found.ranked, reading_windows(found.ranked, self.data, count, WINDOW_CHARS), count)

    def choose(self, question: str, found: Evidence,
               widen: Callable[[Evidence], Evidence | None] | None = None) -> tuple["Choice", Evidence]:
        """The reader's choice over the evidence's windows; when it abstains and sentences were left
        unread, the choice over the widened windows (``widen``, default ``self.widen``) by the
        calibration's ``reread`` rule if that one answers. Returns the choice and the evidence it
        was made on."""
        from .choosing import choose

        choice = choose(self.read(question, found.windows), self.data, self.calibration, question,
                        found.ranked, found.read_count)
        wider = (widen or self.widen)(found) if choice.abstained and self.calibration.reread else None
        if wider is None:
            return choice, found
        second = choose(self.read(question, wider.windows), self.data, self.calibration.reread, question,
                        wider.ranked, wider.read_count)
        return (choice, found) if second.abstained else (second, wider)

    def read(self, question: str, windows: list["Passage"]) -> "Reading":
        """The reader's spans over ``windows``, each completed to the whole expression it cuts."""
        from .chinese import to_simplified
        from .completing import complete

        simplified = to_simplified(question)
        return complete(self.reader.run(simplified, windows, top_n=READ_SPANS), self.data, simplified)

    @staticmethod
    def _follow_up(previous: str | None, question: str) -> str | None:
        """``question`` read in full with the question before it, when it follows up on it."""
        try:
            return follow_up(plain_question(check_question(previous)), question) if previous else None
        except ValueError:  # a previous question that could not be asked: read this one alone
            return None

    def answer_and_hits(self, question: str, top_k: int = 5, sources: list[str] | None = None,
                        depth: int = 0, previous: str | None = None) -> tuple[Answer, list[Hit]]:
        """The answer and the ranked passages it was drawn from (``max(top_k, depth)`` of them).
        A follow-up ("那市级孵化器呢？") is read with ``previous``, the question asked before it."""
        from .choosing import Choice
        from .citing import cite
        from .composing import compose

        question = check_question(question)
        full = self._follow_up(previous, question)
        asked = plain_question(full or question)
        top_k = max(int(top_k), 1)
        read, glossed, found = self.read_as(asked, max(top_k, depth), sources)
        if self.reader is None:
            choice = Choice(None, None, [])
        elif not CJK_RE.search(read):  # the reader reads Chinese only
            choice = Choice(None, None, [], unread="not_chinese")
        elif asks_nothing(full or question):  # as typed: plain_question drops a closing 呢
            choice = Choice(None, None, [], unread="not_a_question")
        elif len(split_questions(question)) > 1:  # one answer cannot answer two questions
            choice = Choice(None, None, [], unread="several_questions")
        else:
            choice, found = self.choose(read, found)
            if choice.best is not None and asks_yes_or_no(read) and not says_yes_or_no(choice.best.text):
                choice = replace(choice, yes_no=True)
        citations = cite(choice, found.hits[:top_k], found.ranked, self.data, top_k)
        answer = compose(question, choice, found.ranked, citations, self.data, retrieval_only=self.reader is None)
        answer.asked_as = read if glossed else full
        answer.glossed = glossed
        return answer, found.hits

    def read_as(self, asked: str, top_k: int, sources: list[str] | None) -> tuple[str, bool, Evidence]:
        """The question as the models read it, whether that is an English question's gloss, and the
        evidence retrieved for it. An English question is glossed in the articles' words, then again
        in those of the passages the gloss retrieved; a counting question without its measure word
        takes the one those passages count the thing in (``ADD_UNIT``). Each change is retrieved again.

        Args:
            asked: the question, plain (``questions.plain_question``).
            top_k: how many chunks to retrieve (at least ``READ_CHUNKS``).
            sources: only these articles, when given.
        """
        english = is_english(asked)
        read = (self.gloss(asked) if english else None) or asked
        found = self.evidence(self.query(read), top_k, sources)

        def again(changed: str) -> tuple[str, Evidence]:
            return (read, found) if changed == read else (changed, self.evidence(self.query(changed), top_k, sources))

        if read != asked:
            read, found = again(self.gloss(asked, _near(found)) or read)
        if ADD_UNIT:
            read, found = again(with_unit(read, _near(found)))
        return read, english and read != asked, found


def _near(found: Evidence) -> str:
    """The text of the chunks the reader's windows come from (simplified), to read the question in."""
    return "\n".join(hit.chunk.key for hit in found.hits[:READ_CHUNKS])


_engines: dict[object, Engine] = {}
_readers: dict[Path, "Reader"] = {}
_lock = threading.Lock()
_reader_lock = threading.Lock()


def shared_reader(path: Path) -> "Reader":
    """One reader per folder for the whole process: engines of rebuilt indexes share it."""
    from .reader import Reader

    with _reader_lock:
        key = path.resolve()
        if key not in _readers:
            _readers[key] = Reader(key)
        return _readers[key]


def get_engine(index_dir: str | Path | None = None, settings: Settings | None = None) -> Engine:
    """The process-wide engine for ``index_dir`` (default ``QA_INDEX_DIR`` or ``index/``)."""
    settings = settings or Settings.from_env(index_dir=index_dir)
    key = _key(settings)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = Engine(settings)
            _engines[key] = engine
        return engine


def reload(index_dir: str | Path | None = None) -> Engine:
    """Load the index again (after a rebuild) and make it the one later calls use."""
    settings = Settings.from_env(index_dir=index_dir)
    engine = Engine(settings)
    with _lock:
        _engines[_key(settings)] = engine
    return engine


def _key(settings: Settings):
    """Which engine serves ``settings``: one per index folder, or per Milvus store."""
    return settings.index_dir.resolve() if settings.store == "faiss" else settings.store


def answer(question: str, top_k: int = 5, index_dir: str | Path | None = None,
           sources: list[str] | None = None, previous: str | None = None) -> Answer:
    """Answer ``question`` from the articles, with cited passages; abstain when they do not say.
    With ``previous`` (the question asked before it), a follow-up such as "那市级孵化器呢？" is
    read as the previous question about 市级孵化器; ``Answer.asked_as`` then says how it was read.

    Raises ``ValueError`` for an empty or over-long question.

    >>> a = answer("北京经开区有多少家市级孵化器?")  # doctest: +SKIP
    >>> a.text, a.span, a.citations[0].source       # doctest: +SKIP
    """
    check_question(question)
    return get_engine(index_dir).answer(question, top_k, sources, previous)


def retrieve(question: str, top_k: int = 5, index_dir: str | Path | None = None,
             sources: list[str] | None = None) -> list[Hit]:
    """The ``top_k`` passages that bear most on ``question`` (optionally only from ``sources``)."""
    check_question(question)
    return get_engine(index_dir).retrieve(question, top_k, sources)
