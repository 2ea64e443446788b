"""Large articles: reading, cleaning and splitting time against file size (it must grow linearly),
and how long an incremental rebuild takes once a big article is in the index.

    .venv/bin/python bench/bench_large_file.py [--sizes 2 8 30] [--rebuild-mb 5]

Articles are the seed articles repeated up to the size; the rebuild uses bench_scale's random
encoder, so the figures are the system's own costs, not the model's.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


def article_of(mb: float, base: str) -> str:
    """A text of about ``mb`` megabytes of UTF-8 (the seeds repeated)."""
    target = int(mb * 2**20)
    return (base * (target // len(base.encode("utf-8")) + 1))[: target // 3]


def main() -> None:
    from qa.reading import read_document
    from qa.splitting import split_chunks, split_sentences

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=float, nargs="+", default=[2, 8, 30])
    p.add_argument("--rebuild-mb", type=float, default=5)
    args = p.parse_args()
    base = seed_text()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("size MB  read+clean s  split s  s per MB  chunks")
        for mb in args.sizes:
            path = folder / f"big{mb:g}.txt"
            path.write_text(article_of(mb, base), encoding="utf-8")
            started = time.perf_counter()
            doc = read_document(path)
            read = time.perf_counter() - started
            started = time.perf_counter()
            chunks = split_chunks(doc, split_sentences(doc), 300, 60)
            split = time.perf_counter() - started
            print(f"{mb:7g}  {read:12.2f}  {split:7.2f}  {(read + split) / mb:8.2f}  {len(chunks):6d}")
            path.unlink()
        rebuild(folder, base, args.rebuild_mb)


def rebuild(folder: Path, base: str, mb: float) -> None:
    """Time a small change to an index that holds an ``mb`` MB article."""
    from bench_scale import RandomEncoder

    from qa.building import build_index
    from qa.config import Settings

    seeds, index = folder / "seeds", folder / "index"
    seeds.mkdir()
    (seeds / "big.txt").write_text(article_of(mb, base), encoding="utf-8")
    settings = Settings.from_env(seeds_dir=seeds, index_dir=index)
    encoder = RandomEncoder()
    first = build_index(settings, progress=False, encoder=encoder)
    (seeds / "small.txt").write_text("小文章标题\n北京经开区发布新的科技政策。\n", encoding="utf-8")
    second = build_index(settings, progress=False, encoder=encoder)
    print(f"index holding a {mb:g} MB article ({first.chunks} chunks): first build {first.seconds:.1f} s, "
          f"adding one small article {second.seconds:.1f} s (embedded {second.embedded_chunks} chunks)")


if __name__ == "__main__":
    main()
