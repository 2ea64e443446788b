"""The web chat in a real browser (Playwright + Debian's Chromium) against ``app.py`` on a real index.

Asks a question and sees the answer with its marked passage; checks that an article holding
``<script>`` / ``onerror`` markup shows as text and runs nothing; uploads an article through the
"添加文章" tab and asks about it. Saves a screenshot of the chat (to ``$QA_SCREENSHOT`` if set).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import browser_tests_mark  # noqa: E402
from test_web import INCUBATOR_Q, XSS_FILE, XSS_Q, start_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# The README's picture is refreshed with QA_SCREENSHOT=docs/screenshot.png; by default the
# screenshot goes to a temporary file so a test run leaves the checkout untouched.
SCREENSHOT_ENV = "QA_SCREENSHOT"

UPLOAD_FILE = "xinghewan_report.txt"
UPLOAD_ARTICLE = (
    "星河湾科技园发布2024年发展报告\n"
    "2024-06-18 来源:星河日报\n"
    "记者从星河湾科技园管委会获悉,截至今年5月底,星河湾科技园共有368家入驻企业,其中高新技术企业112家。\n"
    "星河湾科技园位于星河湾新区,园区总面积约2.6平方公里,重点发展智能传感和海洋装备产业。\n"
    "管委会负责人表示,下一步将继续优化营商环境,吸引更多创新型企业落户。\n"
)
UPLOAD_Q = "星河湾科技园有多少家入驻企业?"

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


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(server.url + "/")
    page.locator("#qa-question textarea").wait_for(timeout=60_000)
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def ask(page, question: str) -> None:
    """Type ``question``, press Enter and wait until the sources panel shows its answer."""
    from playwright.sync_api import expect

    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text(question[:20], timeout=ANSWER_TIMEOUT)
    expect(page.locator("#qa-chat .qa-reply").last).not_to_contain_text("正在查找", timeout=ANSWER_TIMEOUT)


def upload_file(page, path: Path) -> None:
    """Choose ``path`` in the upload tab's file input, wait until it is uploaded, press the button."""
    page.locator("#qa-upload-files input[type=file]").set_input_files(str(path))
    page.locator(f"#qa-upload-files a[href$='/{path.name}']").first.wait_for(timeout=30_000)
    page.locator("#qa-upload-btn").click()


def last_reply(page) -> str:
    return page.locator("#qa-chat .qa-reply").last.inner_text()


def test_chat_answers_with_marked_sources_and_screenshot(page, tmp_path):
    from playwright.sync_api import expect

    screenshot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "screenshot.png")
    expect(page.locator("#qa-status")).to_contain_text("6 篇文章")
    top_k = page.locator("#qa-topk input[type=number]")
    top_k.fill("3")
    top_k.press("Tab")
    ask(page, INCUBATOR_Q)
    reply = last_reply(page)
    assert "15家" in reply
    assert "置信度" in reply and "[1]" in reply
    sources = page.locator("#qa-sources")
    marks = sources.locator(".qa-source mark.qa-answer")
    assert marks.count() >= 1
    assert any("15家" in marks.nth(i).inner_text() for i in range(marks.count()))
    assert 1 <= sources.locator(".qa-source").count() <= 3  # the top_k setting is used
    first = sources.locator(".qa-source").first
    assert "[1]" in first.locator(".qa-source-head").inner_text()
    assert ".txt" in first.locator(".qa-meta").inner_text()
    # the whole article opens with the passage marked in it
    first.locator("details.qa-doc summary").click()
    passage = first.locator("details.qa-doc mark.qa-passage")
    expect(passage).to_be_visible()
    assert passage.locator("mark.qa-answer").count() == 1
    # ... scrolled to the passage inside the article's box
    seen = first.locator(".qa-doc-text").evaluate(
        "box => { const m = box.querySelector('mark.qa-passage').getBoundingClientRect();"
        " const b = box.getBoundingClientRect(); return m.bottom > b.top && m.top < b.bottom; }")
    assert seen
    first.locator("details.qa-doc summary").click()  # closed again for the screenshot
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    assert not page.js_errors, page.js_errors


def test_example_button_asks_and_history_is_kept(page):
    from playwright.sync_api import expect

    page.get_by_role("button", name="中共中央政治局集体学习是哪一天走进中关村的?").click()
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text("中关村", timeout=ANSWER_TIMEOUT)
    expect(page.locator("#qa-chat .qa-reply").last).not_to_contain_text("正在查找", timeout=ANSWER_TIMEOUT)
    assert "2013年9月30日" in last_reply(page)
    ask(page, INCUBATOR_Q)
    assert page.locator("#qa-chat .qa-reply").count() == 2  # both turns stay in the history
    assert "15家" in last_reply(page)
    # clicking an earlier reply shows that reply's sources again
    page.locator("#qa-chat .qa-reply").first.click()
    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text("政治局", timeout=10_000)


def test_markup_in_articles_and_questions_shows_as_text(page):
    ask(page, XSS_Q)
    assert "271名" in last_reply(page)
    sources = page.locator("#qa-sources")
    source = sources.locator(".qa-source").filter(has_text=XSS_FILE).first
    source.locator("details.qa-doc summary").click()
    text = source.inner_text()
    assert "<script>window.__xss=1</script>" in text
    assert '<img src=x onerror="window.__xss=2">' in text
    assert "{{value}}" in text and "${1+1}" in text and "**星号**" in text
    assert sources.locator("script").count() == 0 and sources.locator("img").count() == 0
    assert page.locator("#qa-chat img[src='x']").count() == 0
    # a question with markup is shown as typed and runs nothing either
    evil_q = '<img src=x onerror="window.__xss=3">蓝鲸湖实验室成立于哪一年?'
    box = page.locator("#qa-question textarea")
    box.fill(evil_q)
    box.press("Enter")
    from playwright.sync_api import expect

    expect(page.locator("#qa-sources .qa-sources-q")).to_contain_text("onerror", timeout=ANSWER_TIMEOUT)
    assert evil_q in page.locator("#qa-chat").inner_text()
    assert evil_q in page.locator("#qa-sources .qa-sources-q").inner_text()
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not page.js_errors, page.js_errors


def test_upload_article_then_ask_about_it(page, server, tmp_path):
    from playwright.sync_api import expect

    article = tmp_path / UPLOAD_FILE
    article.write_text(UPLOAD_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="添加文章").click()
    upload_file(page, article)
    log = page.locator("#qa-upload-log")
    expect(log).to_contain_text(f"已保存为 {UPLOAD_FILE}", timeout=30_000)
    expect(log).to_contain_text("新文章现在可以提问了", timeout=BUILD_TIMEOUT)
    assert (server.seeds / UPLOAD_FILE).read_text(encoding="utf-8") == UPLOAD_ARTICLE
    expect(page.locator("#qa-status")).to_contain_text("7 篇文章")

    page.get_by_role("tab", name="对话").click()
    ask(page, UPLOAD_Q)
    assert "368家" in last_reply(page)
    first = page.locator("#qa-sources .qa-source").first
    assert UPLOAD_FILE in first.locator(".qa-meta").inner_text()
    assert "368家" in first.locator(".qa-passage-box mark.qa-answer").inner_text()

    # the same file again is not added twice, and nothing is overwritten
    page.reload()
    page.get_by_role("tab", name="添加文章").click()
    upload_file(page, article)
    expect(log).to_contain_text("内容相同", timeout=30_000)
    assert sorted(p.name for p in server.seeds.iterdir() if p.name.startswith("xinghewan")) == [UPLOAD_FILE]
    assert not page.js_errors, page.js_errors


def test_server_log_is_clean(server):
    assert "Traceback" not in server.log(), server.log()[-3000:]
