"""What "Another" shows next: a shuffled walk over the card's candidates, with no repeat until all are shown.

The walk is fully described by (filter, first, seed, step), small enough for a button's
``custom_id``: the candidates are recomputed from the filter (a topic's quotes, the
matches of the ``about`` words, or the matching passages when no curated quote matched),
the card first shown comes first, the rest follow in the order ``seed`` shuffles them, and
``step`` says how far the walk has come. After the last candidate the walk starts again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from bot.answer import Answer
from bot.errors import Expired, UserError
from bot.i18n import t
from bot.knowledge import Knowledge
from bot.lang import Lang
from bot.search import Match

SEED_MAX = 36**6 - 1  # six base-36 digits in the custom_id
POOL_LIMIT = 10  # keyword matches walked through (the same depth the first answer looks at)


@dataclass(frozen=True, slots=True)
class Walk:
    topic: str | None
    about: str | None
    first: str  # the id of the card the walk started from
    seed: int
    step: int = 1  # the position shown next (0 is ``first``)

    def advanced(self) -> Walk:
        return replace(self, step=self.step + 1)

    @classmethod
    def start(
        cls, topic: str | None, about: str | None, first: str, rng: random.Random | None = None
    ) -> Walk:
        return cls(topic, about, first, (rng or random.Random()).randint(0, SEED_MAX))


def order(first: str, candidates: list[str], seed: int) -> list[str]:
    """``first``, then every other candidate once, shuffled by ``seed`` (sorted first, so stable)."""
    rest = sorted(set(candidates) - {first})
    random.Random(seed).shuffle(rest)
    return [first, *rest]


async def another(knowledge: Knowledge, walk: Walk, lang: Lang) -> Answer:
    """The card at ``walk.step``: a quote, or a passage when the walk is over passages."""
    is_passage = walk.first in knowledge.passage_by_id
    matches: dict[str, Match] = {}
    if walk.about and walk.about.strip():
        kind = "passage" if is_passage else "quote"
        for match in await knowledge.searcher.search(
            walk.about, kind=kind, topic=None if is_passage else walk.topic, limit=POOL_LIMIT
        ):
            matches.setdefault(match.id, match)
        candidates = list(matches)
        if not candidates and not is_passage and walk.topic is None:
            # A topic name typed as `about` found the topic's quotes (see Knowledge.quote).
            try:
                candidates = await knowledge.store.content.quote_ids(knowledge.resolve_topic(walk.about))
            except UserError:
                candidates = []
    else:
        candidates = await knowledge.store.content.quote_ids(walk.topic)
    sequence = order(walk.first, candidates, walk.seed)
    ref = sequence[walk.step % len(sequence)]
    if is_passage:
        passage = knowledge.passage_by_id.get(ref)
        if passage is None:
            raise Expired()
        item = knowledge.passage_item(passage, lang, matches.get(ref))
        return Answer("quote", lang, "quote", [item], t("excerpt", lang))
    quote = await knowledge.store.content.quote(ref)
    if quote is None:
        raise Expired()
    return Answer("quote", lang, "quote", [await knowledge.quote_item(quote, lang, matches.get(ref))])
