"""Split a document into sentences and into overlapping chunks, both with exact offsets.

Chunks come from langchain's RecursiveCharacterTextSplitter configured for Chinese: it splits at
paragraphs, then sentence ends (closing quotes kept with their sentence), then clauses, and only
cuts inside a sentence when that sentence alone is longer than the chunk size.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from .chinese import ATTRIBUTION, CLOSERS, SENTENCE_END, sentence_spans
from .integrity import code_fingerprint
from .types import Chunk, Document, Sentence

# Zero-width separators: after a run of sentence marks and any closing quotes, not before a closer
# nor between a quotation and its attribution.
_SEPARATORS = [
    r"\n+",
    rf"(?<=[{SENTENCE_END}])(?![{SENTENCE_END}{CLOSERS}])|(?<=[{SENTENCE_END}][{CLOSERS}])(?![{CLOSERS}])(?!{ATTRIBUTION.pattern})",
    r"(?<=[，,、：:])",
    "",
]


def splitting_rules() -> str:
    """A fingerprint of the code that cuts an article into the sentences and chunks an index holds
    (and the chunks' keyword tokens): an index built under other rules must be rebuilt whole."""
    return code_fingerprint("splitting.py", "chinese.py")


def split_sentences(doc: Document) -> list[Sentence]:
    """Every sentence of ``doc`` with offsets into ``doc.text``."""
    return [
        Sentence(doc.id, i, s, e, doc.text[s:e], doc.key[s:e])
        for i, (s, e) in enumerate(sentence_spans(doc.text))
    ]


def _splitter(chunk_size: int, chunk_overlap: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        strip_whitespace=True,
    )


def split_chunks(
    doc: Document, sentences: list[Sentence], chunk_size: int, chunk_overlap: int, first_id: int = 0
) -> list[Chunk]:
    """Chunks of ``doc`` (ids from ``first_id``), each knowing its offsets and sentence range."""
    pieces = _splitter(chunk_size, chunk_overlap).split_text(doc.text)
    starts = [s.start for s in sentences]
    ends = [s.end for s in sentences]
    chunks: list[Chunk] = []
    cursor = 0
    for piece in pieces:
        start = doc.text.find(piece, cursor)
        if start < 0:  # cannot happen for a splitter that only cuts; stay safe
            start = doc.text.find(piece)
        end = start + len(piece)
        cursor = start + 1
        # sentences overlapping [start, end): the first ending after start .. the last starting before end
        first, last = bisect_right(ends, start), bisect_left(starts, end) - 1
        if first > last:
            first, last = 0, -1
        else:
            first, last = sentences[first].index, sentences[last].index
        chunks.append(Chunk(first_id + len(chunks), doc.id, start, end, piece, doc.key[start:end], first, last))
    return chunks
