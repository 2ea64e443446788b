"""The dev readings the choice rule is fitted on, and their dump file.

A reading is one question asked once, with the evidence of every span the reader proposed
(``qa/span_evidence.py``) and how well each span matches the reference. ``calibrate_reader.py``
takes them (its slow part: every dev question through the answer path) and can store them with
``--readings FILE``; ``compare_readings.py`` and later calibrations load them back in seconds.
Dumps written before this module existed name the class ``choice_fit.Asked``, which still resolves:
``choice_fit`` imports it from here.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from qa.span_evidence import SpanEvidence


@dataclass
class Asked:
    """One question asked once: its spans' evidence (rows, in FEATURES order) and labels.
    ``kind``: "asked" (as is), "article" (its article withheld) or "sentence" (its article there,
    the sentences holding its answer cut out of the windows: ``near_miss.py``); ``withheld`` is
    true for both of the last two, which the articles do not answer."""

    dataset: str
    article: str
    withheld: bool
    evidence: np.ndarray
    em: np.ndarray
    f1: np.ndarray
    sentence_hit: np.ndarray
    kind: str = "asked"

    @cached_property
    def spans(self) -> list[SpanEvidence]:
        """The spans' evidence as the answer path weighs it."""
        return [SpanEvidence(*row) for row in self.evidence.tolist()]


def windows_setting() -> str:
    """The answer path's windows as configured now (qa/answering.py), in words."""
    from qa import answering

    return (f"windows of {answering.WINDOW_CHARS} characters around the {answering.READ_SENTENCES} best sentences "
            f"within {answering.READ_GAP} of the best")


@dataclass
class Readings:
    """Every dev question's readings: ``asked`` through the answer path's windows; ``wider`` the same
    question read again with a window around each of the best sentences (None where the read gap
    left none of them unread, so the reading would be the same; the list is None when not read)."""

    windows: str
    asked: list[Asked]
    wider: list[Asked | None] | None = None

    @property
    def widened(self) -> list[Asked]:
        """The readings with every window: the wider reading where there is one, else the same."""
        return [w or a for a, w in zip(self.asked, self.wider or [None] * len(self.asked))]


def save_readings(path: Path, readings: Readings) -> None:
    """Write a readings dump."""
    path.write_bytes(pickle.dumps({"windows": readings.windows, "asked": readings.asked, "wider": readings.wider}))


def load_readings(path: Path) -> Readings:
    """A readings dump (windows "unknown" for dumps written before they were kept)."""
    data = pickle.loads(path.read_bytes())
    readings = Readings("unknown", data) if isinstance(data, list) else Readings(data["windows"], data["asked"], data.get("wider"))
    for a in readings.asked + [w for w in readings.wider or [] if w is not None]:
        if a.withheld and a.kind == "asked":  # dumps from before kinds were kept
            a.kind = "article"
    return readings
