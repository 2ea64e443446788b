"""The reader's data: CMRC 2018 and DRCD passages and questions, and their fixed train/dev split.

The split is by article (passage title), never by question, so no dev passage shares its article
with a training passage: about one article in seven goes to dev (13% of CMRC passages, 11% of DRCD's). Every figure reported for the
reader is on the dev split.

``python bench/reader_data.py OUT`` writes the dev split as ``OUT/cmrc2018`` and ``OUT/drcd``
(``passages.jsonl`` and ``questions.jsonl``) for ``qa eval``.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
SETS = {"cmrc2018": "cmrc2018-dev", "drcd": "drcd-dev"}
DEV_ONE_IN = 7


@dataclass(frozen=True)
class Example:
    """A question on a passage; ``start`` is the answer's offset in ``context`` (-1: none)."""

    id: str
    dataset: str
    question: str
    context: str
    passage_id: str
    title: str
    answer: str
    start: int
    answers: tuple[str, ...]


def one_in(key: str, n: int) -> bool:
    """Whether ``key`` falls in a fixed hashed share of one in ``n`` (no randomness)."""
    return int(hashlib.md5(key.encode("utf-8")).hexdigest()[:8], 16) % n == 0


def is_dev(dataset: str, title: str) -> bool:
    """Whether an article belongs to the held-out dev split."""
    return one_in(f"{dataset}/{title}", DEV_ONE_IN)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load(dataset: str, bench: Path = BENCH) -> tuple[list[dict], list[dict]]:
    """Passages and questions of one data set, as stored."""
    folder = bench / SETS[dataset]
    return read_jsonl(folder / "passages.jsonl"), read_jsonl(folder / "questions.jsonl")


def examples(dataset: str, split: str, bench: Path = BENCH) -> list[Example]:
    """The questions of ``dataset`` in ``split`` ("train" or "dev") with their passages."""
    passages, questions = load(dataset, bench)
    by_id = {p["id"]: p for p in passages}
    out = []
    for q in questions:
        p = by_id[q["passage_id"]]
        if is_dev(dataset, p["title"]) != (split == "dev"):
            continue
        pairs = [(a, s) for a, s in zip(q["answers"], q["answer_starts"]) if s >= 0]
        answer, start = pairs[0] if pairs else (q["answers"][0], -1)
        out.append(Example(q["id"], dataset, q["question"], p["text"], p["id"], p["title"], answer, start,
                           tuple(q["answers"])))
    return out


def passages(dataset: str, split: str, bench: Path = BENCH) -> list[dict]:
    """The passages of ``dataset`` in ``split``."""
    return [p for p in load(dataset, bench)[0] if is_dev(dataset, p["title"]) == (split == "dev")]


def write_split(out: Path, split: str = "dev", bench: Path = BENCH) -> None:
    """Write ``split`` of each data set as a passages/questions folder that ``qa eval`` reads."""
    for dataset in SETS:
        folder = out / dataset
        folder.mkdir(parents=True, exist_ok=True)
        kept = passages(dataset, split, bench)
        ids = {p["id"] for p in kept}
        questions = [q for q in load(dataset, bench)[1] if q["passage_id"] in ids]
        for name, rows in (("passages.jsonl", kept), ("questions.jsonl", questions)):
            with (folder / name).open("w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{dataset}: {len(kept)} passages, {len(questions)} questions -> {folder}")


def benchmark_folders(split: str, tmp: Path) -> dict[str, Path]:
    """Each data set's passages/questions folder: its dev split written under ``tmp`` (``split`` "dev"),
    or the whole shared dev folder (``split`` "all", whose non-dev part the reader was trained on)."""
    if split == "dev":
        write_split(tmp)
        return {name: tmp / name for name in SETS}
    return {name: BENCH / sub for name, sub in SETS.items()}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/reader_data.py OUT_FOLDER")
    write_split(Path(sys.argv[1]))
