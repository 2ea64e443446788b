"""Every sentence a user reads (CLI, web page, toasts, errors), in one place so it can be translated.

Look a message up by its key and fill its fields: ``say("index_missing", path=p)``. Keys group by
area (``index_*``, ``build_*``, ``question_*``, ``web_*``); a new message gets a new key here.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Questions
    "question_empty": "问题是空的：请输入一个中文问题。",
    # Index store and integrity (qa.store, qa check)
    "index_missing": "{index} 中还没有索引：请先运行 `qa build --index {index}` 建立索引。",
    "index_corrupt": "索引 {index} 已损坏（{problem}）：请运行 `qa build --full --index {index}` 重建索引。",
    "index_model_changed": "嵌入模型 {model} 的文件与建立索引 {index} 时不同：请运行 `qa build --full --index {index}` 重建索引。",
    "index_check_ok": "索引 {index} 完好：{articles} 篇文章，{chunks} 个段落，{sentences} 个句子，模型 {model}。",
    "index_check_failed": "索引 {index} 有问题：",
    "index_check_fix": "请运行 `qa build --full {target}` 重建索引。",
    "index_missing_milvus": "Milvus 存储 {store} 中还没有索引：请先运行 `qa build --store {store}` 建立索引。",
    "store_unknown": "无法识别的存储 {store!r}：请使用 faiss，或 Milvus 地址（本地 *.db 文件或 http://主机:19530）。",
}


def say(key: str, **fields: object) -> str:
    """The message ``key`` with its ``{fields}`` filled in."""
    return MESSAGES[key].format(**fields)
