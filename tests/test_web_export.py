"""A conversation exported as Markdown, with its sources."""
from __future__ import annotations


def test_conversation_markdown_has_questions_answers_and_sources():
    from qa.types import Answer, Citation
    from qa.web.export import conversation_markdown

    passage = "创办于2007年的中关村论坛。"
    c = Citation("a.txt", "论坛", "2024-04-14", passage, 0, len(passage), (0, len(passage)), 0.9, "answer", (3, 8))
    answered = Answer("论坛哪年创办?", passage, "2007年", False, 0.9, False, [c])
    abstained = Answer("火星?", "", None, True, 0.1, False, [], "文章中没有相关内容。")
    text = conversation_markdown([answered, abstained])
    assert "## 问：论坛哪年创办?" in text and "**2007年**" in text and "[1]" in text
    assert "1. 论坛（2024-04-14，a.txt，答案出处）" in text
    assert "## 问：火星?" in text and "没有回答" in text
    english = Answer("Which CPU?", "", None, True, 0.1, False, [], "这个问题里没有汉字。", abstention="not_chinese")
    assert "请用中文提问。 这个问题里没有汉字。" in conversation_markdown([english])
    assert "没有回答" not in conversation_markdown([english])


def test_a_yes_or_no_answer_is_exported_with_its_note_and_no_bold():
    from qa.types import Answer, Citation
    from qa.web.export import conversation_markdown

    passage = "中关村有独角兽企业40家。"
    c = Citation("a.txt", "园区", None, passage, 0, len(passage), (0, len(passage)), 0.9, "answer", None)
    text = conversation_markdown([Answer("中关村有40家独角兽企业吗？", passage, None, False, 0.9, False, [c],
                                         yes_no=True)])
    assert "是或不是请据此判断" in text and "中关村有独角兽企业40家。 [1]" in text and "**" not in text


def test_a_relative_year_is_exported_with_the_year_it_means():
    from qa.types import Answer, Citation
    from qa.web.export import conversation_markdown

    passage = "今年7月,全国首张无人化出行服务商业化订单在北京经开区诞生。"
    c = Citation("a.txt", "服贸会", "2022-09-04", passage, 0, len(passage), (0, len(passage)), 0.9, "answer", (0, 4))
    text = conversation_markdown([Answer("订单是什么时候诞生的？", passage, "今年7月", False, 0.9, False, [c],
                                         dated="2022年7月", date="2022-09-04")])
    assert "“今年7月”按文章日期（2022-09-04）即2022年7月。" in text and "**今年7月**" in text


def test_a_follow_up_is_exported_with_how_it_was_read():
    from qa.types import Answer
    from qa.web.export import conversation_markdown

    follow = Answer("那2022年呢?", "", None, True, 0.5, False, [], "这些文章没有提到2022年的情况。",
                    asked_as="2022年经开区新增了多少家优势单位?")
    text = conversation_markdown([follow])
    assert "## 问：那2022年呢?\n\n接着上一问，理解为：2022年经开区新增了多少家优势单位?" in text


def test_an_english_question_is_exported_with_its_gloss():
    from qa.types import Answer
    from qa.web.export import conversation_markdown

    english = Answer("Who is the founder of Loongson?", "", None, True, 0.3, False, [], "这些文章里没有找到。",
                     asked_as="龙芯的创始人是谁？", glossed=True)
    assert "按词典译成中文来读：龙芯的创始人是谁？" in conversation_markdown([english])
