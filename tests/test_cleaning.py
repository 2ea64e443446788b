"""qa.cleaning: boilerplate out, pinyin glosses and mojibake mended — on the real seed articles."""
from __future__ import annotations

import re

import pytest

from qa.cleaning import caption_says, clean_lines, clean_text, is_boilerplate, remove_glosses, repair_mojibake

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# The check: a CJK character with a pinyin gloss glued to it, 學(xué).
GLOSS_RE = re.compile(rf"[\u4e00-\u9fff]\([a-z{TONED}]+\)")
# Stricter: any parenthesised lower-case pinyin with a tone mark, whatever precedes it.
ANY_GLOSS_RE = re.compile(rf"\([a-zü{TONED}]*[{TONED}][a-zü{TONED}]*\)")
MOJIBAKE_RE = re.compile(r"\?!|[\u4e00-\u9fff]\?[\u4e00-\u9fff]")
BOILERPLATE = [
    "我在听,请说话",
    "没听清",
    "首页 > 政务公开",
    "相关阅读",
    "相关新闻",
    "最新评论",
    "最新消息",
    "今日新闻",
    "推荐新闻",
    ".jpg",
    "融媒体中心张磊/摄",
    "ICP备",
    "CopyRight",
    "【本文地址】",
    "您访问的链接即将离开",
    "是否继续",
    "您所在的位置",
    "来源: 网络整理",
    "02:34",
    "文/北京青年报记者",
    "(相关资料图)",
]


def test_seed_articles_have_no_pinyin_glosses(seed_documents):
    found = {d.source: GLOSS_RE.findall(d.text) for d in seed_documents}
    assert not any(found.values()), found


def test_seed_articles_have_no_stray_toned_pinyin_in_brackets(seed_documents):
    found = {d.source: ANY_GLOSS_RE.findall(d.text) for d in seed_documents}
    assert not any(found.values()), found


def test_seed_articles_have_no_mojibake_runs(seed_documents):
    found = {d.source: [d.text[max(0, m.start() - 5): m.end() + 5] for m in MOJIBAKE_RE.finditer(d.text)]
             for d in seed_documents}
    assert not any(found.values()), found


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_seed_articles_have_no_boilerplate(seed_documents, phrase):
    assert [d.source for d in seed_documents if phrase in d.text] == []


def test_article_prose_survives_cleaning(seed_documents):
    texts = {d.source: d.text for d in seed_documents}
    assert "包括国家级孵化器5家、市级孵化器15家、区级孵化器9家。" in texts["000_a68577dcd4f9715c.txt"]
    assert "创办" not in texts["003_ef3a641ba3817a34.txt"]  # the article keeps its own script
    assert "創辦于2007年的中關村論壇" in texts["003_ef3a641ba3817a34.txt"]
    assert "中共中央政治局集體學習走出中南海" in texts["003_ef3a641ba3817a34.txt"]


def test_shifted_gbk_run_is_repaired_in_seed(seed_documents):
    text = {d.source: d.text for d in seed_documents}["003_ef3a641ba3817a34.txt"]
    assert "我們自己的體系。”胡偉武說。" in text


def test_remove_glosses_drops_glued_pinyin():
    assert remove_glosses("中關(guān)村學(xué)習(xí)") == "中關村學習"


def test_remove_glosses_drops_gloss_cut_short_at_line_end():
    assert remove_glosses("技術(shù)創(chuàng\n下一行") == "技術創\n下一行"


def test_remove_glosses_keeps_ordinary_brackets():
    text = "以Wintel體系、Intel(CPU)、微軟(操作系統)為典型代表"
    assert remove_glosses(text) == text


def test_gloss_after_a_garbled_character_is_removed():
    assert "(qū)" not in clean_text("融入?yún)^(qū)域發(fā)展大循環(huán)。")


def test_repair_mojibake_restores_shifted_gbk_run():
    assert repair_mojibake("我們自己的體系?!焙鷤ノ湔f。") == "我們自己的體系。”胡偉武說。"


def test_repair_mojibake_leaves_real_question_mark():
    text = "如何实现创新链和产业链的双轮驱动?9月3日,发布会举办。"
    assert repair_mojibake(text) == text


def test_lost_character_question_mark_is_removed_when_mojibake_seen():
    repaired = clean_text("系列舉措?yún)R成創新創業合力。")
    assert "?" not in repaired and "yún" not in repaired


@pytest.mark.parametrize("line", [
    "首页 > 政务公开 > 工作动态",
    "我在听,请说话(10s)",
    "北京经开区以科技创新赋能新质生产力2.jpg",
    "辉羲智能发布首款高阶智能驾驶芯片“光至R1”。融媒体中心张磊/摄",
    "CopyRight 2018-2019 办公设备维修网 版权所有 豫ICP备15022753号-3",
    "【本文地址】",
    "您访问的链接即将离开“北京经济技术开发区”门户网站 是否继续?",
    "编辑/叶婉",
    "02:34",
    "中关村国家自主创新示范区展示中心(2023 年 5 月 26 日摄)张玉薇摄 / 本刊",
])
def test_is_boilerplate_recognises_page_furniture(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "2023年,中关村继续交出亮眼答卷。",
    "作为首都高精尖产业主阵地,经开区积极发挥企业在创新中的主体作用。",
    "推动各区深化分园体制机制改革",
])
def test_is_boilerplate_keeps_article_text(line):
    assert not is_boilerplate(line)


def test_link_list_after_heading_is_dropped_until_prose_resumes():
    prose = ("这是相关阅读之后重新开始的一段正文,它足够长,并且以句号结束,"
             "所以清理时应当保留下来,不被当作链接列表的一部分,而是作为文章的内容。")
    assert len(prose) >= 60
    lines = ["正文第一段。", "相关阅读", "北京亦庄推动科技创新生态优化", "北京青年报客户端 2023-03-31", prose]
    assert clean_lines(lines) == ["正文第一段。", prose]


def test_repeated_short_lines_are_kept_once():
    assert clean_lines(["岁末年初话创新", "正文。", "岁末年初话创新"]) == ["岁末年初话创新", "正文。"]


def test_clean_text_normalises_line_ends_and_blank_lines():
    assert clean_text("\ufeff第一段。\r\n\r\n  第二段。\r第三段。\n") == "第一段。\n第二段。\n第三段。"


@pytest.mark.parametrize("line", [
    "中關村國家自主創新示範區展示中心(2023 年 5 月 26 日攝)張玉薇攝 / 本刊",
    "北京腦科學與類腦研究所的科研人員在做實驗 受訪單位供圖",
    "責任編輯:王小明",
    "版權所有 © 某某網",
])
def test_is_boilerplate_applies_to_traditional_script(line):
    assert is_boilerplate(line)


def test_traditional_link_list_heading_starts_a_link_list():
    assert clean_lines(["正文第一段。", "相關閱讀", "北京亦莊推動科技創新生態優化"]) == ["正文第一段。"]


def test_a_caption_keeps_what_the_picture_shows_without_its_credit(seed_documents):
    text = "\n".join(d.text for d in seed_documents)
    assert "辉羲智能发布首款高阶智能驾驶芯片“光至R1”。\n" in text
    assert "张磊/摄" not in text


@pytest.mark.parametrize("line, says", [
    ("文远知行自动驾驶小巴换新装。 融媒体中心张磊/摄", "文远知行自动驾驶小巴换新装。"),
    ("图为会场。新华社记者 张三 摄", "图为会场。"),
    ("正文到此结束。责任编辑：张三", "正文到此结束。"),
    ("融媒体中心张磊/摄", None),  # a credit alone
    ("中关村展示中心(2023 年 5 月 26 日摄)张玉薇摄 / 本刊", None),  # no sentence before the credit
    ("CopyRight 2018 版权所有。豫ICP备15022753号", None),  # furniture before the credit too
])
def test_caption_says(line, says):
    assert caption_says(line) == says
