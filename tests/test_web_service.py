"""The back end without Gradio: answering while articles are added, replaced and deleted."""
from __future__ import annotations

import pytest

QUESTION = "中关村论坛创办于哪一年?"


@pytest.fixture
def service(small_corpus, tmp_path, build, settings_for):
    from qa.web.service import WebService

    index = tmp_path / "index"
    build(small_corpus, index)
    return WebService(settings_for(small_corpus, index))


@pytest.mark.parametrize("value", [0, 11, 2.5, float("nan"), float("inf"), "x", None, True])
def test_top_k_checked(value):
    from qa.web.service import check_top_k

    with pytest.raises(ValueError, match="来源数量"):
        check_top_k(value)
    assert check_top_k(3) == 3 and check_top_k(10.0) == 10


def test_answers_keep_coming_during_a_rebuild(service, tmp_path):
    old = service.engine()
    article = tmp_path / "金沙湾报道.txt"
    article.write_text("金沙湾创新港建设提速\n金沙湾创新港目前共有457家科技企业入驻。\n", encoding="utf-8")
    result, thread, status = service.add([article])
    assert result.saved == ["金沙湾报道.txt"] and thread is not None
    answered = 0
    while thread.is_alive():
        answer, engine = service.answer(QUESTION, 3)
        assert "2007年" in answer.text
        answered += 1
    assert answered >= 1 and not status.error
    assert service.engine() is not old
    answer, _ = service.answer("金沙湾创新港有多少家科技企业入驻?", 3)
    assert "457家" in answer.text and answer.citations[0].source == "金沙湾报道.txt"
    assert "4 篇文章" in service.status_line()


def test_replace_then_delete(service, tmp_path, small_articles):
    article = tmp_path / "b_zhongguancun.txt"
    article.write_text(small_articles["b_zhongguancun.txt"].replace("2007年", "2009年"), encoding="utf-8")
    result, thread, _ = service.add([article])
    assert result.replaced == ["b_zhongguancun.txt"]
    thread.join()
    answer, _ = service.answer(QUESTION, 3)
    assert "2009年" in answer.text and "2007年" not in str(answer.citations) and not answer.conflict
    assert len(service.articles()) == 3
    message, thread, _ = service.delete("b_zhongguancun.txt")
    assert "已删除" in message
    thread.join()
    assert sorted(r.source for r in service.articles()) == ["a_kejiao.txt", "c_jingjinji.txt"]
    assert "2009年" not in service.answer(QUESTION, 3)[0].text
    assert "没有名为" in service.delete("b_zhongguancun.txt")[0]


def test_unindexed_lists_files_not_in_the_index(service):
    (service.settings.seeds_dir / "new.txt").write_text("新文章。\n内容。\n", encoding="utf-8")
    assert service.unindexed() == ["new.txt"]
