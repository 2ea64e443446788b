"""qa.chinese: script conversion, sentence ends, tokens."""
from __future__ import annotations

from qa.chinese import cut, normalize, sentence_spans, to_simplified, tokenize


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_to_simplified_converts_traditional_and_keeps_length():
    text = "中關村論壇創辦於2007年,集體學習。"
    simplified = to_simplified(text)
    assert simplified == "中关村论坛创办于2007年,集体学习。"
    assert len(simplified) == len(text)


def test_to_simplified_leaves_text_without_chinese_alone():
    assert to_simplified("CPU 3A6000 (2023)") == "CPU 3A6000 (2023)"


def test_normalize_folds_width_case_and_script():
    assert normalize("ＡＢＣ中關村１２３") == "abc中关村123"


def test_sentences_end_at_each_chinese_sentence_mark():
    text = "第一句。第二句！第三句？第四句；第五句……第六句"
    assert _sentences(text) == ["第一句。", "第二句！", "第三句？", "第四句；", "第五句……", "第六句"]


def test_closing_quote_stays_with_its_sentence():
    text = "他说：“我们做到了。”随后离开。“真的吗？”"
    assert _sentences(text) == ["他说：“我们做到了。”", "随后离开。", "“真的吗？”"]


def test_a_short_attribution_stays_with_the_quotation_it_follows():
    text = "“加快成果转化。”郭萌说。“技術領先。”相關負責人表示。最后一句。"
    assert _sentences(text) == ["“加快成果转化。”郭萌说。", "“技術領先。”相關負責人表示。", "最后一句。"]


def test_a_sentence_after_a_quotation_is_its_own_when_it_says_more_or_starts_a_line():
    text = "“加快成果转化。”王茤祥称，这是好事。“好。”随后离开。“行。”\n他说。"
    assert _sentences(text) == ["“加快成果转化。”", "王茤祥称，这是好事。", "“好。”", "随后离开。", "“行。”", "他说。"]


def test_sentences_do_not_cross_line_breaks():
    assert _sentences("标题没有句号\n正文一句。") == ["标题没有句号", "正文一句。"]


def test_sentence_spans_are_exact_offsets_without_white_space():
    text = "  第一句。\n\n  第二句！  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["第一句。", "第二句！"]


def test_tokenize_is_script_independent():
    assert tokenize("中關村論壇") == tokenize("中关村论坛")


def test_tokenize_drops_punctuation_and_stop_words():
    tokens = tokenize("中关村的论坛,在哪里?")
    assert "中关村" in tokens and "论坛" in tokens
    assert not {"的", ",", "?", "在", "哪里"} & set(tokens)


def test_tokenize_of_simplified_text_skips_conversion_with_the_same_tokens():
    from qa.chinese import to_simplified, tokenize

    text = "創辦於2007年的中關村論壇，以“創新與發展”為永久主題。"
    key = to_simplified(text)
    assert tokenize(key, simplified=True) == tokenize(text)
    assert tokenize(text, simplified=True) != tokenize(text)  # traditional text is not converted


def test_cut_gives_jieba_words_of_the_text_as_written():
    assert cut("多元化企业") == ["多元化", "企业"]
    assert "".join(cut("9年多來，三地")) == "9年多來，三地"
