"""Uploaded article files: names, types, sizes, duplicates, replacing and deleting (real files)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("name, expected", [
    ("新闻.txt", "新闻.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\evil.MD", "evil.md"),
    (".hidden.txt", "hidden.txt"),
    ("a b;rm -rf $(x).html", "a_b_rm_-rf_x.html"),
    ("报告 2024（终稿）.htm", "报告_2024_终稿.htm"),
])
def test_safe_filename(name, expected):
    from qa.web.uploads import safe_filename

    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["run.exe", "page.php", "noext", "../", ".txt", "....txt", "x.txt.sh"])
def test_safe_filename_rejects(name):
    from qa.web.uploads import UploadRejected, safe_filename

    with pytest.raises(UploadRejected):
        safe_filename(name)


def _known(seeds):
    from qa.reading import read_document

    return {read_document(p).id: p.name for p in seeds.iterdir()}


def test_same_name_replaces_and_same_text_is_refused(tmp_path):
    from qa.web.uploads import save_uploads

    seeds, incoming = tmp_path / "seeds", tmp_path / "incoming"
    seeds.mkdir()
    incoming.mkdir()
    (seeds / "news.txt").write_text("旧文章。北京有一座桥。\n", encoding="utf-8")
    files = {
        "news.txt": "新文章。上海有一座塔。\n",          # same name, new text: replaces news.txt
        "copy.txt": "旧文章。北京有一座桥。\n",          # same text as the old news.txt: refused
        "big.txt": "大" * (2 * 1024 * 1024),             # over the limit below
        "bin.txt": None,                                 # binary
        "evil.sh": "echo hi\n",                          # wrong type
        ".secret.md": "# 秘密\n隐藏文件名的文章内容。\n",  # saved without the leading dot
    }
    paths = []
    for name, text in files.items():
        path = incoming / name
        if text is None:
            path.write_bytes(b"\x00\x01\x02binary\x00" * 10)
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    result = save_uploads(paths, seeds, _known(seeds), max_bytes=1024 * 1024)
    assert result.replaced == ["news.txt"] and result.saved == ["secret.md"]
    assert (seeds / "news.txt").read_text(encoding="utf-8") == files["news.txt"]
    text = "\n".join(result.messages)
    assert "替换" in text and "内容相同" in text and "太大" in text and "无法读取" in text and "不支持" in text
    assert sorted(p.name for p in seeds.iterdir()) == ["news.txt", "secret.md"]


def test_same_file_again_changes_nothing(tmp_path):
    from qa.web.uploads import save_uploads

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("一篇文章。内容不变。\n", encoding="utf-8")
    again = tmp_path / "a.txt"
    again.write_text("一篇文章。内容不变。\n", encoding="utf-8")
    result = save_uploads([again], seeds, _known(seeds))
    assert not result.changed and "未改动" in result.messages[0]


def test_file_count_is_limited(tmp_path):
    from qa.web.uploads import save_uploads

    paths = []
    for i in range(4):
        path = tmp_path / f"a{i}.txt"
        path.write_text(f"第{i}篇文章。内容{i}号。\n", encoding="utf-8")
        paths.append(path)
    result = save_uploads(paths, tmp_path / "seeds", {}, max_files=3)
    assert len(result.saved) == 3 and "最多" in result.messages[0]


def test_delete_article_only_inside_the_folder(tmp_path):
    from qa.web.uploads import delete_article

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("文章。\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("外面。\n", encoding="utf-8")
    assert not delete_article(seeds, "../outside.txt") and (tmp_path / "outside.txt").exists()
    assert not delete_article(seeds, "missing.txt")
    assert delete_article(seeds, "a.txt") and not (seeds / "a.txt").exists()


def test_upload_cache_cleaned_only_inside_the_cache(tmp_path):
    from qa.web.uploads import clean_upload_cache

    cache = tmp_path / "cache"
    (cache / "abc").mkdir(parents=True)
    inside, outside = cache / "abc" / "a.txt", tmp_path / "b.txt"
    inside.write_text("x", encoding="utf-8")
    outside.write_text("y", encoding="utf-8")
    clean_upload_cache([inside, outside], cache)
    assert not (cache / "abc").exists() and outside.exists() and cache.exists()
