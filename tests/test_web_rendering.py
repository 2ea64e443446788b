"""HTML from the templates: everything from articles and questions escaped; roles, numbers,
abstention and disagreement shown from the answer's own fields."""
from __future__ import annotations


def _citation(passage, highlight=None, source="a.txt", title="标题", start=0, role="answer", span=None):
    from qa.types import Citation

    return Citation(source=source, title=title, date="2024-01-02", passage=passage, start=start,
                    end=start + len(passage), highlight=highlight, score=0.9, role=role, span=span)


def _no_live_markup(fragment: str) -> None:
    lowered = fragment.lower()
    for bad in ("<script", "<img", "onerror=", "javascript:", "${", "{{", "**"):
        assert bad not in lowered, (bad, fragment)


def test_article_and_question_text_is_escaped():
    from qa.types import Answer, Document
    from qa.web.rendering import render_reply, render_sources

    evil = "共有271名<script>window.__xss=1</script>研究人员<img src=x onerror=\"window.__xss=2\">{{v}}${1+1}**b**"
    passage = "前文。" + evil + "后文。"
    at = 3 + 2
    answer = Answer(question="<img src=x onerror=alert(1)>多少?", text=evil, span="271名", abstained=False,
                    confidence=0.9, conflict=False,
                    citations=[_citation(passage, (3, 3 + len(evil)), title="<b>标题</b>", span=(at, at + 4))])
    doc = Document("d", "a.txt", "标题", None, passage + "结尾", passage + "结尾")
    reply, sources = render_reply(answer), render_sources(answer, {"a.txt": doc})
    for fragment in (reply, sources):
        _no_live_markup(fragment)
        assert "&#60;script&#62;" in fragment
    assert "<strong>271名</strong>" in reply
    assert '<mark class="qa-answer">' in sources and '<mark class="qa-passage">' in sources
    assert "&#60;b&#62;标题&#60;/b&#62;" in sources


def test_abstention_lists_related_passages_without_bold():
    from qa.types import Answer
    from qa.web.rendering import render_reply, render_sources

    near = _citation("火星上没有城市的记载。", (0, 11), role="supporting")
    answer = Answer(question="火星上有多少人?", text="", span=None, abstained=True, confidence=0.1,
                    conflict=False, citations=[near], reason="文章中没有相关内容。")
    reply, sources = render_reply(answer), render_sources(answer)
    assert "没有回答" in reply and "文章中没有相关内容。" in reply and "<strong>" not in reply.split("</strong>", 1)[1]
    assert "相关段落" in sources and "<strong>" not in sources.split("qa-passage-box")[1]
    empty = Answer(question="?", text="", span=None, abstained=True, confidence=0.0, conflict=False)
    assert "没有来源" in render_sources(empty) and 'class="qa-source ' not in render_sources(empty)


def test_a_yes_or_no_answer_shows_its_note_and_its_sentence_without_bold():
    from qa.types import Answer
    from qa.web.rendering import render_reply, render_sources

    passage = "中关村有独角兽企业40家。"
    answer = Answer(question="中关村有40家独角兽企业吗？", text=passage, span=None, abstained=False, confidence=0.9,
                    conflict=False, citations=[_citation(passage, (0, len(passage)))], yes_no=True)
    reply, sources = render_reply(answer), render_sources(answer)
    assert '<div class="qa-note">这是问“是不是”的问题' in reply and "独角兽企业40家" in reply
    assert "<strong>" not in reply.split("qa-note")[1].replace("<strong>答案", "")
    assert '<mark class="qa-answer">中关村有独角兽企业40家。</mark>' in sources


def test_an_english_question_shows_its_gloss_escaped():
    from qa.types import Answer
    from qa.web.rendering import render_reply

    answer = Answer(question="Who <b>is</b> it?", text="", span=None, abstained=True, confidence=0.1,
                    conflict=False, reason="文章中没有相关内容。", asked_as="<b>谁</b>？", glossed=True)
    reply = render_reply(answer)
    _no_live_markup(reply)
    assert '<div class="qa-asked-as">按词典译成中文来读：&#60;b&#62;谁&#60;/b&#62;？</div>' in reply
    assert "用中文提问会准确得多" in reply


def test_disagreement_numbers_each_figure_by_its_source():
    from qa.types import Answer
    from qa.web.rendering import render_reply, render_sources

    a, b = "共有80余家企业。", "培育企业105家。"
    answer = Answer(question="有几家?", text=a + "\n" + b, span="80余家 / 105家", abstained=False,
                    confidence=0.9, conflict=True, reason="不同文章给出的数字不一致。",
                    citations=[_citation(a, (0, len(a)), "x.txt", span=(2, 6)),
                               _citation(b, (0, len(b)), "y.txt", role="conflicting", span=(4, 8))])
    reply, sources = render_reply(answer), render_sources(answer)
    assert "说法不同" in reply
    assert "<strong>80余家</strong>" in reply and "<strong>105家</strong>" in reply
    first, second = reply.split('<div class="qa-answer-text">')[1:3]
    assert "qa-ref-1" in first and "80余家" in first and "qa-ref-2" in second and "105家" in second
    assert "x.txt" in sources and "y.txt" in sources and "说法不同" in sources


def test_articles_table_escapes_and_shows_every_column():
    from qa.web.library import ArticleRow
    from qa.web.rendering import render_articles

    rows = [ArticleRow("<x>.txt", "<script>标题</script>", None, 3, 2048, "2024-01-01 10:00")]
    html = render_articles(rows)
    _no_live_markup(html)
    assert "日期不详" in html and "2.0 KB" in html and "2024-01-01 10:00" in html and ">3<" in html
    assert "还没有文章" in render_articles([])


def test_progress_shows_a_bar_then_the_outcome():
    from qa.web.rebuilding import BuildStatus
    from qa.web.rendering import render_progress

    status = BuildStatus(stage="web_stage_embedding", done=32, total=64)
    html = render_progress(["✔ a.txt：已添加"], status)
    assert '<progress class="qa-progress" value="32" max="64">' in html and "计算向量" in html
    status.running, status.summary = False, "✔ 索引已更新"
    assert "<progress" not in render_progress([], status) and "索引已更新" in render_progress([], status)
