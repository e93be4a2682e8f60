"""The one place that decides the reader's language, and the conversions it implies.

Order: an explicit choice, then the server's setting, then the reader's
Discord locale (``zh-CN`` → Simplified, ``zh-TW``/``zh-HK`` → Traditional,
anything else → English). Replies follow the person who asked, because a
slash command's answer is for them; a server that wants one public language
sets it with ``/settings language``. Scheduled posts have no reader: they use
the schedule's language, then the server's setting, then the server's locale.
"""

from __future__ import annotations

from enum import Enum

from bot.errors import BadLanguage
from bot.text import to_traditional, to_traditional_phrases


class Lang(str, Enum):
    EN = "en"
    ZH_HANS = "zh-Hans"
    ZH_HANT = "zh-Hant"

    @property
    def base(self) -> str:
        return "en" if self is Lang.EN else "zh"

    @property
    def is_traditional(self) -> bool:
        return self is Lang.ZH_HANT


_ALIASES = {
    "en": Lang.EN,
    "en-us": Lang.EN,
    "en-gb": Lang.EN,
    "english": Lang.EN,
    "英文": Lang.EN,
    "zh": Lang.ZH_HANS,
    "zh-hans": Lang.ZH_HANS,
    "zh-cn": Lang.ZH_HANS,
    "zh-sg": Lang.ZH_HANS,
    "cn": Lang.ZH_HANS,
    "chinese": Lang.ZH_HANS,
    "简体": Lang.ZH_HANS,
    "中文": Lang.ZH_HANS,
    "zh-hant": Lang.ZH_HANT,
    "zh-tw": Lang.ZH_HANT,
    "zh-hk": Lang.ZH_HANT,
    "zh-mo": Lang.ZH_HANT,
    "tw": Lang.ZH_HANT,
    "繁體": Lang.ZH_HANT,
    "繁体": Lang.ZH_HANT,
}
AUTO = "auto"


# A language nobody knows: a user error (bot/errors.py), under the name callers use here.
UnknownLanguage = BadLanguage


def parse_lang(value: str) -> Lang:
    """A language a person typed (``zh``, ``zh-TW``, ``English``…); raises UnknownLanguage."""
    found = _ALIASES.get(value.strip().lower().replace("_", "-"))
    if found is None:
        raise UnknownLanguage(value)
    return found


def from_locale(locale: str | None) -> Lang | None:
    """A Discord locale to our language; None when it is not one we map."""
    if not locale:
        return None
    lowered = locale.lower()
    if lowered in ("zh-tw", "zh-hk", "zh-mo", "zh-hant"):
        return Lang.ZH_HANT
    if lowered.startswith("zh"):
        return Lang.ZH_HANS
    return Lang.EN


def decide(
    explicit: str | Lang | None = None,
    server_setting: str | None = None,
    user_locale: str | None = None,
    server_locale: str | None = None,
) -> Lang:
    """The reader's language. ``explicit`` must already be valid (see ``parse_lang``)."""
    if isinstance(explicit, Lang):
        return explicit
    if explicit:
        return parse_lang(explicit)
    if server_setting and server_setting != AUTO:
        return parse_lang(server_setting)
    return from_locale(user_locale) or from_locale(server_locale) or Lang.EN


def zh_for(lang: Lang, simplified: str) -> str:
    """Quoted Chinese words in the reader's script: characters converted, words kept."""
    return to_traditional(simplified) if lang.is_traditional else simplified


def ui_for(lang: Lang, simplified: str) -> str:
    """Interface text in the reader's script; phrase conversion is fine here."""
    return to_traditional_phrases(simplified) if lang.is_traditional else simplified
