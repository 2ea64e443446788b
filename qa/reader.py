"""The trained span reader: reads windows of text and proposes answer spans with a no-answer score.

A 4-layer Chinese RoBERTa fine-tuned as an extractive reader (SQuAD 2.0 style: start and end
logits over the passage tokens, the ``[CLS]`` token standing for "no answer"), trained by
``bench/train_reader.py``; its weights ship in ``models/reader/``. The reader reads the
simplified form of a text (same length as the original, so offsets carry over unchanged).

>>> reader = Reader()                                           # doctest: +SKIP
>>> reader.run("谁发明了电话？", [Passage("d1", 0, "贝尔发明了电话。")]).spans[0].text  # doctest: +SKIP
'贝尔'
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .messages import say

log = logging.getLogger(__name__)

DEFAULT_READER = Path(__file__).resolve().parent.parent / "models" / "reader"
MAX_LENGTH = 192
STRIDE = 64
MAX_ANSWER_TOKENS = 48
MAX_QUESTION_CHARS = 64
SENTENCE_ENDS = "。！？；!?;"


@dataclass(frozen=True)
class Passage:
    """Text for the reader: ``text`` starts at ``offset`` of document ``doc_id``."""

    doc_id: str
    offset: int
    text: str


@dataclass(frozen=True)
class Span:
    """A proposed answer: ``text`` is ``document.text[start:end]`` of ``doc_id`` (in the reader's
    script); ``score`` is start + end logit."""

    doc_id: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class Reading:
    """What the reader proposes for one question: spans best first, and the lowest no-answer
    score over the windows (the window the reader found most answerable)."""

    spans: list[Span] = field(default_factory=list)
    null: float = 0.0

    @property
    def margin(self) -> float:
        """Best span score minus the no-answer score; below the calibrated threshold: abstain."""
        return self.spans[0].score - self.null if self.spans else float("-inf")


def resolve_reader(name: str | None) -> Path | None:
    """Folder of the reader named by ``name`` (``QA_READER``): default, a path, or ``none``."""
    name = name if name is not None else os.environ.get("QA_READER", "")
    if name.strip().lower() == "none":
        return None
    path = Path(name).expanduser() if name.strip() else DEFAULT_READER
    if not (path / "config.json").is_file():
        raise RuntimeError(say("reader_missing", path=path))
    return path


class Reader:
    """Extractive reader over windows of text, batched in one forward pass per call.

    Args:
        path: folder with ``config.json``, weights (safetensors) and tokenizer files.
        max_length: tokens per window (question included).
        stride: tokens shared by consecutive windows of a long text.
        max_answer_tokens: the longest span proposed.
    """

    def __init__(self, path: str | Path | None = None, max_length: int = MAX_LENGTH, stride: int = STRIDE,
                 max_answer_tokens: int = MAX_ANSWER_TOKENS) -> None:
        self.path = Path(path) if path else DEFAULT_READER
        self.max_length = max_length
        self.stride = stride
        self.max_answer_tokens = max_answer_tokens
        self.model: Any = None
        self.tokenizer: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_model(cls, model: Any, tokenizer: Any, **kwargs: Any) -> "Reader":
        """A reader around an already loaded model (used while training)."""
        reader = cls(**kwargs)
        reader.model, reader.tokenizer = model, tokenizer
        return reader

    def warm_up(self) -> None:
        """Load the tokenizer and model (float32 on the CPU) once."""
        with self._lock:
            if self.model is not None:
                return
            import torch
            from transformers import AutoModelForQuestionAnswering, AutoTokenizer

            from .embedding import quiet_model_loading

            quiet_model_loading()
            self.tokenizer = AutoTokenizer.from_pretrained(str(self.path))
            model = AutoModelForQuestionAnswering.from_pretrained(str(self.path), dtype=torch.float32)
            model.eval()
            self.model = model

    def encode(self, question: str, passages: list[Passage]) -> dict[str, Any]:
        """Token windows of (question, passage) pairs, with offsets and the passage of each window."""
        self.warm_up()
        question = question[:MAX_QUESTION_CHARS]
        with self._lock:  # a fast tokenizer changes its own truncation state: one call at a time
            return self.tokenizer(
                [question] * len(passages), [p.text for p in passages],
                truncation="only_second", max_length=self.max_length, stride=self.stride,
                return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                return_tensors="np",
            )

    def forward(self, features: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """Start and end logits of every window (one batched forward pass, no gradients)."""
        import torch

        inputs = {k: torch.from_numpy(features[k]) for k in ("input_ids", "attention_mask", "token_type_ids")
                  if k in features}
        with torch.inference_mode():
            out = self.model(**inputs)
        return out.start_logits.float().numpy(), out.end_logits.float().numpy()

    def run(self, question: str, passages: list[Passage], top_n: int = 10) -> Reading:
        """Read ``passages`` for ``question``: the ``top_n`` best spans over all windows.

        Args:
            question: the question (simplified form reads best).
            passages: texts to read, each with the document offset of its first character.
            top_n: how many spans to keep.

        Returns:
            A ``Reading`` with spans best first and the lowest no-answer score over the windows.
        """
        if not passages:
            return Reading([], 0.0)
        features = self.encode(question, passages)
        starts, ends = self.forward(features)
        return decode(features, starts, ends, passages, self.max_answer_tokens, top_n)


def decode(features: dict[str, Any], starts: np.ndarray, ends: np.ndarray, passages: list[Passage],
           max_answer_tokens: int = MAX_ANSWER_TOKENS, top_n: int = 10) -> Reading:
    """Best spans over all windows from the start/end logits (context tokens only)."""
    window_passage = features["overflow_to_sample_mapping"]
    offsets = features["offset_mapping"]
    types = features["token_type_ids"] if "token_type_ids" in features else None
    mask = features["attention_mask"]
    spans: dict[tuple[str, int, int], Span] = {}
    null = float("inf")
    for w in range(len(starts)):
        passage = passages[int(window_passage[w])]
        if types is not None:
            context = (types[w] == 1) & (mask[w] == 1)
        else:
            context = mask[w] == 1
        context &= offsets[w][:, 1] > offsets[w][:, 0]
        idx = np.flatnonzero(context)
        if not len(idx):
            continue
        null = min(null, float(starts[w, 0] + ends[w, 0]))
        s_log, e_log = starts[w, idx], ends[w, idx]
        # scores[i, j] = start at idx[i] + end at idx[j], for i <= j < i + max_answer_tokens.
        scores = s_log[:, None] + e_log[None, :]
        gap = idx[None, :] - idx[:, None]
        scores = np.where((gap >= 0) & (gap < max_answer_tokens), scores, -np.inf)
        flat = np.argsort(-scores, axis=None)[: top_n * 4]
        for f in flat:
            i, j = divmod(int(f), len(idx))
            score = float(scores[i, j])
            if not np.isfinite(score):
                break
            a, b = int(offsets[w][idx[i]][0]), int(offsets[w][idx[j]][1])
            text = passage.text[a:b].strip()
            if not any(ch.isalnum() for ch in text) or any(mark in text[:-1] for mark in SENTENCE_ENDS):
                continue  # punctuation alone, or over a sentence end (0.3% of training answers are)
            lead = len(passage.text[a:b]) - len(passage.text[a:b].lstrip())
            start = passage.offset + a + lead
            key = (passage.doc_id, start, start + len(text))
            if key not in spans or spans[key].score < score:
                spans[key] = Span(passage.doc_id, start, start + len(text), text, score)
    ranked = sorted(spans.values(), key=lambda s: -s.score)[:top_n]
    return Reading(ranked, null if np.isfinite(null) else 0.0)
