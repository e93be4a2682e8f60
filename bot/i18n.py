"""Interface strings in English, Simplified and Traditional Chinese, and the one renderer of user errors.

English and Simplified are kept side by side here; Traditional (Taiwan) is its own reviewed
table in ``bot.i18n_hant`` (the source of truth; ``tests/test_language.py`` lists and justifies
each place where it differs from OpenCC's ``s2twp``).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.errors import ECHO, UserError
from bot.i18n_hant import STRINGS_ZH_HANT
from bot.lang import Lang

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
    "evidence_zh": ("Evidence, in its original language (Chinese)", "原文（中文）"),
    "evidence_zh_short": ("original, in Chinese", "中文原文"),
    "standing": ("Standing", "性质"),
    "standing.stated": ("stated by {who}", "{who}的陈述"),
    "standing.estimate": ("estimate by {who}", "{who}的估计"),
    "standing.projection": ("projection by {who}", "{who}的预测"),
    "standing.probability": ("probability given by {who}", "{who}给出的概率"),
    "standing.aim": ("aim given by {who}", "{who}给出的目标"),
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
    "topics_title": ("Topics", "话题"),
    "topics_line": ("{name} · {count} quotes", "{name} · {count} 条语录"),
    "topics_all": ("All topics:", "全部话题："),
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
    "your_copy": ("Your own copy (only you see it):", "你自己的副本（仅你可见）："),
    # errors (bot/errors.py): one key per kind of problem
    "error.generic": (
        "Something went wrong on our side; it has been logged. Please try again.",
        "我们这边出了点问题，已记录。请稍后再试。",
    ),
    "error.cooldown": (
        "Slow down a little: try again in {seconds} s.",
        "请稍等 {seconds} 秒再试。",
    ),
    "error.permission": ("You need the {perms} permission for this.", "此操作需要“{perms}”权限。"),
    "error.bot_permission": (
        "I can't post in {channel}: I'm missing {perms}. Nothing was changed.",
        "我无法在 {channel} 发布：缺少“{perms}”权限。未做任何更改。",
    ),
    "error.not_text_channel": (
        "{channel} is not a text channel: pick a text channel. Nothing was changed.",
        "{channel} 不是文字频道，请选择文字频道。未做任何更改。",
    ),
    "error.bad_lang": (
        "Unknown language {value}: use en, zh-Hans or zh-Hant.",
        "未知语言 {value}：请用 en、zh-Hans 或 zh-Hant。",
    ),
    "error.guild_only": ("This command works only in a server.", "此命令只能在服务器中使用。"),
    "error.expired": (
        "What this button showed is no longer in the knowledge base.",
        "此按钮对应的内容已不在资料库中。",
    ),
    "error.too_long": (
        "“{option}” is too long (at most {limit} characters).",
        "“{option}”太长（最多 {limit} 个字符）。",
    ),
    "error.invalid_text": (
        "“{option}” holds characters that are not valid text (a broken Unicode sequence). Please retype it.",
        "“{option}”包含无效字符（编码不完整），请重新输入。",
    ),
    "error.missing_option": ("/{command} needs “{option}”.", "请填写“{option}”。"),
    "error.bad_value": ("One of the values does not fit its option.", "有一项取值无效。"),
    "error.no_quote_id": ("There is no quote with id {id}.", "没有编号为 {id} 的语录。"),
    "error.no_quote": (
        "No quote matches {query}. Try another word, or a topic:",
        "没有与 {query} 匹配的语录。换个关键词或话题试试：",
    ),
    "error.no_fact": (
        "No key number matches {query}. Try one of these:",
        "没有与 {query} 匹配的关键数据。可以试试：",
    ),
    "error.unknown_topic": (
        "Unknown topic {topic}. Topics, the closest first:",
        "没有话题 {topic}。可选话题（最接近的在前）：",
    ),
    "error.empty_topic": ("No quotes are tagged {topic} yet.", "话题 {topic} 下暂无语录。"),
    "error.bad_time.format": (
        "Invalid time {time}: use 24-hour HH:MM, for example 09:05 or 21:30.",
        "时间 {time} 无效：请用 24 小时制 HH:MM，例如 09:05 或 21:30。",
    ),
    "error.bad_time.hour": (
        "Invalid time {time}: the hour must be between 00 and 23.",
        "时间 {time} 无效：小时须在 00 到 23 之间。",
    ),
    "error.bad_time.minute": (
        "Invalid time {time}: the minutes must be between 00 and 59.",
        "时间 {time} 无效：分钟须在 00 到 59 之间。",
    ),
    "error.bad_time.midnight": (
        "Invalid time {time}: use 00:00 for midnight.",
        "时间 {time} 无效：午夜请写 00:00。",
    ),
    "error.unknown_zone": (
        "Unknown time zone {zone}. Use a city such as Asia/Shanghai or 上海, or an offset such as UTC+8.",
        "未知时区 {zone}。请用城市（如 上海 或 Asia/Shanghai）或偏移（如 UTC+8）。",
    ),
    "error.unknown_zone_hint": (
        "Unknown time zone {zone}. Did you mean: {zones}?",
        "未知时区 {zone}。你是不是要找：{zones}？",
    ),
    # permission names as Discord shows them in each language
    "perm.manage_guild": ("Manage Server", "管理服务器"),
    "perm.view_channel": ("View Channel", "查看频道"),
    "perm.send_messages": ("Send Messages", "发送消息"),
    "perm.embed_links": ("Embed Links", "嵌入链接"),
    "perm.read_message_history": ("Read Message History", "读取消息历史"),
    # option names as the command pickers show them (bot/discordbot/translator.py agrees)
    "option.about": ("about", "关于"),
    "option.topic": ("topic", "话题"),
    "option.lang": ("lang", "语言"),
    "option.id": ("id", "编号"),
    "option.query": ("query", "查询"),
    "option.value": ("value", "取值"),
    "option.channel": ("channel", "频道"),
    "option.time": ("time", "时间"),
    "option.timezone": ("timezone", "时区"),
    "settings.language": ("The server's language is now {lang}.", "本服务器的语言已设为{lang}。"),
    "kind.transcript": ("transcript", "文字稿"),
    "kind.translation": ("translation", "译文"),
    "kind.summary": ("summary", "摘要"),
    "kind.article": ("article", "文章"),
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
        "本服务器尚未设置每日语录。管理员可用 /每日语录 设定 设置。",
    ),
    "daily.where": ("{channel} at {time} ({zone})", "{channel}，{zone} 时间 {time}"),
    "daily.when": (
        "Posts at {time} local time ({zone}); next post {next}.",
        "每天当地时间 {time}（{zone}）发布；下次发布：{next}。",
    ),
    "daily.no_dst": (
        "{zone} is a fixed offset with no daylight saving time: for a place that changes its clocks, "
        "pick its city (e.g. America/New_York).",
        "{zone} 是固定偏移，没有夏令时；所在地区若调整时钟，请选择城市（如 America/New_York）。",
    ),
    "daily.next": ("Next post", "下次发布"),
    "daily.retrying": (
        "Due now: the post of {date} is being sent or retried.",
        "已到发布时间：{date} 的发布正在发送或重试。",
    ),
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
        "{reason}。修复后请使用 /每日语录 恢复。",
    ),
    "daily.reason.channel_gone": ("The channel no longer exists", "频道已不存在"),
    "daily.reason.forbidden": ("I may no longer post in the channel", "我已无权在该频道发布"),
    "daily.reason.history": (
        "I may not read the channel's message history, which I need to be sure a post is never made twice",
        "我无权读取该频道的消息历史，需要它才能确保不会重复发布",
    ),
    "daily.reason.bad_zone": ("The time zone is no longer known", "时区已无法识别"),
    "daily.reason.no_quotes": ("No quotes are eligible", "没有可发布的语录"),
    "daily.reason.gave_up": ("Gave up after several attempts", "多次尝试后放弃"),
    "daily.reason.transient": ("Discord did not take the post", "Discord 未接收这条发布"),
    "daily.reason.other": ("Stopped after an error", "因错误而停止"),
    "daily.off_line": ("Turned off. /daily resume turns it back on.", "已关闭。/每日语录 恢复 可重新开启。"),
    "daily.set_done": ("Daily quote set.", "每日语录已设置。"),
    "daily.off_done": ("Daily quote turned off.", "每日语录已关闭。"),
    "daily.resume_done": ("Daily quote resumed.", "每日语录已恢复。"),
    "daily.preview_note": ("The next daily quote (only you see this):", "下一条每日语录（仅你可见）："),
    "daily.no_quotes": ("No quotes are eligible for this schedule.", "此计划没有可发布的语录。"),
}


def t(key: str, lang: Lang, /, **values: object) -> str:
    en, zh = STRINGS[key]
    if lang is Lang.EN:
        template = en
    elif lang.is_traditional:
        template = STRINGS_ZH_HANT[key]
    else:
        template = zh
    return template.format(**values)


def listing(lang: Lang, parts: Iterable[str]) -> str:
    """Items named one after another: ``a, b`` in English, ``a、b`` in Chinese."""
    return (", " if lang is Lang.EN else "、").join(parts)


def parens(lang: Lang, text: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return f" ({text})" if lang is Lang.EN else f"（{text}）"


def permission_names(lang: Lang, permissions: Iterable[str]) -> str:
    """Discord permission attributes (``send_messages``) named as Discord shows them to the reader."""
    return listing(lang, (t(f"perm.{p}", lang) if f"perm.{p}" in STRINGS else p for p in permissions))


def error_message(error: UserError, lang: Lang) -> str:
    """The one place a user error becomes words; the user's own text stays as ``ECHO``."""
    values: dict[str, object] = {}
    for name, value in error.params.items():
        if name == "perms" and isinstance(value, tuple):
            values[name] = permission_names(lang, value)
        elif name == "option" and isinstance(value, str) and f"option.{value}" in STRINGS:
            values[name] = t(f"option.{value}", lang)
        elif callable(value):
            values[name] = value(lang)
        else:
            values[name] = value
    return t(error.key, lang, **values)


__all__ = ["ECHO", "STRINGS", "error_message", "listing", "parens", "permission_names", "t"]
