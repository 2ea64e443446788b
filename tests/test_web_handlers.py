"""The page's event functions over a real service (no browser): history kept as answer records
is shown again, a clicked message shows its own turn's sources, the export holds every turn."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def handlers(small_corpus, tmp_path, build, settings_for):
    from qa.web.handlers import Handlers
    from qa.web.service import WebService

    index = tmp_path / "index"
    build(small_corpus, index)
    return Handlers(WebService(settings_for(small_corpus, index)))


def _saved(handlers, *questions):
    return [handlers.service.answer(q, 3)[0].to_dict() for q in questions]


def test_restore_shows_saved_turns_and_skips_broken_ones(handlers):
    saved = _saved(handlers, "中关村论坛创办于哪一年?") + [{"question": "坏记录", "citations": [{"source": "x"}]}]
    history, sources = handlers.restore(saved)
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "<strong>2007年</strong>" in history[1]["content"] and "qa-source" in sources


def test_show_turn_follows_the_clicked_message(handlers):
    saved = _saved(handlers, "中关村论坛创办于哪一年?", "联合工作办公室在哪里揭牌?")
    assert "中关村论坛" in handlers.show_turn(saved, 1) and "中关村论坛" in handlers.show_turn(saved, 0)
    assert "揭牌" in handlers.show_turn(saved, 3)
    assert handlers.show_turn(saved, 4) is None


def test_export_holds_every_turn(handlers):
    saved = _saved(handlers, "中关村论坛创办于哪一年?", "联合工作办公室在哪里揭牌?")
    text = Path(handlers.export(saved)).read_text(encoding="utf-8")
    assert text.count("## 问：") == 2 and "**2007年**" in text


def test_refresh_sends_the_table_only_when_the_index_changed(handlers):
    table, _, _, generation = handlers.refresh(None)
    assert "zhongguancun" in table and generation
    again = handlers.refresh(generation)
    assert again[3] == generation and not isinstance(again[0], str)


def test_a_message_asking_two_questions_gets_a_turn_for_each(handlers):
    *_, (box, history, _, _, saved) = handlers.ask("中关村论坛创办于哪一年？联合工作办公室在哪里揭牌？", [], 3, [])
    assert box == "" and [m["role"] for m in history] == ["user", "assistant"] * 2
    assert [r["question"] for r in saved] == ["中关村论坛创办于哪一年？", "联合工作办公室在哪里揭牌？"]
    assert "<strong>2007年</strong>" in history[1]["content"] and "揭牌" in history[3]["content"]


def test_a_follow_up_is_read_with_the_last_turn_and_says_how(handlers):
    from qa.web.handlers import previous_question

    saved = _saved(handlers, "经开区累计承接了多少项“三城”科技成果转化项目?")
    *_, (_, history, _, _, saved) = handlers.ask("那2017年呢?", [], 3, saved)
    full = "2017年经开区累计承接了多少项“三城”科技成果转化项目?"
    direct = handlers.service.answer(full, 3)[0]
    reply = history[-1]["content"]
    assert f"接着上一问，理解为：{full}" in reply and direct.span and f"<strong>{direct.span}</strong>" in reply
    assert previous_question(saved) == full  # a chain reads on from the full form
    assert previous_question(saved + [{"question": "x", "error": "出错了"}]) is None
    assert previous_question([]) is None
