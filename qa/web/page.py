"""The page layout (Gradio Blocks): the chat tab, the knowledge-base tab, and the named API
endpoints ``/answer``, ``/articles``, ``/add_articles`` and ``/delete_article``."""

import os
from typing import TYPE_CHECKING

from ..messages import say
from .handlers import Handlers
from .rendering import TEMPLATES, placeholder
from .service import TOP_K_MAX, TOP_K_MIN, WebService
from .uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, UPLOAD_SUFFIXES

if TYPE_CHECKING:
    import gradio as gr

EXAMPLES = [
    "北京经开区有多少家市级孵化器?",
    "中共中央政治局集体学习是哪一天走进中关村的?",
    "京津冀国家技术创新中心培育的硬科技企业中有几家是上市企业?",
    "中关村论坛创办于哪一年?",
]
# Questions answered at once (the engine is thread-safe); 16 measured best of 2, 8, 16 with 50
# concurrent clients (bench/load_web.py).
ANSWER_CONCURRENCY = int(os.environ.get("QA_WEB_CONCURRENCY", "16") or 16)
HISTORY_KEY = "qa-chat-history"
STATUS_EVERY = 3.0


def page_css() -> str:
    return (TEMPLATES / "style.css").read_text(encoding="utf-8")


def page_js() -> str:
    return (TEMPLATES / "page.js").read_text(encoding="utf-8")


def _chat_tab(gr, h: Handlers, service: WebService, status: "gr.Markdown") -> tuple:
    """The chat tab; returns (chatbot, sources, saved, export, the controls that change the chat).

    Those controls start disabled: the conversation kept in the browser is restored on load, and a
    question answered before that restore lands would be wiped by it."""
    with gr.Row():
        with gr.Column(scale=3, min_width=300):
            chatbot = gr.Chatbot(label=say("web_chat_label"), elem_id="qa-chat", height=560, latex_delimiters=[],
                                 sanitize_html=True, render_markdown=True, feedback_options=None,
                                 placeholder=say("web_chat_placeholder"))
            with gr.Row():
                question = gr.Textbox(show_label=False, placeholder=say("web_question_placeholder"),
                                      elem_id="qa-question", scale=6, max_lines=4, interactive=False)
                send = gr.Button(say("web_send"), variant="primary", elem_id="qa-send", scale=1, min_width=60,
                                 interactive=False)
            gr.Markdown(say("web_examples"))
            with gr.Row():
                examples = [gr.Button(q, size="sm", elem_classes=["qa-example"], interactive=False) for q in EXAMPLES]
            with gr.Row():
                default_k = min(max(service.settings.top_k, TOP_K_MIN), TOP_K_MAX)
                top_k = gr.Slider(TOP_K_MIN, TOP_K_MAX, value=default_k, step=1, label=say("web_top_k"),
                                  elem_id="qa-topk")
                clear = gr.Button(say("web_clear"), size="sm", elem_id="qa-clear", interactive=False)
                export = gr.DownloadButton(say("web_export"), size="sm", elem_id="qa-export")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown(say("web_sources_heading"))
            sources = gr.HTML(placeholder(), elem_id="qa-sources")
    saved = gr.BrowserState([], storage_key=HISTORY_KEY, secret=HISTORY_KEY)

    chat_io = dict(fn=h.ask, inputs=[question, chatbot, top_k, saved],
                   outputs=[question, chatbot, sources, status, saved],
                   concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer", api_visibility="private")
    # the export button always holds the conversation so far (a click downloads what it holds)
    export_io = dict(fn=h.export, inputs=[saved], outputs=[export], api_visibility="private", queue=False)
    question.submit(**chat_io).then(**export_io)
    send.click(**chat_io).then(**export_io)
    for button, q in zip(examples, EXAMPLES):
        button.click(lambda q=q: q, outputs=[question], api_visibility="private", queue=False).then(
            **chat_io).then(**export_io)

    def show(saved_turns: list, evt: gr.SelectData):
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        html = h.show_turn(saved_turns, int(index))
        return gr.update() if html is None else html

    chatbot.select(show, inputs=[saved], outputs=[sources], api_visibility="private")
    clear.click(lambda: ([], placeholder(), []), outputs=[chatbot, sources, saved], api_visibility="private",
                queue=False)
    return chatbot, sources, saved, export, [question, send, clear, *examples]


def _articles_tab(gr, h: Handlers, status: "gr.Markdown"):
    gr.Markdown(say("web_articles_intro", mb=MAX_UPLOAD_BYTES // 1048576, files=MAX_UPLOAD_FILES))
    with gr.Row():
        files = gr.File(label=say("web_upload_files"), file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                        type="filepath", elem_id="qa-upload-files")
        with gr.Column():
            upload = gr.Button(say("web_upload_button"), variant="primary", elem_id="qa-upload-btn")
            choice = gr.Dropdown([], label=say("web_delete_choice"), elem_id="qa-delete-choice",
                                 allow_custom_value=False)
            delete = gr.Button(say("web_delete_button"), variant="stop", elem_id="qa-delete-btn")
    log_box = gr.HTML("", elem_id="qa-upload-log")
    table = gr.HTML("", elem_id="qa-articles")
    outputs = [log_box, table, choice, status]
    upload.click(h.upload, inputs=[files], outputs=outputs, concurrency_limit=2, concurrency_id="change",
                 api_visibility="private").then(lambda: None, outputs=[files], api_visibility="private")
    delete.click(h.delete, inputs=[choice], outputs=outputs, concurrency_limit=2, concurrency_id="change",
                 api_visibility="private")
    return table, choice


def build_page(service: WebService) -> "gr.Blocks":
    """The Gradio Blocks page over ``service`` (not launched)."""
    import gradio as gr

    h = Handlers(service)
    with gr.Blocks(title=say("web_title"), delete_cache=(3600, 3600)) as demo:
        gr.Markdown(f"## {say('web_title')}\n{say('web_intro')}")
        status = gr.Markdown(service.status_line(), elem_id="qa-status")
        with gr.Tabs():
            with gr.Tab(say("web_tab_chat"), id="chat"):
                chatbot, sources, saved, export, controls = _chat_tab(gr, h, service, status)
            with gr.Tab(say("web_tab_articles"), id="articles", elem_id="qa-articles-tab"):
                table, choice = _articles_tab(gr, h, status)

        seen = gr.State(None)
        restored = demo.load(h.restore, inputs=[saved], outputs=[chatbot, sources], api_visibility="private")
        restored.then(h.export, inputs=[saved], outputs=[export], api_visibility="private", queue=False)
        restored.then(lambda: [gr.update(interactive=True)] * len(controls), outputs=controls,
                      api_visibility="private", queue=False).then(
            None, js="() => { document.querySelector('#qa-question textarea')?.focus(); }")
        demo.load(h.refresh, inputs=[seen], outputs=[table, choice, status, seen], api_visibility="private",
                  queue=False)
        timer = gr.Timer(STATUS_EVERY)
        timer.tick(h.refresh, inputs=[seen], outputs=[table, choice, status, seen], api_visibility="private",
                   queue=False, show_progress="hidden")

        gr.api(h.api_answer, api_name="answer", concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer")
        gr.api(h.api_articles, api_name="articles", queue=False)
        api_files = gr.File(file_count="multiple", type="filepath", visible=False)
        api_result = gr.JSON(visible=False)
        api_trigger = gr.Button(visible=False)
        api_trigger.click(h.api_add_articles, inputs=[api_files], outputs=[api_result], api_name="add_articles",
                          concurrency_limit=2, concurrency_id="change")
        gr.api(h.api_delete_article, api_name="delete_article", concurrency_limit=2, concurrency_id="change")
    return demo
