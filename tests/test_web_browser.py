"""The web chat in a real browser (Playwright + Debian's Chromium) against ``app.py`` on a real index.

Chat: an answer with its marked source, numbered references that scroll to their passage, the
traditional-script answer with its simplified form, a plain abstention, history kept across a
reload (asking waits until it is restored), Markdown export, markup shown as text, dark-mode contrast,
a 390 px phone screen.
Knowledge base: upload several files, replace one, delete one, and a ``qa build`` from a shell,
each seen in the table and in the answers. Screenshots go to ``$QA_SCREENSHOT_DIR`` when set
(``docs/`` refreshes the README's pictures), else to a temporary folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import browser_tests_mark  # noqa: E402
from webapp import INCUBATOR_Q, ROOT, XSS_FILE, XSS_Q, start_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOT_ENV = "QA_SCREENSHOT_DIR"

UPLOAD_FILE = "xinghewan_report.txt"
UPLOAD_ARTICLE = (
    "星河湾科技园发布2024年发展报告\n"
    "2024-06-18 来源:星河日报\n"
    "记者从星河湾科技园管委会获悉,截至今年5月底,星河湾科技园共有368家入驻企业,其中高新技术企业112家。\n"
    "星河湾科技园位于星河湾新区,园区总面积约2.6平方公里,重点发展智能传感和海洋装备产业。\n"
)
UPLOAD_Q = "星河湾科技园有多少家入驻企业?"
SECOND_FILE = "yueliangwan.txt"
SECOND_ARTICLE = "月亮湾码头完成改造\n2024-03-02 来源:海港报\n月亮湾码头改造后共有泊位26个。\n"
SHELL_FILE = "shell_tongshawan.txt"
SHELL_ARTICLE = "铜沙湾创新港建设提速\n2024-07-01 来源:测试晚报\n铜沙湾创新港目前共有457家科技企业入驻。\n"

pytestmark = browser_tests_mark()

ANSWER_TIMEOUT = 60_000
BUILD_TIMEOUT = 240_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = start_app(tmp_path_factory, "web-browser", port_by_env=True)
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, server, width=1400, height=1000, query=""):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(server.url + "/" + query)
    page.locator("#qa-question textarea").wait_for(timeout=60_000)
    # ready as a user meets it: the kept conversation restored and the chat controls enabled
    expect(page.locator("#qa-send")).to_be_enabled(timeout=60_000)
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(browser, server):
    page = open_page(browser, server)
    yield page
    page.context.close()


def shots(tmp_path) -> Path:
    folder = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ask(page, question: str) -> None:
    """Type ``question``, press Enter and wait until the sources panel shows its answer."""
    from playwright.sync_api import expect

    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text(question[:20], timeout=ANSWER_TIMEOUT)


def last_reply(page) -> str:
    return page.locator("#qa-chat .qa-reply").last.inner_text()


def articles_tab(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="知识库").click()
    expect(page.locator("#qa-articles table")).to_be_visible(timeout=30_000)
    return page.locator("#qa-articles")


def upload(page, paths: list[Path]) -> None:
    page.locator("#qa-upload-files input[type=file]").set_input_files([str(p) for p in paths])
    for path in paths:
        page.locator(f"#qa-upload-files a[href$='/{path.name}']").first.wait_for(timeout=30_000)
    page.locator("#qa-upload-btn").click()


def wait_built(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#qa-upload-log .qa-build-done")).to_be_visible(timeout=BUILD_TIMEOUT)


def test_answer_with_marked_source_and_numbered_references(page, tmp_path):
    from playwright.sync_api import expect

    expect(page.locator("#qa-status")).to_contain_text("6 篇文章")
    top_k = page.locator("#qa-topk input[type=number]")
    top_k.fill("3")
    top_k.press("Tab")
    expect(page.locator("#qa-topk input[type=range]")).to_have_value("3")  # the slider took it
    ask(page, INCUBATOR_Q)
    reply = page.locator("#qa-chat .qa-reply").last
    assert "15家" in reply.locator(".qa-answer-text strong").first.inner_text()
    assert "把握" in reply.inner_text() and "[1]" in reply.inner_text()
    sources = page.locator("#qa-sources")
    assert 1 <= sources.locator(".qa-source").count() <= 3  # the top_k setting is used
    first = sources.locator(".qa-source").first
    assert "答案出处" in first.locator(".qa-source-head").inner_text() and ".txt" in first.locator(".qa-meta").inner_text()
    assert "15家" in first.locator(".qa-passage-box mark.qa-answer strong").inner_text()
    # the whole article opens scrolled to the passage, marked in it
    first.locator("details.qa-doc summary").click()
    passage = first.locator("details.qa-doc mark.qa-passage")
    expect(passage).to_be_visible()
    seen = first.locator(".qa-doc-text").evaluate(
        "box => { const m = box.querySelector('mark.qa-passage').getBoundingClientRect();"
        " const b = box.getBoundingClientRect(); return m.bottom > b.top && m.top < b.bottom; }")
    assert seen
    first.locator("details.qa-doc summary").click()
    page.screenshot(path=str(shots(tmp_path) / "screenshot.png"), full_page=True)
    # a reference number in the reply scrolls to its source and flashes it
    count = sources.locator(".qa-source").count()
    reply.locator(f".qa-cites .qa-ref-{count}").click()
    expect(sources.locator(f"#qa-source-{count}")).to_have_class("qa-source qa-role-supporting qa-flash",
                                                                  timeout=5_000) if count > 1 else None
    expect(sources.locator(f"#qa-source-{count}")).to_be_in_viewport()
    assert not page.js_errors, page.js_errors


def test_traditional_answer_shows_simplified_form(page):
    ask(page, "中关村论坛创办于哪一年?")
    reply = page.locator("#qa-chat .qa-reply").last
    assert "2007年" in reply.locator(".qa-answer-text strong").inner_text()
    assert "創辦" in reply.locator(".qa-answer-text").inner_text()
    assert "创办" in reply.locator(".qa-simplified").inner_text()


def test_abstention_is_plain_with_related_passages(page):
    ask(page, "火星上有多少座城市?")
    reply = page.locator("#qa-chat .qa-reply").last
    assert "没有回答这个问题" in reply.inner_text() and reply.locator(".qa-answer-text").count() == 0
    sources = page.locator("#qa-sources")
    assert "相关段落" in sources.locator("h4.qa-related").inner_text()
    assert sources.locator(".qa-passage-box strong").count() == 0


def test_history_survives_reload_and_exports_markdown(page, tmp_path):
    from playwright.sync_api import expect

    page.locator("#qa-clear").click()
    page.get_by_role("button", name="中共中央政治局集体学习是哪一天走进中关村的?").click()
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text("政治局", timeout=ANSWER_TIMEOUT)
    ask(page, INCUBATOR_Q)
    page.reload()
    expect(page.locator("#qa-chat .qa-reply")).to_have_count(2, timeout=30_000)
    assert "2013年9月30日" in page.locator("#qa-chat .qa-reply").first.inner_text()
    # clicking an earlier reply shows that reply's sources again
    page.locator("#qa-chat .qa-reply").first.click()
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text("政治局", timeout=10_000)
    with page.expect_download(timeout=30_000) as info:
        page.locator("#qa-export").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "## 问：" + INCUBATOR_Q in text and "**15家**" in text and "答案出处" in text


def test_a_follow_up_is_answered_with_the_question_before_it(page):
    ask(page, INCUBATOR_Q)
    ask(page, "那区级孵化器呢?")
    reply = page.locator("#qa-chat .qa-reply").last
    assert "接着上一问，理解为：北京经开区有多少家区级孵化器?" in reply.locator(".qa-asked-as").inner_text()
    assert "9家" in reply.locator(".qa-answer-text strong").first.inner_text()


def test_an_english_question_is_answered_with_how_it_was_read(page):
    ask(page, "Who is the founder of Loongson?")
    reply = page.locator("#qa-chat .qa-reply").last
    assert reply.locator(".qa-asked-as").inner_text() == "按词典译成中文来读：龙芯的创始人是谁？"
    assert "胡偉武" in reply.locator(".qa-answer-text strong").first.inner_text()


def test_markup_in_articles_and_questions_shows_as_text(page):
    from playwright.sync_api import expect

    ask(page, XSS_Q)
    assert "271名" in last_reply(page)
    sources = page.locator("#qa-sources")
    source = sources.locator(".qa-source").filter(has_text=XSS_FILE).first
    source.locator("details.qa-doc summary").click()
    text = source.inner_text()
    assert "<script>window.__xss=1</script>" in text and '<img src=x onerror="window.__xss=2">' in text
    assert "{{value}}" in text and "${1+1}" in text and "**星号**" in text
    assert sources.locator("script").count() == 0 and sources.locator("img").count() == 0
    evil_q = '<img src=x onerror="window.__xss=3">蓝鲸湖实验室成立于哪一年?'
    box = page.locator("#qa-question textarea")
    box.fill(evil_q)
    box.press("Enter")
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text("onerror", timeout=ANSWER_TIMEOUT)
    assert evil_q in page.locator("#qa-chat").inner_text()
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not page.js_errors, page.js_errors


def test_asking_waits_until_the_saved_conversation_is_restored(browser, server):
    """While the page restores the kept conversation the chat controls are disabled, so a quick
    first question cannot be answered and then wiped by that restore landing after it."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    held = []  # the restore is the page's first queued event; hold it back
    page.route("**/gradio_api/queue/join*",
               lambda route: route.continue_() if held else held.append(route))
    page.goto(server.url + "/")
    box = page.locator("#qa-question textarea")
    box.wait_for(timeout=60_000)
    while not held:
        page.wait_for_timeout(50)
    for control in (box, page.locator("#qa-send"), page.locator("#qa-clear"), page.locator(".qa-example").first):
        expect(control).to_be_disabled()
    held[0].continue_()
    expect(box).to_be_enabled(timeout=30_000)
    expect(box).to_be_focused()
    ask(page, XSS_Q)
    page.wait_for_timeout(1000)
    assert "271名" in last_reply(page)
    context.close()


CONTRAST_JS = """el => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const st = getComputedStyle(el);
  const a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_highlight_contrast(browser, server, theme):
    page = open_page(browser, server, query=f"?__theme={theme}")
    try:
        ask(page, INCUBATOR_Q)
        assert page.evaluate("document.body.classList.contains('dark')") == (theme == "dark")
        marks = page.locator("#qa-sources mark.qa-answer")
        for i in range(marks.count()):
            assert marks.nth(i).evaluate(CONTRAST_JS) >= 4.5, (theme, i)
        passage = page.locator("#qa-sources .qa-passage-box").first
        assert passage.evaluate("el => getComputedStyle(el).color") != "rgb(17, 24, 39)" or theme == "light"
    finally:
        page.context.close()


def test_phone_screen_shows_first_source_under_the_answer(browser, server):
    page = open_page(browser, server, width=390, height=844)
    try:
        ask(page, INCUBATOR_Q)
        reply = page.locator("#qa-chat .qa-reply").last
        answer, inline = reply.locator(".qa-answer-text"), reply.locator(".qa-inline-source")
        inline.scroll_into_view_if_needed()
        assert inline.is_visible() and "15家" in inline.locator("mark.qa-answer").inner_text()
        gap = inline.bounding_box()["y"] - (answer.bounding_box()["y"] + answer.bounding_box()["height"])
        assert 0 <= gap < 120, gap
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    finally:
        page.context.close()


# --- the knowledge base (these change the server's articles; they run last) -----------------

def test_upload_several_then_ask(page, server, tmp_path):
    from playwright.sync_api import expect

    first, second = tmp_path / UPLOAD_FILE, tmp_path / SECOND_FILE
    first.write_text(UPLOAD_ARTICLE, encoding="utf-8")
    second.write_text(SECOND_ARTICLE, encoding="utf-8")
    table = articles_tab(page)
    assert table.locator("tbody tr").count() == 6
    upload(page, [first, second])
    wait_built(page)
    expect(table.locator("tbody tr")).to_have_count(8)
    row = table.locator(f"tr[data-source='{UPLOAD_FILE}']")
    assert "星河湾科技园发布2024年发展报告" in row.inner_text() and "2024-06-18" in row.inner_text()
    assert (server.seeds / UPLOAD_FILE).read_text(encoding="utf-8") == UPLOAD_ARTICLE
    page.screenshot(path=str(shots(tmp_path) / "screenshot-articles.png"), full_page=True)
    page.get_by_role("tab", name="对话").click()
    ask(page, UPLOAD_Q)
    assert "368家" in last_reply(page)
    assert UPLOAD_FILE in page.locator("#qa-sources .qa-source").first.locator(".qa-meta").inner_text()


def test_replace_article_old_text_no_longer_answered(page, server, tmp_path):
    from playwright.sync_api import expect

    new = tmp_path / UPLOAD_FILE
    new.write_text(UPLOAD_ARTICLE.replace("368家", "401家"), encoding="utf-8")
    table = articles_tab(page)
    upload(page, [new])
    expect(page.locator("#qa-upload-log")).to_contain_text("替换", timeout=30_000)
    wait_built(page)
    expect(table.locator("tbody tr")).to_have_count(8)
    assert sorted(p.name for p in server.seeds.glob("xinghewan*")) == [UPLOAD_FILE]
    page.get_by_role("tab", name="对话").click()
    ask(page, UPLOAD_Q)
    reply = last_reply(page)
    assert "401家" in reply and "368家" not in reply and "说法不同" not in reply
    assert "368家" not in page.locator("#qa-sources").inner_text()


def test_delete_article_is_gone(page, server):
    from playwright.sync_api import expect

    table = articles_tab(page)
    page.locator("#qa-delete-choice input").click()
    page.get_by_role("option", name=UPLOAD_FILE).click()
    page.locator("#qa-delete-btn").click()
    wait_built(page)
    expect(table.locator("tbody tr")).to_have_count(7)
    assert table.locator(f"tr[data-source='{UPLOAD_FILE}']").count() == 0
    assert not (server.seeds / UPLOAD_FILE).exists()
    page.get_by_role("tab", name="对话").click()
    ask(page, UPLOAD_Q)
    assert "401家" not in last_reply(page)


def test_qa_build_from_a_shell_is_picked_up(page, server):
    from playwright.sync_api import expect

    table = articles_tab(page)
    (server.seeds / SHELL_FILE).write_text(SHELL_ARTICLE, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "qa.cli", "build", "--quiet", "--seeds", str(server.seeds),
                           "--index", str(server.index)], cwd=str(ROOT), env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    expect(table.locator(f"tr[data-source='{SHELL_FILE}']")).to_have_count(1, timeout=15_000)
    expect(page.locator("#qa-status")).to_contain_text("8 篇文章")
    page.get_by_role("tab", name="对话").click()
    ask(page, "铜沙湾创新港有多少家科技企业入驻?")
    assert "457家" in last_reply(page)


def test_server_log_is_clean(server):
    assert "Traceback" not in server.log(), server.log()[-3000:]
