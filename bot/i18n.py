"""Interface strings in English and Simplified Chinese; Traditional is converted (``s2twp``)."""

from __future__ import annotations

from bot.i18n_hant import STRINGS_ZH_HANT
from bot.lang import Lang, ui_for

STRINGS: dict[str, tuple[str, str]] = {
    # key: (English, Simplified Chinese)
    "said_by": ("{speaker}", "{speaker}"),
    "source": ("Source", "来源"),
    "section": ("Section", "章节"),
    "turn": ("turn {turn}, paragraph {paragraph}", "第 {turn} 轮第 {paragraph} 段"),
    "quote_id": ("Quote {id}", "语录 {id}"),
    "fact_id": ("Fact {id}", "数据 {id}"),
    "passage_id": ("Passage {id}", "段落 {id}"),
    "converted": (
        "Traditional Chinese converted from the Simplified translation",
        "繁体中文由简体译文转换",
    ),
    "translation": ("Chinese translation from the bilingual transcript", "中文译文来自双语文字稿"),
    "period": ("Period", "时期"),
    "value": ("Value", "数值"),
    "evidence": ("Evidence", "原文"),
    "standing": ("Standing", "性质"),
    "standing.stated": ("stated by {who}", "{who}的陈述"),
    "standing.estimate": ("estimate by {who}", "{who}的估计"),
    "standing.projection": ("projection by {who}", "{who}的预测"),
    "standing.probability": ("probability given by {who}", "{who}给出的概率"),
    "standing.example": ("stylized example by {who}", "{who}举的假设性例子"),
    "standing.editor": ("editor's figure", "编者提供的数据"),
    "standing.paraphrase": ("paraphrase of {who} in a summary", "摘要对{who}的转述"),
    "editor": ("the editor", "编者"),
    "cites": ("citing {cites}", "引自 {cites}"),
    "matched": ("matched: {terms}", "匹配：{terms}"),
    "corrected": ("searched for {fixes}", "已按 {fixes} 搜索"),
    "matched_any": ("matched some of the words", "匹配了部分关键词"),
    "excerpt": (
        "No curated quote matched; this is the passage of the conversation that did.",
        "没有匹配的精选语录；以下是匹配的访谈段落。",
    ),
    "timeline": ("{label}: {count} figures", "{label}：共 {count} 项"),
    "candidates": (
        "Several facts match {query}; pick one:",
        "有多项数据与 {query} 匹配，请选择：",
    ),
    "no_fact": (
        "No key number matches {query}. Try one of these:",
        "没有与 {query} 匹配的关键数据。可以试试：",
    ),
    "no_quote": (
        "No quote matches {query}. Try another word, or a topic:",
        "没有与 {query} 匹配的语录。换个关键词或话题试试：",
    ),
    "no_quote_id": ("There is no quote with id {id}.", "没有编号为 {id} 的语录。"),
    "unknown_topic": ("Unknown topic {topic}. Topics:", "没有话题 {topic}。可选话题："),
    "empty_topic": ("No quotes are tagged {topic} yet.", "话题 {topic} 下暂无语录。"),
    "topics_title": ("Topics", "话题"),
    "topics_line": ("{name} · {count} quotes", "{name} · {count} 条语录"),
    "about_title": ("Exponent", "Exponent"),
    "about_body": (
        "Sourced quotes and key numbers from Dario Amodei's interviews. Every quote is verbatim "
        "from its transcript and attributed to the person who said it; every number carries the "
        "sentence it comes from.",
        "来自 Dario Amodei 访谈的有出处的语录和关键数据。每条语录都逐字取自文字稿，并注明说话人；"
        "每个数字都附有它所出自的原句。",
    ),
    "about_counts": (
        "{quotes} quotes · {facts} key numbers · {passages} passages · {sources} sources",
        "{quotes} 条语录 · {facts} 项关键数据 · {passages} 个段落 · {sources} 个来源",
    ),
    "version": ("Version {version}", "版本 {version}"),
    "context_title": ("Context of {id}", "{id} 的上下文"),
    "ellipsis_note": ("Shortened; the full text is under Context.", "已截短；完整内容见“上下文”。"),
    "another": ("Another", "再来一条"),
    "context": ("Context", "上下文"),
    "switch_to_en": ("English", "English"),
    "switch_to_zh": ("中文", "中文"),
    "error.generic": (
        "Something went wrong on our side; it has been logged. Please try again.",
        "我们这边出了点问题，已记录。请稍后再试。",
    ),
    "error.cooldown": (
        "Slow down a little: try again in {seconds} s.",
        "请稍等 {seconds} 秒再试。",
    ),
    "error.permission": (
        "You need the Manage Server permission for this.",
        "此操作需要“管理服务器”权限。",
    ),
    "error.bad_lang": (
        "Unknown language {value}: use en, zh-Hans or zh-Hant.",
        "未知语言 {value}：请用 en、zh-Hans 或 zh-Hant。",
    ),
    "error.guild_only": ("This command works only in a server.", "此命令只能在服务器中使用。"),
    "error.expired": ("This button's card no longer exists.", "此按钮对应的卡片已不存在。"),
    "settings.language": ("The server's language is now {lang}.", "本服务器的语言已设为 {lang}。"),
    "lang.auto": (
        "automatic (each reader's Discord language)",
        "自动（跟随每位读者的 Discord 语言）",
    ),
    "lang.en": ("English", "英文"),
    "lang.zh-Hans": ("Simplified Chinese", "简体中文"),
    "lang.zh-Hant": ("Traditional Chinese", "繁体中文"),
    "daily.title": ("Daily quote", "每日语录"),
    "daily.none": (
        "No daily quote is set for this server. An admin can set one with /daily set.",
        "本服务器尚未设置每日语录。管理员可用 /daily set 设置。",
    ),
    "daily.where": ("{channel} at {time} ({zone})", "{channel}，{zone} 时间 {time}"),
    "daily.next": ("Next post", "下次发布"),
    "daily.last": ("Last post", "上次发布"),
    "daily.last_none": ("none yet", "尚无"),
    "daily.last_line": ("{date}: {status}{quote}", "{date}：{status}{quote}"),
    "daily.status.sent": ("sent", "已发布"),
    "daily.status.failed": ("failed", "失败"),
    "daily.status.claimed": ("sending", "发送中"),
    "daily.status.retry": ("will retry", "将重试"),
    "daily.progress": ("Rotation", "轮换进度"),
    "daily.progress_line": (
        "{posted} / {total} quotes posted this cycle",
        "本轮已发布 {posted} / {total} 条",
    ),
    "daily.filters": ("Language and topic", "语言与话题"),
    "daily.any_topic": ("all topics", "全部话题"),
    "daily.paused": ("Paused", "已暂停"),
    "daily.paused_line": (
        "{reason}. Fix it, then /daily resume.",
        "{reason}。修复后请使用 /daily resume。",
    ),
    "daily.off_line": ("Turned off. /daily resume turns it back on.", "已关闭。/daily resume 可重新开启。"),
    "daily.set_done": ("Daily quote set.", "每日语录已设置。"),
    "daily.off_done": ("Daily quote turned off.", "每日语录已关闭。"),
    "daily.resume_done": ("Daily quote resumed.", "每日语录已恢复。"),
    "daily.missing_perms": (
        "I can't post in {channel}: I'm missing {perms}. Nothing was changed.",
        "我无法在 {channel} 发布：缺少 {perms} 权限。未做任何更改。",
    ),
    "daily.preview_note": ("The next daily quote (only you see this):", "下一条每日语录（仅你可见）："),
    "daily.no_quotes": ("No quotes are eligible for this schedule.", "此计划没有可发布的语录。"),
}


def t(key: str, lang: Lang, /, **values: object) -> str:
    en, zh = STRINGS[key]
    if lang is Lang.EN:
        template = en
    elif lang.is_traditional:
        template = STRINGS_ZH_HANT.get(key) or ui_for(lang, zh)
    else:
        template = zh
    return template.format(**values)
