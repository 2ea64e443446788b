"""The public API ``qa.answer`` / ``qa.retrieve`` on the real seed index and a conflict fixture."""
from __future__ import annotations

import json
import threading

import pytest

from qa.answering import Engine
from qa.chinese import to_simplified
from qa.composing import NOT_A_QUESTION, NOT_CHINESE, SEVERAL_QUESTIONS, YES_NO
from qa.evaluation import norm

CONFLICT_ARTICLES = {
    "report_a.txt": (
        "星海科技园发展报告\n"
        "2024-03-01\n"
        "星海科技园是一座以人工智能为主的园区。截至2023年底,星海科技园累计入驻企业1200家,其中上市企业12家。\n"
        "园区还建设了多个公共服务平台,服务企业超过3000家次。\n"
    ),
    "report_b.txt": (
        "星海科技园年度回顾\n"
        "2024-05-10\n"
        "星海科技园今年迎来快速发展。截至2023年底,星海科技园累计入驻企业1500家,园区年产值持续增长。\n"
        "园区管理方表示,将继续优化营商环境。\n"
    ),
}


@pytest.fixture(scope="module")
def engine(seed_index):
    settings, _, _ = seed_index
    return Engine(settings, build_if_missing=False)


@pytest.fixture(scope="module")
def conflict_engine(tmp_path_factory, encoder):
    from qa.building import build_index
    from tests.conftest import make_settings

    root = tmp_path_factory.mktemp("conflict")
    seeds = root / "articles"
    seeds.mkdir()
    for name, text in CONFLICT_ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    settings = make_settings(seeds, root / "index")
    build_index(settings, progress=False, encoder=encoder)
    return Engine(settings, build_if_missing=False)


def test_answer_contract_fields(engine):
    a = engine.answer("北京经开区有多少家市级孵化器?")
    assert "15家" in a.text and a.span == "15家"
    assert not a.abstained and not a.conflict
    assert 0.0 <= a.confidence <= 1.0
    first = a.citations[0]
    assert first.source == "000_a68577dcd4f9715c.txt"
    s, e = first.local(first.highlight)
    assert "15家" in first.passage[s:e]
    assert first.end - first.start == len(first.passage)


def test_citation_offsets_point_into_the_article(engine):
    a = engine.answer("北京流向津冀地区的技术合同有多少项?")
    for c in a.citations:
        doc = next(d for d in engine.data.documents.values() if d.source == c.source)
        assert doc.text[c.start:c.end] == c.passage


def test_to_dict_is_json_ready(engine):
    data = engine.answer("中关村论坛创办于哪一年?").to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text)["citations"][0]["highlight"] == data["citations"][0]["highlight"]
    assert set(data) >= {"text", "span", "abstained", "confidence", "conflict", "citations"}


def test_simplified_question_answered_from_traditional_article(engine):
    a = engine.answer("中共中央政治局集体学习是哪一天走进中关村的?")
    assert a.citations[0].source == "003_ef3a641ba3817a34.txt"
    assert "2013年9月30日" in a.text
    assert "學習" in a.text  # the answer stays as the article wrote it


def test_the_answer_span_is_the_whole_figure_or_date(engine):
    assert engine.answer("经开区内国家知识产权优势、示范企业有多少家?").span == "近50家"
    assert engine.answer("中共中央政治局集体学习是哪一天走进中关村的?").span == "2013年9月30日"


def test_a_near_miss_abstains_though_its_article_speaks_of_the_subject(engine):
    # the article tells the centre's results "截至2022年" and never when it was founded
    a = engine.answer("京津冀国家技术创新中心成立于哪一年?")
    assert a.abstained and a.abstention == "not_stated"
    assert "京津冀国家技术创新中心" in to_simplified(a.citations[0].passage)


@pytest.mark.parametrize("question", ["今天天气怎么样?", "上海浦东新区2023年的财政收入是多少?", "如何做红烧肉?"])
def test_off_topic_questions_abstain(engine, question):
    a = engine.answer(question)
    assert a.abstained and a.text == "" and a.span is None and a.reason
    assert all(c.span is None for c in a.citations)  # the closest passages, nothing marked as the answer


def test_a_question_about_a_year_the_articles_never_state_abstains_and_says_so(engine):
    # the articles tell of the 2024 forum: its theme is no answer about the 2025 one
    assert "建設更加美好的世界" in engine.answer("2024年中关村论坛的主题是什么?").span
    a = engine.answer("2025年中关村论坛的主题是什么?")
    assert a.abstained and a.span is None
    assert a.citations and all(c.span is None for c in a.citations)
    # where the 2024 theme is confident enough to be taken but for its year, the reason names the year
    b = engine.answer("中关村论坛2023年的主题是什么?")
    assert b.abstained and "2023年" in b.reason and b.abstention == "year_not_stated"


def test_a_question_about_a_place_the_answering_article_never_names_abstains_and_says_so(engine):
    # 40家 is the 中关村 figure; the articles that name 经开区 do not count its unicorns
    assert engine.answer("中关村有多少家独角兽企业?").span == "40家"
    a = engine.answer("经开区有多少家独角兽企业?")
    assert a.abstained and a.span is None and a.abstention == "name_not_stated" and "经开区" in a.reason
    b = engine.answer("上海有多少家独角兽企业?")  # a place no article mentions
    assert b.abstained and b.abstention == "name_not_stated" and "上海" in b.reason


def test_an_english_question_is_read_in_chinese_words_and_says_how(engine):
    a = engine.answer("Who is the founder of Loongson?")
    assert a.glossed and a.asked_as == "龙芯的创始人是谁？" and a.question == "Who is the founder of Loongson?"
    assert not a.abstained and to_simplified(a.span) == "胡伟武"
    assert a.to_dict()["glossed"] is True


def test_an_english_counting_question_is_read_with_the_articles_measure_word(engine):
    a = engine.answer("How many unicorn companies does Zhongguancun have?")
    assert a.asked_as == "中关村有多少家独角兽企业？" and a.span == "40家"


def test_an_english_question_finds_its_passage_through_the_gloss(engine):
    a = engine.answer("Which CPU did Loongson release in Beijing in November 2023?")
    assert a.glossed and "3A6000" in a.citations[0].passage


@pytest.mark.parametrize("question", ["Xyzzy plugh frobnicate?", "😀😀", "3A6000?"])
def test_a_question_with_nothing_to_read_abstains_asking_for_chinese(engine, question):
    a = engine.answer(question)
    assert a.abstained and a.reason == NOT_CHINESE and a.abstention == "not_chinese" and not a.glossed


def test_a_yes_or_no_question_is_answered_with_its_sentence_and_no_span(engine):
    a = engine.answer("中关村有40家独角兽企业吗？")
    assert not a.abstained and a.yes_no and a.span is None and a.reason == YES_NO
    assert "独角兽企业40家" in to_simplified(a.text) and a.to_dict()["yes_no"] is True


def test_a_bare_topic_is_not_answered_with_a_span_but_gets_its_closest_passages(engine):
    a = engine.answer("中关村论坛")
    assert a.abstained and a.span is None and a.abstention == "not_a_question" and a.reason == NOT_A_QUESTION
    assert a.citations and "中关村论坛" in to_simplified(a.citations[0].passage)


@pytest.mark.parametrize("phrase, span", [("中关村独角兽企业数量", "40家"), ("龙芯中科创始人", "胡偉武")])
def test_a_search_phrase_is_answered_as_the_question_it_stands_for(engine, phrase, span):
    a = engine.answer(phrase)
    assert not a.abstained and a.span == span


def test_a_relative_year_in_the_answer_is_read_against_its_article_date(engine):
    a = engine.answer("全国首张无人化出行服务商业化订单是什么时候诞生的？")
    assert a.span == "今年7月" and a.dated == "2022年7月" and a.date == "2022-09-04"
    assert a.to_dict()["dated"] == "2022年7月"
    b = engine.answer("北京经开区有多少家市级孵化器?")
    assert b.span == "15家" and b.dated is None and b.date is None


def test_a_string_asking_several_questions_is_not_answered_as_one(engine):
    a = engine.answer("中关村有多少家独角兽企业？龙芯的创始人是谁？")
    assert a.abstained and a.span is None and a.abstention == "several_questions" and a.reason == SEVERAL_QUESTIONS


@pytest.mark.parametrize("question, span", [("中关村特色产业园中有多少家上市企业?", "160家"),
                                            ("2024年经开区新增了多少家北京市知识产权试点单位?", "57家")])
def test_a_counting_question_gets_the_figure_of_its_enumeration_that_it_asks_for(engine, question, span):
    assert engine.answer(question).span == span


def test_a_counting_question_gets_a_figure_in_the_measure_word_it_names(engine):
    assert engine.answer("习近平总书记几次向中关村论坛致贺?").span == "三次"


def test_the_sentence_that_counts_what_is_asked_is_read(engine):
    # its chunk ranks fourth, below sentences that repeat the question's words but count nothing
    assert engine.answer("中关村特色产业园落地了多少个创新平台?").span == "240个"


@pytest.mark.parametrize("question, span", [("中关村有多少独角兽企业?", "40家"),
                                            ("国际科技创新中心网络服务平台发布了多少原创内容?", "3614条")])
def test_a_counting_question_without_its_measure_word_is_read_with_the_articles_one(engine, monkeypatch, question,
                                                                                      span):
    from qa import answering, windows

    monkeypatch.setattr(windows, "COUNT_WEIGHT", 0.0)  # the measure word alone, not the counting sentence
    assert engine.answer(question).span == span  # retrieved again with the measure word (条)
    monkeypatch.setattr(answering, "ADD_UNIT", False)
    assert engine.answer(question).span != span


@pytest.mark.parametrize("question, span", [("市级孵化器经开区有几家?", "15家"),
                                            ("国际科技创新中心网络服务平台发布了多少条原创内容?", "3614条")])
def test_a_counting_answer_is_one_figure_not_the_run_of_its_enumeration(engine, question, span):
    assert engine.answer(question).span == span


def test_a_follow_up_is_read_with_the_question_before_it(engine):
    previous = "北京经开区有几家国家级孵化器?"
    a = engine.answer("那区级孵化器呢?", previous=previous)
    assert a.asked_as == "北京经开区有几家区级孵化器?" and a.span == "9家"
    assert a.question == "那区级孵化器呢?" and a.to_dict()["asked_as"] == a.asked_as
    alone = engine.answer("那区级孵化器呢?")
    assert alone.asked_as is None and alone.span != "9家"


def test_a_follow_up_about_a_year_the_articles_do_not_mention_abstains(engine):
    a = engine.answer("那2022年呢?", previous="2024年经开区新增了多少家北京市知识产权优势单位?")
    assert a.asked_as.startswith("2022年") and a.abstained and "2022" in a.reason


def test_a_previous_question_that_cannot_be_asked_leaves_the_follow_up_alone(engine):
    assert engine.answer("那区级孵化器呢?", previous="   ").asked_as is None


def test_a_question_wrapped_in_polite_words_is_answered_as_the_bare_one(engine):
    wrapped = "请问中关村特色产业园中有多少家上市企业呢?"
    a = engine.answer(wrapped)
    assert a.span == engine.answer("中关村特色产业园中有多少家上市企业?").span == "160家"
    assert a.question == wrapped


def test_answerable_question_does_not_abstain(engine):
    assert not engine.answer("京津冀国家技术创新中心培育的硬科技企业中有几家是上市企业?").abstained


def test_disagreeing_articles_give_both_figures(conflict_engine):
    a = conflict_engine.answer("星海科技园累计入驻企业有多少家?")
    assert a.conflict
    assert "1200家" in a.text and "1500家" in a.text
    assert {c.source for c in a.citations[:2]} == {"report_a.txt", "report_b.txt"}


def test_single_source_figure_is_not_a_conflict(conflict_engine):
    a = conflict_engine.answer("星海科技园有多少家上市企业?")
    assert "12家" in a.text and not a.conflict


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_raises(engine, question):
    with pytest.raises(ValueError, match="问题是空的"):
        engine.answer(question)


def test_huge_question_refused(engine):
    with pytest.raises(ValueError, match="问题太长"):
        engine.answer("中关村" * 400)


@pytest.mark.parametrize("question", [
    "🚀🚀中关村🔥有多少家?", "中关村\x00\x07论坛", "<script>alert(1)</script>中关村论坛",
    "'; DROP TABLE articles; --", "What is the weather like today?", "？？？", "1234567",
])
def test_odd_questions_never_crash(engine, question):
    a = engine.answer(question)
    assert a.abstained or a.text


def test_retrieve_returns_scored_passages_with_offsets(engine):
    hits = engine.retrieve("中关村论坛 创新与发展 永久主题", top_k=3)
    assert 1 <= len(hits) <= 3
    assert hits[0].score >= hits[-1].score
    doc = engine.data.documents[hits[0].chunk.doc_id]
    assert doc.source == "003_ef3a641ba3817a34.txt"
    assert doc.text[hits[0].chunk.start:hits[0].chunk.end] == hits[0].chunk.text


def test_each_hit_names_its_article_file_headline_and_date(engine):
    for hit in engine.retrieve("中关村论坛创办于哪一年?", top_k=3):
        doc = engine.data.documents[hit.chunk.doc_id]
        assert (hit.source, hit.title, hit.date) == (doc.source, doc.title, doc.date)
        assert hit.source.endswith(".txt") and hit.title


def test_junk_question_abstains(engine):
    assert engine.answer("a" * 999).abstained


def test_retrieve_restricted_to_articles(engine):
    hits = engine.retrieve("中关村", top_k=5, sources=["004_fa746e4a09a8078d.txt"])
    assert hits and all(engine.data.documents[h.chunk.doc_id].source == "004_fa746e4a09a8078d.txt" for h in hits)


def test_concurrent_answers_agree(engine):
    results = []

    def ask():
        results.append(engine.answer("北京经开区有多少家市级孵化器?").span)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["15家"] * 6


def test_module_level_answer_uses_qa_index_dir(seed_index, monkeypatch):
    import qa

    settings, _, _ = seed_index
    monkeypatch.setenv("QA_INDEX_DIR", str(settings.index_dir))
    a = qa.answer("京津冀协同发展重大国家战略实施了多少年?")
    assert "9年多" in norm(a.text)


def test_sentences_far_below_the_best_are_not_read(engine, monkeypatch):
    import qa.answering

    query = engine.query("北京经开区有多少家市级孵化器?")
    monkeypatch.setattr(qa.answering, "READ_GAP", 0.0)
    narrow = engine.evidence(query, 5)
    monkeypatch.setattr(qa.answering, "READ_GAP", float("inf"))
    wide = engine.evidence(query, 5)
    assert narrow.read_count == 1 and len(narrow.windows) == 1
    assert wide.read_count == 3 and len(wide.windows) >= len(narrow.windows)
    best = narrow.windows[0]
    assert any(w.doc_id == best.doc_id and w.offset <= best.offset
               and best.offset + len(best.text) <= w.offset + len(w.text) for w in wide.windows)


def test_an_abstention_is_read_again_with_every_window(engine, monkeypatch):
    import dataclasses

    import qa.answering

    shipped = engine.calibration
    monkeypatch.setattr(qa.answering, "READ_GAP", 0.0)
    found = engine.evidence(engine.query("北京经开区有多少家市级孵化器?"), 5)
    never = dataclasses.replace(shipped, answer_above=1.1, reread=None)
    monkeypatch.setattr(engine, "calibration", dataclasses.replace(never, reread=dataclasses.replace(never, answer_above=0.0)))
    choice, read = engine.choose("北京经开区有多少家市级孵化器?", found)
    assert not choice.abstained and choice.best.text == "15家"
    assert found.read_count == 1 and read.read_count == 3 and len(read.windows) > len(found.windows)
    monkeypatch.setattr(engine, "calibration", never)
    choice, read = engine.choose("北京经开区有多少家市级孵化器?", found)
    assert choice.abstained and read is found


def test_nothing_is_read_again_when_every_window_was_read(engine, monkeypatch):
    import dataclasses

    import qa.answering

    monkeypatch.setattr(qa.answering, "READ_GAP", float("inf"))
    found = engine.evidence(engine.query("北京经开区有多少家市级孵化器?"), 5)
    assert engine.widen(found) is None
    never = dataclasses.replace(engine.calibration, answer_above=1.1)
    monkeypatch.setattr(engine, "calibration", dataclasses.replace(never, reread=dataclasses.replace(never, answer_above=0.0)))
    choice, read = engine.choose("北京经开区有多少家市级孵化器?", found)
    assert choice.abstained and read is found
