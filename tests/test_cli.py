"""The ``qa`` command: answers with their sources, and one Chinese line and a non-zero exit for
every bad input or fault, never a traceback."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_copy(tmp_path, seed_index):
    """A private copy of the seed index (tests here may damage it)."""
    settings, _, _ = seed_index
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    return settings.seeds_dir, index


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_prints_the_answer_and_each_source_with_its_file_and_headline(capsys, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds, "-k", "2",
                          "北京经开区有多少家市级孵化器?")
    assert code == 0, err
    assert out.startswith("答案：") and "置信度：" in out
    assert "[1] " in out and "（0" in out and ".txt，字符 " in out


def test_ask_reads_a_follow_up_with_the_previous_question(capsys, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds, "--previous",
                          "北京经开区有几家国家级孵化器？", "那区级孵化器呢？")
    assert code == 0, err
    assert out.startswith("接着上一问，理解为：北京经开区有几家区级孵化器？") and "简答：9家" in out


def test_ask_says_how_an_english_question_was_read(capsys, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds, "Who is the founder of Loongson?")
    assert code == 0, err
    assert out.startswith("按词典译成中文来读：龙芯的创始人是谁？") and "简答：胡偉武" in out


def test_ask_says_which_year_a_relative_one_means(capsys, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds, "全国首张无人化出行服务商业化订单是什么时候诞生的？")
    assert code == 0, err
    assert "简答：今年7月\n“今年7月”按文章日期（2022-09-04）即2022年7月。\n" in out


def test_ask_says_a_yes_or_no_question_is_answered_by_its_sentence(capsys, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds, "中关村有40家独角兽企业吗？")
    assert code == 0, err
    assert out.startswith("这是问“是不是”的问题") and "独角兽企业40家" in out and "简答：" not in out


def test_ask_answers_each_question_of_a_message_that_asks_several_in_order(capsys, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds,
                          "北京经开区有几家国家级孵化器？那区级孵化器呢？龙芯的创始人是谁？")
    assert code == 0, err
    first, second, third = out.split("【问题 ")[1:]
    assert first.startswith("1/3】北京经开区有几家国家级孵化器？")
    assert second.startswith("2/3】那区级孵化器呢？") and "理解为：北京经开区有几家区级孵化器？" in second
    assert "简答：9家" in second and "简答：胡偉武" in third


def test_ask_with_json_gives_a_list_for_several_questions(capsys, seed_copy):
    import json

    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, "--seeds", seeds, "--json",
                          "北京经开区有几家国家级孵化器？龙芯的创始人是谁？")
    assert code == 0, err
    answers = json.loads(out)
    assert [a["question"] for a in answers] == ["北京经开区有几家国家级孵化器？", "龙芯的创始人是谁？"]
    assert answers[1]["span"] == "胡偉武"


def test_ask_with_invalid_utf8_bytes_in_argv_says_so_in_one_line():
    run = subprocess.run([sys.executable, "-m", "qa.cli", "ask", b"\xff\xfe\xe4\xb8\xad"],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
    err = run.stderr.decode("utf-8")
    assert run.returncode == 2
    assert err.startswith("错误：") and "UTF-8" in err and err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("question", ["", "   ", "\x01\x02", "问" * 1001])
def test_ask_refuses_unaskable_questions_with_exit_2(capsys, question, seed_copy):
    seeds, index = seed_copy
    code, out, err = _run(capsys, "ask", "--index", index, question)
    assert code == 2 and out == ""
    assert err.startswith("错误：问题") and err.count("\n") == 1


def test_ask_on_a_garbled_pointer_names_the_fix(capsys, seed_copy):
    seeds, index = seed_copy
    (index / "CURRENT").write_bytes(b"\x89\xff\x00garbage")
    code, _, err = _run(capsys, "ask", "--index", index, "中关村论坛创办于哪一年?")
    assert code == 1
    assert "CURRENT" in err and f"qa build --full --index {index}" in err and err.count("\n") == 1


def test_build_on_an_empty_folder_refuses_and_keeps_the_index(capsys, tmp_path, seed_copy):
    from qa import store

    _, index = seed_copy
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _run(capsys, "build", "--quiet", "--seeds", empty, "--index", index)
    assert code == 2 and "--allow-empty" in err and err.count("\n") == 1
    assert len(store.load(index).documents) == 5


def test_build_while_another_holds_the_lock_says_so(capsys, seed_copy):
    from qa import generations

    seeds, index = seed_copy
    with generations.build_lock(index):
        code, _, err = _run(capsys, "build", "--quiet", "--seeds", seeds, "--index", index)
    assert code == 1 and "另一个构建正在更新" in err and "--wait" in err


def test_build_summary_is_chinese_and_names_skipped_files(capsys, tmp_path, small_corpus):
    (small_corpus / "notes.docx").write_bytes(b"PK")
    code, out, _ = _run(capsys, "build", "--quiet", "--seeds", small_corpus, "--index", tmp_path / "index")
    assert code == 0
    assert out.startswith("3 篇文章（新增 3") and "notes.docx（不支持的文件类型 .docx" in out


def test_an_unexpected_error_is_one_line_with_how_to_see_more(capsys, monkeypatch):
    import qa.cli

    def boom(args):
        raise KeyError("something nobody expected")

    monkeypatch.setattr(qa.cli, "cmd_ask", boom)
    monkeypatch.delenv("QA_DEBUG", raising=False)
    code, _, err = _run(capsys, "ask", "问题")
    assert code == 1 and "意外错误（KeyError）" in err and "QA_DEBUG=1" in err and err.count("\n") == 1


def test_help_is_instant_because_nothing_heavy_is_imported():
    code = ("import sys; from qa.cli import parser\n"
            "try: parser().parse_args(['--help'])\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('torch', 'transformers', 'faiss', 'gradio') if m in sys.modules]\n"
            "print('HEAVY:' + ','.join(heavy))")
    run = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=60)
    assert run.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_eval_on_a_bad_file_is_one_chinese_line_with_exit_2(capsys, tmp_path):
    bad = tmp_path / "questions.jsonl"
    bad.write_text('{"question": "中关村论坛创办于哪一年?"}\n{oops\n', encoding="utf-8")
    code, out, err = _run(capsys, "eval", bad)
    assert code == 2 and out == ""
    assert err.strip() == f"错误：{bad} 第 2 行不是有效的 JSON。"
