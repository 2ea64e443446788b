"""How many retrieved chunks the windows' sentence ranking should look through (``READ_CHUNKS``).

    python bench/read_chunks.py [--split train|dev] [--chunks 5 8 10] [--limit N]

The reader only reads windows around the best sentences of the ``READ_CHUNKS`` best chunks, so an
answer in the sixth chunk is never read, however well its sentence matches the question. Ranking
sentences costs a dot product per sentence (their vectors are stored), so looking through more
chunks is nearly free; the risk is more sentences competing for the three windows. For each count
this prints, by retrieval alone (no reader): how often the best sentence holds a reference answer,
how often a window read holds one, and the windows read per question. The default split is the
*training* split, where the windows were never tuned, so the count can be chosen there and checked
on the dev split end to end (``qa eval``).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reader_data  # noqa: E402


def measure(folder: Path, chunk_counts: list[int], limit: int | None) -> dict[int, dict[str, float]]:
    """Per chunk count: the share of questions whose best sentence holds an answer, whose windows
    hold one, and the mean number of windows, over the questions of ``folder`` (indexed whole)."""
    from qa import answering
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.chinese import normalize
    from qa.evaluation import index_corpus
    from qa.windows import rank_sentences, read_count, reading_windows

    questions, documents = load_questions(folder)
    questions = [q for q in questions if q.source is not None][:limit]
    engine = Engine(index_corpus(documents, progress=True), progress=False)
    totals = {n: {"best sentence": 0.0, "windows": 0.0, "windows read": 0.0} for n in chunk_counts}
    for q in questions:
        answers = [normalize(a) for a in q.answers if normalize(a)]
        query = engine.query(q.question)
        hits = engine.retriever.run(query, max(chunk_counts))
        for n in chunk_counts:
            ranked = rank_sentences(query.key, hits[:n], engine.data, query.vector)
            count = read_count(ranked, answering.READ_SENTENCES, answering.READ_GAP)
            windows = reading_windows(ranked, engine.data, count, answering.WINDOW_CHARS)
            best = normalize(ranked[0].sentence.text) if ranked else ""
            totals[n]["best sentence"] += any(a in best for a in answers)
            totals[n]["windows"] += any(a in normalize(w.text) for w in windows for a in answers)
            totals[n]["windows read"] += len(windows)
    return {n: {k: v / max(len(questions), 1) for k, v in row.items()} for n, row in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["train", "dev"], default="train")
    parser.add_argument("--chunks", type=int, nargs="+", default=[5, 8, 10])
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions of each set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp), args.split)
        for dataset in reader_data.SETS:
            started = time.perf_counter()
            rows = measure(Path(tmp) / dataset, args.chunks, args.limit)
            print(f"\n{dataset} ({args.split} split, {time.perf_counter() - started:.0f} s)")
            print("chunks | best sentence holds an answer | a window read holds one | windows per question")
            for n, row in rows.items():
                print(f"{n:6d} | {row['best sentence']:.3f} | {row['windows']:.3f} | {row['windows read']:.2f}")


if __name__ == "__main__":
    main()
