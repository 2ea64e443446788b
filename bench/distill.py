"""Several readers read as one (their start/end logits averaged), and distillation from such a mean
into one reader.

    python bench/compare_readers.py models/reader models/reader+/tmp/full      # passage given
    python bench/calibrate_reader.py --reader models/reader+/tmp/full           # over retrieved windows
    python bench/train_reader.py --init models/reader --teacher models/reader --teacher /tmp/full \\
        --distill 0.5 --synthetic /tmp/synth.jsonl --epochs 1 --lr 1e-4 --out /tmp/kd

Averaging the logits of several readers answers better than any one of them, but costs one forward
pass each; a student trained towards that mean reads once. A reader spec ``A+B`` names the mean of
the readers in folders ``A`` and ``B``. By default the teachers teach only where the answer lies (in
the windows that hold it); whether a window holds one stays with the labels, because the mean's
no-answer score abstained worse than the shipped reader's (model card).
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import torch


def folders(spec: str | Path) -> list[Path]:
    """The reader folders a spec names (``A+B``: two; a plain folder: one)."""
    return [Path(part) for part in str(spec).split("+")]


class MeanReader(torch.nn.Module):
    """Readers whose start and end logits are averaged, called like one question-answering model.

    Args:
        readers: loaded question-answering models (``MeanReader.load`` reads them from folders).
        null_from_first: take the no-answer logits ([CLS]) from the first reader alone, so that
            the mean proposes the spans and the first reader's no-answer score is kept.
    """

    def __init__(self, readers: list[torch.nn.Module], null_from_first: bool = False) -> None:
        super().__init__()
        self.readers = torch.nn.ModuleList(readers)
        self.null_from_first = null_from_first

    @classmethod
    def load(cls, paths: list[Path]) -> "MeanReader":
        """The mean of the readers in ``paths`` (weights as ``train_reader.py`` writes them), in float32."""
        from transformers import AutoModelForQuestionAnswering

        return cls([AutoModelForQuestionAnswering.from_pretrained(str(p), dtype=torch.float32) for p in paths]).eval()

    def forward(self, **inputs) -> SimpleNamespace:
        """The readers' mean start and end logits (``start_logits``, ``end_logits``)."""
        outs = [r(**inputs) for r in self.readers]
        start = sum(o.start_logits for o in outs) / len(outs)
        end = sum(o.end_logits for o in outs) / len(outs)
        if self.null_from_first:
            start[:, 0], end[:, 0] = outs[0].start_logits[:, 0], outs[0].end_logits[:, 0]
        return SimpleNamespace(start_logits=start, end_logits=end)


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """KL divergence from the teacher's to the student's distribution over the allowed positions
    (both already masked with the most negative float), scaled by the temperature squared."""
    import torch.nn.functional as F

    return F.kl_div(F.log_softmax(student / temperature, dim=-1), F.log_softmax(teacher / temperature, dim=-1),
                    log_target=True, reduction="batchmean") * temperature ** 2


def taught_loss(out, teachers: MeanReader, inputs: dict, allowed: torch.Tensor, answered: torch.Tensor,
                temperature: float, null: bool = False) -> torch.Tensor:
    """The student's divergence from the teachers' mean start and end distributions.

    Args:
        out: the student's output (raw ``start_logits``, ``end_logits``).
        teachers: the readers taught from.
        inputs: the batch's model inputs.
        allowed: the positions a span may take, [CLS] (no answer) included.
        answered: which windows hold the answer.
        temperature: the softmax temperature of the soft targets.
        null: also teach the no-answer position, on every window; else the teachers teach only where
            the answer lies, in the windows that hold it, and whether there is one is left to the
            labels (a teacher's no-answer score may be weaker than the student's).
    """
    with torch.no_grad():
        taught = teachers(**inputs)
    rows = slice(None) if null else answered
    if not null:
        allowed = allowed.clone()
        allowed[:, 0] = False
    if not bool(allowed[rows].any()):
        return out.start_logits.new_zeros(())
    neg = torch.finfo(out.start_logits.dtype).min
    pairs = [(s.masked_fill(~allowed, neg)[rows], t.masked_fill(~allowed, neg)[rows])
             for s, t in ((out.start_logits, taught.start_logits), (out.end_logits, taught.end_logits))]
    return sum(soft_loss(s, t, temperature) for s, t in pairs) / 2


def read_with_mean(spec: str, null_from_first: bool = False) -> str:
    """Make the project's ``Reader`` read with the mean of the readers ``spec`` names (with the first
    one's no-answer score when ``null_from_first``); return the first folder, whose tokenizer and
    window shape it keeps (for ``calibrate_reader.py``)."""
    from qa.reader import Reader

    paths = folders(spec)
    if len(paths) > 1:
        load = Reader.warm_up

        def warm_up(self) -> None:
            load(self)  # the tokenizer and the first reader, as always
            if not isinstance(self.model, MeanReader):
                self.model = MeanReader([self.model, *MeanReader.load(paths[1:]).readers], null_from_first).eval()

        Reader.warm_up = warm_up
    return str(paths[0])
