"""Several readers read as one (their start/end logits averaged), and distillation from such a mean
into one reader.

    python bench/compare_readers.py models/reader models/reader+/tmp/full      # passage given
    python bench/calibrate_reader.py --reader models/reader+/tmp/full           # over retrieved windows
    python bench/train_reader.py --init models/reader --teacher models/reader --teacher /tmp/full \\
        --distill 0.5 --synthetic /tmp/synth.jsonl --epochs 1 --lr 1e-4 --out /tmp/kd

Averaging the logits of several readers answers better than any one of them, but costs one forward
pass each; a student trained towards that mean reads once. A reader spec ``A+B`` names the mean of
the readers in folders ``A`` and ``B``.
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
        paths: reader folders (weights as ``train_reader.py`` writes them); read in float32.
    """

    def __init__(self, paths: list[Path]) -> None:
        from transformers import AutoModelForQuestionAnswering

        super().__init__()
        self.readers = torch.nn.ModuleList(
            AutoModelForQuestionAnswering.from_pretrained(str(p), dtype=torch.float32).eval() for p in paths)

    def forward(self, **inputs) -> SimpleNamespace:
        """The readers' mean start and end logits (``start_logits``, ``end_logits``)."""
        outs = [r(**inputs) for r in self.readers]
        return SimpleNamespace(start_logits=sum(o.start_logits for o in outs) / len(outs),
                               end_logits=sum(o.end_logits for o in outs) / len(outs))


class Teachers:
    """The soft targets of distillation: a ``MeanReader``'s logits for a training batch.

    Args:
        paths: the teacher readers' folders.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.mean = MeanReader(paths).eval()

    def logits(self, batch: dict) -> tuple[torch.Tensor, torch.Tensor]:
        """The teachers' mean start and end logits for ``batch`` (no gradients)."""
        inputs = {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
        with torch.no_grad():
            out = self.mean(**inputs)
        return out.start_logits, out.end_logits


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """KL divergence from the teacher's to the student's distribution over the allowed positions
    (both already masked with the most negative float), scaled by the temperature squared."""
    import torch.nn.functional as F

    return F.kl_div(F.log_softmax(student / temperature, dim=-1), F.log_softmax(teacher / temperature, dim=-1),
                    log_target=True, reduction="batchmean") * temperature ** 2


def read_with_mean(spec: str) -> str:
    """Make the project's ``Reader`` read with the mean of the readers ``spec`` names; return the
    first folder, whose tokenizer and window shape it keeps (for ``calibrate_reader.py``)."""
    from qa.reader import Reader

    paths = folders(spec)
    if len(paths) > 1:
        load = Reader.warm_up

        def warm_up(self) -> None:
            load(self)
            if not isinstance(self.model, MeanReader):
                self.model = MeanReader(paths).eval()

        Reader.warm_up = warm_up
    return str(paths[0])
