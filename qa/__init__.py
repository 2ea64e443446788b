"""Extractive question answering over a folder of Chinese news articles.

>>> from qa import answer
>>> a = answer("北京经开区有多少家市级孵化器?")   # doctest: +SKIP
>>> a.span, a.citations[0].source                 # doctest: +SKIP
('15家', '000_a68577dcd4f9715c.txt')
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["answer", "retrieve", "build_index", "Answer", "Citation", "Hit", "Settings"]

if TYPE_CHECKING:
    from .answering import answer, retrieve
    from .building import build_index
    from .config import Settings
    from .types import Answer, Citation, Hit


def __getattr__(name: str) -> Any:
    # Heavy libraries load only when a public function is first used, so `qa --help` is instant.
    if name in ("answer", "retrieve"):
        from . import answering

        return getattr(answering, name)
    if name == "build_index":
        from .building import build_index

        return build_index
    if name == "Settings":
        from .config import Settings

        return Settings
    if name in ("Answer", "Citation", "Hit"):
        from . import types

        return getattr(types, name)
    raise AttributeError(name)
