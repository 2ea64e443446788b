"""Turn raw article text into the article alone: boilerplate lines out, glosses and mojibake mended.

The rules are generic web-news rules (navigation, link lists, credits, footers), not rules for any
particular file.

>>> clean_text("首页 > 新闻 > 正文\\n中關(guān)村學(xué)習(xí)。\\n相关阅读\\n某某新闻标题\\n")
'中關村學習。'
"""
from __future__ import annotations

import re

from .chinese import to_simplified

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

# A pinyin gloss glued to a character: 學(xué) — lower-case letters with at least one tone mark.
_GLOSS_RE = re.compile(rf"(?<=\S)\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")
# A gloss cut short at the end of the text or line: 技術(s
_TRUNCATED_GLOSS_RE = re.compile(rf"(?<=[{_CJK}])\([a-zü{_TONED}]{{1,6}}$", re.M)
# GBK text shifted by one byte after a lost lead byte: "。”胡偉武說" shows as "?!焙鷤ノ湔f".
_SHIFTED_RUN_RE = re.compile(r"\?!([^\x00-\x7f]*[\x21-\x3e\x40-\x7e]?)")
# A '?' left where a character was lost, followed by the remains of its gloss: "?yàn)I".
_LOST_GLOSS_RE = re.compile(rf"\?[a-zü{_TONED}]{{1,6}}\)")
_LOST_CHAR_RE = re.compile(rf"(?<=[{_CJK}》”。])\?(?=[{_CJK}《“\d])")

_LINK_LIST_HEADINGS = re.compile(
    r"^[【\[]?(相关阅读|相关新闻|相关文章|相关链接|相关推荐|延伸阅读|推荐阅读|推荐新闻|今日新闻|"
    r"热点新闻|热门新闻|热门推荐|猜你喜欢|最新评论|最新消息|网友评论|更多新闻|往期回顾)[】\]]?[:：]?$"
)
_BOILERPLATE_LINE = [
    re.compile(r"^\S{1,12}\s*(>|>|›|»|/)\s*\S{1,12}(\s*(>|>|›|»|/)\s*\S{1,20})+$"),  # breadcrumb
    re.compile(r"(您|你)?(当前|所在)的?位置[:：]"),
    re.compile(r"请说话|没听清|语音播报|听新闻|朗读本文|点击播放"),
    re.compile(r"\.(jpe?g|png|gif|webp|bmp)\s*$", re.I),
    re.compile(r"(/|／)\s*摄\s*$|(记者|通讯员|摄影)\s*\S{2,12}\s*摄\s*$|供图\s*$|资料图\)?\s*$|^[(（]?图片?来源"),
    re.compile(r"摄\s*[/／|]\s*\S{1,10}$"),  # a caption's credit: "张三摄 / 本刊"
    re.compile(r"^[(（](相关)?资料图[)）]$"),
    re.compile(r"ICP备|ICP证|版权所有|copyright|all rights reserved|公网安备|违法和不良信息举报", re.I),
    re.compile(r"^(文|摄影|摄|编辑|责编|责任编辑|审核|校对|来源|作者|图)[\s?]*[/／|:：]"),
    re.compile(r"^[【\[]?(本文地址|打印本页|关闭窗口|分享到|扫一扫|字体[:：]?\s*大|返回顶部)"),
    re.compile(r"即将离开.*(网站|门户)|是否继续[?？]?$"),
    re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$"),  # a video's running time
    re.compile(r"^\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}\s*\|\s*来源"),
    re.compile(r"查看[:：]\s*\d+\s*$"),
]
# A photo caption: what the picture shows, in a sentence, then the credit ("…换新装。 张磊/摄").
_CAPTION = re.compile(r"^(?P<says>.*[\u4e00-\u9fff].*[。！？!?])\s*(?P<credit>[^。！？!?]{1,40})$")


def repair_mojibake(text: str) -> str:
    """Mend or drop mojibake runs and lost characters; leaves ordinary text alone."""

    def shifted(match: re.Match[str]) -> str:
        try:
            data = b"\xa1" + match.group(1).encode("gbk")
        except UnicodeEncodeError:
            return "。"
        for candidate in (data, data[:-1]):  # the last byte may belong to a character that was lost
            try:
                fixed = candidate.decode("gbk")
            except UnicodeDecodeError:
                continue
            if re.fullmatch(rf"[{_CJK}“”‘’《》、，,。：:\w()（）]+", fixed):
                return "。" + fixed
        return "。"

    repaired = _SHIFTED_RUN_RE.sub(shifted, text)
    repaired = _LOST_GLOSS_RE.sub("", repaired)
    if repaired == text:
        return text  # no mojibake seen: a '?' here is a real question mark
    return _LOST_CHAR_RE.sub(" ", repaired)


def remove_glosses(text: str) -> str:
    """Remove pinyin glosses glued to characters: ``學(xué)習(xí)`` → ``學習``."""
    return _TRUNCATED_GLOSS_RE.sub("", _GLOSS_RE.sub("", text))


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture rather than article text, in either script (the
    patterns are written in simplified characters and matched against the simplified form)."""
    return _is_boilerplate_key(to_simplified(line.strip()))


def _is_boilerplate_key(key: str) -> bool:
    return any(p.search(key) for p in _BOILERPLATE_LINE)


def caption_says(line: str, key: str | None = None) -> str | None:
    """What a photo caption says, without its credit ("光至R1发布。张磊/摄" → "光至R1发布。"), or
    None when ``line`` is not a sentence followed by a credit. ``key`` is its simplified form."""
    match = _CAPTION.match(key if key is not None else to_simplified(line))
    if not match or not _is_boilerplate_key(match["credit"]) or _is_boilerplate_key(match["says"]):
        return None
    return line[: match.end("says")]


def _is_prose(line: str) -> bool:
    return len(line) >= 60 and line[-1] in "。！？!?”」"


def clean_lines(lines: list[str], keys: list[str] | None = None) -> list[str]:
    """Drop boilerplate lines, link lists after their heading, and repeated short lines.
    ``keys`` are the same lines in simplified form (converted once by the caller), which the
    rules are matched against."""
    kept: list[str] = []
    seen_short: set[str] = set()
    in_link_list = False
    if keys is None:
        keys = [to_simplified(line) for line in lines]
    for raw, raw_key in zip(lines, keys):
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        key = raw_key.strip().replace("\u3000", " ").strip()
        if _LINK_LIST_HEADINGS.match(key):
            in_link_list = True
            continue
        if in_link_list:
            if not _is_prose(line):
                continue
            in_link_list = False
        if _is_boilerplate_key(key):
            line = caption_says(line, key) or ""
            if not line:
                continue
        if len(line) < 80:
            if line in seen_short:
                continue
            seen_short.add(line)
        kept.append(line)
    return kept


def clean_text(raw: str) -> str:
    """Full cleaning of one article's raw text; paragraphs are joined by single newlines."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    text = repair_mojibake(remove_glosses(text))
    text = remove_glosses(text)
    lines, keys = text.split("\n"), to_simplified(text).split("\n")
    return "\n".join(clean_lines(lines, keys if len(keys) == len(lines) else None))
