"""What /daily show says, as plain data: the schedule, next and last post, progress, pause.

Discord timestamps (``<t:…:F>``) show each reader the instant in their own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.daily_reasons import decode
from bot.i18n import parens, t
from bot.lang import Lang
from bot.store.daily import DailyPost, RotationProgress, Schedule
from bot.zones import zone_label


@dataclass(frozen=True, slots=True)
class StatusField:
    name: str
    value: str


def discord_time(epoch: int) -> str:
    return f"<t:{epoch}:F> (<t:{epoch}:R>)"


def reason_text(stored: str, lang: Lang) -> str:
    """A stored failure or pause reason in the reader's language; Discord's detail as code."""
    code, detail = decode(stored)
    text = t(f"daily.reason.{code}", lang)
    detail = detail.replace("`", "'")
    return text + parens(lang, f"`{detail}`") if detail else text


def is_being_retried(schedule: Schedule, last: DailyPost | None, now: datetime) -> bool:
    """The next run is already past and a day is claimed but not settled: a process is
    sending it, or died while it did and another will take the claim over shortly. A past
    instant would read as a missed post."""
    return schedule.next_run_utc <= now and last is not None and last.status in ("claimed", "retry")


def daily_status(
    schedule: Schedule,
    last: DailyPost | None,
    progress: RotationProgress,
    lang: Lang,
    *,
    topic_name: str | None,
    post_language: str,
    now: datetime | None = None,
) -> tuple[str, list[StatusField]]:
    """(summary line, fields) for a schedule."""
    now = now or datetime.now(UTC)
    summary = t(
        "daily.where",
        lang,
        channel=f"<#{schedule.channel_id}>",
        time=schedule.local_time.strftime("%H:%M"),
        zone=zone_label(schedule.timezone, now),
    )
    fields: list[StatusField] = []
    if schedule.enabled and is_being_retried(schedule, last, now):
        assert last is not None
        fields.append(
            StatusField(t("daily.next", lang), t("daily.retrying", lang, date=last.local_date.isoformat()))
        )
    elif schedule.enabled:
        fields.append(
            StatusField(t("daily.next", lang), discord_time(int(schedule.next_run_utc.timestamp())))
        )
    elif schedule.paused_reason:
        fields.append(
            StatusField(
                t("daily.paused", lang),
                t("daily.paused_line", lang, reason=reason_text(schedule.paused_reason, lang)),
            )
        )
    else:
        fields.append(StatusField(t("daily.paused", lang), t("daily.off_line", lang)))
    if last is None:
        fields.append(StatusField(t("daily.last", lang), t("daily.last_none", lang)))
    else:
        quote = f" · `{last.quote_id}`" if last.quote_id else ""
        status = t(f"daily.status.{last.status}", lang)
        if last.error and last.status != "sent":
            status += parens(lang, reason_text(last.error, lang))
        fields.append(
            StatusField(
                t("daily.last", lang),
                t("daily.last_line", lang, date=last.local_date.isoformat(), status=status, quote=quote),
            )
        )
    fields.append(
        StatusField(
            t("daily.progress", lang),
            t("daily.progress_line", lang, posted=progress.posted, total=progress.total),
        )
    )
    fields.append(
        StatusField(
            t("daily.filters", lang),
            f"{post_language} · {topic_name or t('daily.any_topic', lang)}",
        )
    )
    return summary, fields
