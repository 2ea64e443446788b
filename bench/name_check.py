"""What the name check (``qa/names.py``, ``choosing.CHECK_NAMES``) does; prints the figures.

    python bench/name_check.py [--split dev|all] [--limit N]

Each data set's split is indexed as one corpus (``--split all``: the whole CMRC 2018 and DRCD dev
folders, whose non-dev part the reader was trained on). Every question that gives a name its own
article mentions (``names.given_names``) is asked through the answer path with the check off and on:

* as written: the articles answer it; a right answer the check turns into an abstention is its cost;
* with that name swapped for a name of the same kind that another question of the set gives and
  its own article never mentions (drawn with a fixed seed): the article no longer answers it. An
  answer from an article that does not mention the new name is wrong; one from an article that
  does may be right (another article may state the same thing of it), and is counted apart.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402

SEED = 13


def kind(name: str) -> str:
    """A name's kind for swapping like for like: a model, or jieba's tag of it as one word."""
    from qa.names import CODE, tagged

    if CODE.fullmatch(name):
        return "model"
    words = tagged(name)
    return words[-1][1] if len(words) == 1 else "phrase:" + name[-1]


def swaps(questions, articles: dict[str, str], title: dict[str, str]) -> dict[str, str]:
    """For each question id, the question with one name its article mentions swapped for another
    of the same kind its article never mentions."""
    from qa.names import given_names, key, unstated_name

    pool: dict[str, list[str]] = {}
    present = {}
    for q in questions:
        text = articles[title[q.source]]
        present[q.id] = [n for n in given_names(q.question) if unstated_name([n], text) is None]
        for n in present[q.id]:
            pool.setdefault(kind(n), [])
            if n not in pool[kind(n)]:
                pool[kind(n)].append(n)
    rng = random.Random(SEED)
    out = {}
    for q in questions:
        if not present[q.id]:
            continue
        name = present[q.id][0]
        text = articles[title[q.source]]
        others = [n for n in pool[kind(name)] if unstated_name([n], text) is not None and n not in name and name not in n]
        if not others:
            continue
        asked = key(q.question)
        at = asked.find(name)
        if at < 0:
            continue
        out[q.id] = q.question[:at] + rng.choice(others) + q.question[at + len(name):]
    return out


def run_set(folder: Path, limit: int | None) -> dict[str, list[int]]:
    """Counts per (asked form, check) of [right, wrong, abstained, answered from an article naming the swapped-in name]."""
    import qa.choosing
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.evaluation import answer_hit, index_corpus
    from qa.names import given_names, key, unstated_name

    questions, documents = load_questions(folder)
    engine = Engine(index_corpus(documents), build_if_missing=False)
    articles: dict[str, str] = {}
    for d in documents:
        articles[d.title] = articles.get(d.title, "") + "\n" + key(d.title) + "\n" + key(d.text)
    title = {d.source: d.title for d in documents}
    swapped = swaps(questions, articles, title)
    counts = {f"{form}, check {state}": [0, 0, 0, 0] for form in ("as written", "name swapped") for state in ("off", "on")}
    for n, q in enumerate([q for q in questions if q.id in swapped]):
        if limit and n >= limit:
            break
        for form, text in (("as written", q.question), ("name swapped", swapped[q.id])):
            for state in ("off", "on"):
                qa.choosing.CHECK_NAMES = state == "on"
                a = engine.answer(text, 5)
                row = counts[f"{form}, check {state}"]
                if a.abstained:
                    row[2] += 1
                elif form == "as written":
                    row[0 if answer_hit(a.text, q.answers) else 1] += 1
                else:
                    new = [x for x in given_names(text) if x not in given_names(q.question)]
                    doc = engine.data.documents[a.spans[0].doc_id]
                    row[3 if new and unstated_name(new, key(doc.title) + "\n" + key(doc.text)) is None else 1] += 1
    qa.choosing.CHECK_NAMES = True
    return counts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("dev", "all"), default="dev")
    p.add_argument("--limit", type=int, default=None, help="only the first N questions of each set")
    args = p.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in reader_data.benchmark_folders(args.split, Path(tmp)).items():
            counts = run_set(folder, args.limit)
            print(f"{name} ({args.split}), questions giving a name their article mentions: "
                  "right / wrong / abstained / answered from an article naming the new name")
            for key, (right, wrong, abstained, naming) in counts.items():
                print(f"  {key:28} {right:4d} / {wrong:4d} / {abstained:4d} / {naming:4d}")
    print(f"({time.time() - started:.0f} s; an answer is right when its sentence holds a reference answer)")


if __name__ == "__main__":
    main()
