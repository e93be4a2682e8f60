"""Localises command names, descriptions, options and choices for zh-CN and zh-TW at sync time.

Discord does not fall back between zh-CN and zh-TW, so both are supplied:
Simplified and Traditional (Taiwan) tables, the Traditional one reviewed by a
Taiwan reader (it started as OpenCC ``s2twp`` output, which says 釋出 for
posting and 資料 for a key number); a test lists each place it departs from OpenCC.
"""

from __future__ import annotations

import discord
from discord import app_commands

# English metadata string → Simplified Chinese.
METADATA_ZH: dict[str, str] = {
    # names (lowercase, no spaces: Discord's rule for command and option names)
    "quote": "语录",
    "fact": "数据",
    "topics": "话题",
    "about": "关于",
    "settings": "设置",
    "language": "语言",
    "daily": "每日语录",
    "set": "设定",
    "show": "查看",
    "off": "关闭",
    "resume": "恢复",
    "preview": "预览",
    "topic": "话题",
    "lang": "语言",
    "id": "编号",
    "query": "查询",
    "value": "取值",
    "channel": "频道",
    "time": "时间",
    "timezone": "时区",
    # descriptions
    "A sourced quote: random, about a keyword, or from a topic": "一条有出处的语录：随机、按关键词或按话题",
    "Words or a keyword to look for (English or Chinese)": "要查找的词语或关键词（中英文均可）",
    "Only quotes from this topic": "只看这个话题的语录",
    "Answer in this language": "用这种语言回答",
    "A quote's id, e.g. q-big-blob-of-compute": "语录编号，例如 q-big-blob-of-compute",
    "A key number with the sentence it comes from": "一个关键数据，附带其原句",
    "What number? e.g. revenue, valuation, 估值": "什么数据？例如 revenue、valuation、估值",
    "The topics and how many quotes each has": "所有话题及其语录数量",
    "What this bot is, its sources and counts": "本机器人的介绍、来源和数据量",
    "Server settings": "服务器设置",
    "The server's default language for answers": "本服务器回答的默认语言",
    "automatic (each reader's language)": "自动（跟随每位读者的语言）",
    "English": "英文",
    "Simplified Chinese": "简体中文",
    "Traditional Chinese": "繁体中文",
    "Daily quote in a channel": "在频道中每日发布语录",
    "Post a quote every day in a channel at a local time": "每天在当地时间于某频道发布一条语录",
    "The channel to post in": "发布的频道",
    "Local time, HH:MM (24-hour)": "当地时间，HH:MM（24 小时制）",
    "Time zone, e.g. Asia/Shanghai, 上海 or UTC+8": "时区，例如 Asia/Shanghai、上海 或 UTC+8",
    "Language of the posts": "发布的语言",
    "Only quotes from this topic (optional)": "只发布此话题的语录（可选）",
    "The daily schedule, next and last post": "每日发布计划、下次与上次发布",
    "Stop the daily quote": "停止每日语录",
    "Resume the daily quote": "恢复每日语录",
    "Preview the next daily quote (only you see it)": "预览下一条每日语录（仅你可见）",
}


# Traditional Chinese (zh-TW) as a Taiwan reader expects it: the reviewed source of truth.
# tests/test_translator.py lists and justifies every entry that differs from OpenCC s2twp.
METADATA_ZH_TW: dict[str, str] = {
    "quote": "語錄",
    "fact": "數據",
    "topics": "主題",
    "about": "關於",
    "settings": "設定",
    "language": "語言",
    "daily": "每日語錄",
    "set": "設定",
    "show": "檢視",
    "off": "關閉",
    "resume": "恢復",
    "preview": "預覽",
    "topic": "主題",
    "lang": "語言",
    "id": "編號",
    "query": "查詢",
    "value": "設定值",
    "channel": "頻道",
    "time": "時間",
    "timezone": "時區",
    "A sourced quote: random, about a keyword, or from a topic": "一則附有出處的語錄：隨機、依關鍵字或依主題",
    "Words or a keyword to look for (English or Chinese)": "要查詢的詞語或關鍵字（中英文皆可）",
    "Only quotes from this topic": "只看這個主題的語錄",
    "Answer in this language": "用這種語言回答",
    "A quote's id, e.g. q-big-blob-of-compute": "語錄編號，例如 q-big-blob-of-compute",
    "A key number with the sentence it comes from": "一項關鍵數據，附上出處原句",
    "What number? e.g. revenue, valuation, 估值": "哪項數據？例如 revenue、valuation、估值",
    "The topics and how many quotes each has": "所有主題及各自的語錄數量",
    "What this bot is, its sources and counts": "本機器人的介紹、來源和數量",
    "Server settings": "伺服器設定",
    "The server's default language for answers": "本伺服器回答的預設語言",
    "automatic (each reader's language)": "自動（依每位讀者的語言）",
    "English": "英文",
    "Simplified Chinese": "簡體中文",
    "Traditional Chinese": "繁體中文",
    "Daily quote in a channel": "每天在頻道發布一則語錄",
    "Post a quote every day in a channel at a local time": "每天在當地時間於頻道發布一則語錄",
    "The channel to post in": "要發布的頻道",
    "Local time, HH:MM (24-hour)": "當地時間，HH:MM（24 小時制）",
    "Time zone, e.g. Asia/Shanghai, 上海 or UTC+8": "時區，例如 Asia/Taipei、台北 或 UTC+8",
    "Language of the posts": "發布的語言",
    "Only quotes from this topic (optional)": "只發布此主題的語錄（選填）",
    "The daily schedule, next and last post": "每日發布排程、下次與上次發布",
    "Stop the daily quote": "停止每日語錄",
    "Resume the daily quote": "恢復每日語錄",
    "Preview the next daily quote (only you see it)": "預覽下一則每日語錄（只有你看得到）",
}


class ExponentTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is discord.Locale.chinese:
            return METADATA_ZH.get(string.message)
        if locale is discord.Locale.taiwan_chinese:
            return METADATA_ZH_TW.get(string.message)
        return None
