"""qa.reading: files of any common encoding in, cleaned Documents out; bad files skipped, never fatal."""
from __future__ import annotations

import pytest

from qa.chinese import to_simplified
from qa.reading import (
    UnreadableFile,
    content_id,
    find_date,
    list_article_files,
    read_document,
    read_folder,
    scan_folder,
)

SIMPLIFIED = (
    "北京经开区发布科技创新政策\n"
    "今年以来,经开区累计承接科技成果转化项目超过600项。\n"
    "记者从管委会了解到,相关政策将于下月实施。"
)
TRADITIONAL = (
    "中關村論壇年會將在京舉行\n"
    "創辦於2007年的中關村論壇,以“創新與發展”為永久主題。\n"
    "這場一年一度的科技盛宴,將聚焦創新發展、合作共贏。"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _write(folder, name, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


def test_gb18030_file_is_decoded(tmp_path):
    doc = read_document(_write(tmp_path, "gb.txt", SIMPLIFIED.encode("gb18030")))
    assert doc.text == SIMPLIFIED


def test_big5_file_is_decoded(tmp_path):
    doc = read_document(_write(tmp_path, "big5.txt", TRADITIONAL.encode("big5")))
    assert doc.text == TRADITIONAL


def test_utf8_with_bom_is_decoded(tmp_path):
    doc = read_document(_write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8")))
    assert doc.text == SIMPLIFIED


def test_utf16_file_is_decoded(tmp_path):
    doc = read_document(_write(tmp_path, "u16.txt", SIMPLIFIED.encode("utf-16")))
    assert doc.text == SIMPLIFIED


def test_traditional_article_keeps_its_script_and_gets_a_simplified_key(tmp_path):
    doc = read_document(_write(tmp_path, "t.txt", TRADITIONAL.encode("utf-8")))
    assert doc.text == TRADITIONAL
    assert doc.key == to_simplified(TRADITIONAL)
    assert "中关村论坛" in doc.key and len(doc.key) == len(doc.text)


def test_empty_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="空文件"):
        read_document(_write(tmp_path, "empty.txt", b""))


def test_white_space_only_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile):
        read_document(_write(tmp_path, "blank.txt", b" \r\n\t\n "))


def test_binary_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="二进制"):
        read_document(_write(tmp_path, "image.txt", PNG_BYTES))


def test_random_bytes_without_nul_are_unreadable(tmp_path):
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(UnreadableFile):
        read_document(_write(tmp_path, "noise.txt", data))


def test_file_with_only_boilerplate_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="没有正文"):
        read_document(_write(tmp_path, "nav.txt", "首页 > 政务公开 > 工作动态\n相关新闻\n".encode("utf-8")))


def test_read_folder_skips_empty_and_binary_files(tmp_path):
    _write(tmp_path, "good.txt", SIMPLIFIED.encode("utf-8"))
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "image.txt", PNG_BYTES)
    documents, skipped = read_folder(tmp_path)
    assert [d.source for d in documents] == ["good.txt"]
    assert sorted(s.path for s in skipped) == ["empty.txt", "image.txt"]


def test_read_folder_keeps_the_same_article_once(tmp_path):
    _write(tmp_path, "a.txt", SIMPLIFIED.encode("utf-8"))
    _write(tmp_path, "b.txt", SIMPLIFIED.encode("gb18030"))  # same article, other name and encoding
    documents, skipped = read_folder(tmp_path)
    assert [d.source for d in documents] == ["a.txt"]
    assert [(s.path, s.reason) for s in skipped] == [("b.txt", "与 a.txt 内容相同")]


def test_document_id_is_a_hash_of_the_cleaned_text(tmp_path):
    one = read_document(_write(tmp_path, "one.txt", SIMPLIFIED.encode("utf-8")))
    two = read_document(_write(tmp_path, "two.txt", ("首页 > 政务公开 > 工作动态\r\n" + SIMPLIFIED + "\n").encode("utf-8")))
    assert one.id == two.id == content_id(SIMPLIFIED)


def test_list_article_files_ignores_hidden_and_other_files(tmp_path):
    for name in ["b.txt", "a.md", "c.html", ".hidden.txt", "d.pdf", "e.json"]:
        _write(tmp_path, name, b"x")
    (tmp_path / "sub.txt").mkdir()
    assert [p.name for p in list_article_files(tmp_path)] == ["a.md", "b.txt", "c.html"]


def test_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="文章文件夹不存在"):
        read_folder(tmp_path / "nope")


def _reasons(folder, **kwargs):
    return {s.path: s.reason for s in scan_folder(folder, **kwargs)[1]}


def test_scan_names_a_dangling_symlink(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert "不存在" in _reasons(tmp_path)["gone.txt"]


def test_scan_reads_a_symlink_to_an_article(tmp_path):
    target = _write(tmp_path, "real.txt", SIMPLIFIED.encode("utf-8"))
    (tmp_path / "link.txt").symlink_to(target)
    assert [p.name for p in scan_folder(tmp_path)[0]] == ["link.txt", "real.txt"]


def test_scan_names_a_fifo_without_opening_it(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block the build forever
    assert "不是普通文件" in _reasons(tmp_path)["pipe.txt"]


def test_scan_names_an_unsupported_type(tmp_path):
    _write(tmp_path, "report.docx", b"PK\x03\x04")
    assert _reasons(tmp_path)["report.docx"].startswith("不支持的文件类型 .docx")


def test_scan_names_a_subfolder(tmp_path):
    (tmp_path / "old").mkdir()
    assert "文件夹" in _reasons(tmp_path)["old"]


def test_scan_refuses_a_file_over_the_size_limit_and_names_the_limit(tmp_path):
    _write(tmp_path, "big.txt", SIMPLIFIED.encode("utf-8") * 200)
    reason = _reasons(tmp_path, max_bytes=2**20 // 100)["big.txt"]
    assert "超过上限" in reason and "QA_MAX_FILE_MB" in reason


def test_read_folder_lists_every_skipped_file_with_its_reason(tmp_path):
    import os

    _write(tmp_path, "good.txt", SIMPLIFIED.encode("utf-8"))
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "a.docx", b"x")
    os.mkfifo(tmp_path / "p.txt")
    (tmp_path / "dead.txt").symlink_to(tmp_path / "nowhere")
    documents, skipped = read_folder(tmp_path)
    assert [d.source for d in documents] == ["good.txt"]
    assert [s.path for s in skipped] == ["a.docx", "dead.txt", "empty.txt", "p.txt"]


def test_html_page_gives_its_article_text_title_and_date(tmp_path):
    html = (
        "<!doctype html><html><head><title>中关村论坛年会开幕</title></head><body>"
        "<article><h1>中关村论坛年会开幕</h1>"
        "<p>2024年4月25日,2024中关村论坛年会在北京开幕。本届年会以创新为主题,吸引了众多科技企业参加。</p>"
        "<p>论坛期间将举办多场平行论坛和技术交易活动。</p></article>"
        "<footer>版权所有 京ICP备12345678号</footer></body></html>"
    )
    doc = read_document(_write(tmp_path, "page.html", html.encode("utf-8")))
    assert "2024中关村论坛年会在北京开幕。" in doc.text
    assert "论坛期间将举办多场平行论坛和技术交易活动。" in doc.text
    assert "<p>" not in doc.text and "ICP备" not in doc.text
    assert doc.title == "中关村论坛年会开幕"
    assert doc.date == "2024-04-25"


@pytest.mark.parametrize("text, date", [
    ("北京青年报客户端 2022-09-04 15:52\n正文。", "2022-09-04"),
    ("新華社客戶端 2024年04月14日\n正文。", "2024-04-14"),
    ("标题\n2023/7/20 来源:北京日报\n正文。", "2023-07-20"),
    ("正文里没有日期。", None),
    ("错误日期 2023-13-45\n正文。", None),
])
def test_find_date_reads_the_opening_lines(text, date):
    assert find_date(text) == date


def test_seed_titles_and_dates(seed_documents):
    docs = {d.source: d for d in seed_documents}
    assert docs["001_c60f07992c2ac6b7.txt"].title == "经开区科技创新生态主题专场发布走进服贸会"
    assert docs["001_c60f07992c2ac6b7.txt"].date == "2022-09-04"
    assert docs["003_ef3a641ba3817a34.txt"].date == "2024-04-14"
    assert docs["002_bde3a3d1ed10fc72.txt"].title == "中关村奋力推进世界领先科技园区建设|岁末年初话创新⑭"
