"""The answering core: /quote, /fact, /topics, /about and context, as plain async Python.

Built once from the store (small tables in memory, quotes queried from
SQLite) and used by the Discord cogs and the offline ``ask`` command alike.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from importlib import metadata
from typing import Any

from rapidfuzz import fuzz, process

from bot.answer import ECHO, Answer, Item
from bot.errors import EmptyTopic, NoFact, NoQuote, NoQuoteId, UnknownTopic
from bot.facts import FactIndex, Outcome
from bot.i18n import t
from bot.lang import Lang, zh_for
from bot.lexicon import Lexicon
from bot.models import (
    EDITOR,
    Bilingual,
    Fact,
    FactGroup,
    Passage,
    Person,
    Quote,
    Section,
    Source,
    Topic,
)
from bot.query import Analyzer
from bot.search import Match, Searcher
from bot.store import Store
from bot.text import normalise

try:
    VERSION = metadata.version("exponent")
except metadata.PackageNotFoundError:  # running from a checkout without install
    VERSION = "0.0.0"


_HAN = re.compile(r"[\u3400-\u9fff]{2}")
TOPIC_LIKENESS = 70.0  # rapidfuzz ratio from which a typed word counts as like a topic's name
HOST_WEIGHT = 0.8  # the interviewer's words: this share of the same match by the guest
# A passage (a whole turn) holds more words than a quote by being longer: it answers instead of the
# curated quotes only when, counted at this share, it still holds more of the question.
PASSAGE_SHARE = 0.6
ANSWER_SHARE = 0.4  # the guest's answer to a question holding the reader's words: this share of its match


@dataclass(frozen=True, slots=True)
class QuoteQuery:
    about: str | None = None
    topic: str | None = None
    quote_id: str | None = None
    exclude: str | None = None


class Knowledge:
    def __init__(
        self,
        store: Store,
        *,
        people: dict[str, Person],
        sources: dict[str, Source],
        topics: dict[str, Topic],
        sections: dict[str, Section],
        facts: FactIndex,
        groups: dict[str, FactGroup],
        searcher: Searcher,
        topic_counts: dict[str, int],
        counts: dict[str, int],
        passages: list[Passage],
        traditional: dict[str, str],
    ) -> None:
        self.store = store
        self.people = people
        self.sources = sources
        self.topics = topics
        self.sections = sections
        self.facts = facts
        self.groups = groups
        self.searcher = searcher
        self.topic_counts = topic_counts
        self.counts = counts
        # The transcript is small (one interview): kept in memory, in conversation order.
        self.passages = passages
        self.passage_by_id = {p.id: p for p in passages}
        self._passage_index = {p.id: i for i, p in enumerate(passages)}
        self._replies: dict[tuple[str, int], list[Passage]] = {}
        for passage in passages:
            source = sources.get(passage.source)
            if source is not None and passage.speaker == source.guest:
                self._replies.setdefault((passage.source, passage.turn), []).append(passage)
        self.traditional = traditional
        self._topic_names = {
            normalise(name): topic.id
            for topic in topics.values()
            for name in (topic.id, topic.name.en, topic.name.zh)
        }

    @classmethod
    async def load(cls, store: Store) -> Knowledge:
        content = store.content
        analyzer = Analyzer(
            Lexicon(await content.chinese_words(), await content.char_readings()),
            list((await content.glossary()).values()),
            await content.vocabulary(),
        )
        return cls(
            store,
            people=await content.people(),
            sources=await content.sources(),
            topics=await content.topics(),
            sections=await content.sections(),
            facts=FactIndex(list((await content.facts()).values()), analyzer),
            groups=await content.fact_groups(),
            searcher=Searcher(content, analyzer),
            topic_counts=await content.topic_counts(),
            counts=await content.counts(),
            passages=await content.all_passages(),
            traditional=await content.traditional(),
        )

    # -- naming things in the reader's language -------------------------------------

    def zh(self, lang: Lang, simplified: str) -> str:
        """Our Chinese text in the reader's script: the table made at import, else OpenCC."""
        if not lang.is_traditional:
            return simplified
        return self.traditional.get(simplified) or zh_for(lang, simplified)

    def person_name(self, person_id: str, lang: Lang) -> str:
        if person_id == EDITOR:
            return t("editor", lang)
        person = self.people.get(person_id)
        if person is None:
            return person_id
        return person.name.en if lang is Lang.EN else self.zh(lang, person.name.zh)

    def shown(self, text: Bilingual, lang: Lang) -> str:
        """A displayed data field (a label, a period…) in the reader's language and script."""
        return text.en if lang is Lang.EN else self.zh(lang, text.zh)

    def group_name(self, group_id: str, lang: Lang) -> str:
        group = self.groups.get(group_id)
        if group is None:
            return group_id
        return self.shown(group.name, lang)

    def topic_name(self, topic_id: str, lang: Lang) -> str:
        topic = self.topics.get(topic_id)
        if topic is None:
            return topic_id
        return topic.name.en if lang is Lang.EN else self.zh(lang, topic.name.zh)

    def closest_topics(self, text: str) -> list[str]:
        """Topic ids like ``text``, the closest first: what autocomplete offers and errors suggest first.

        A name or id containing the typed words comes first (``安全`` → 宪法与安全, ``saf`` →
        safety), then names fuzzily like it (typos); empty text is like every topic.
        """
        key = normalise(text)
        if not key:
            return list(self.topics)
        order = {tid: i for i, tid in enumerate(self.topics)}
        best: dict[str, float] = {}
        for name, tid in self._topic_names.items():
            if key in name:
                score = 300.0 if name.startswith(key) else 200.0
            elif any(key[i : i + 2] in name for i in range(len(key) - 1) if _HAN.match(key[i : i + 2])):
                score = 150.0  # a Chinese word of the name in what was typed (安全感 → 宪法与安全)
            elif len(key) >= 3:
                score = fuzz.ratio(key, name[: len(key) + 2])
            else:
                score = 0.0
            best[tid] = max(best.get(tid, 0.0), score)
        close = [tid for tid, score in best.items() if score >= TOPIC_LIKENESS]
        return sorted(close, key=lambda tid: (-best[tid], order[tid]))

    def topic_suggestions(self, text: str, lang: Lang) -> list[Item]:
        """All topics for an unknown topic, the closest first."""
        close = self.closest_topics(text)
        ranked = close + [tid for tid in self.topics if tid not in close]
        return [self.topic_item(self.topics[tid], lang) for tid in ranked]

    def resolve_topic(self, text: str) -> str:
        """A topic id from an id or a name in either language, typo-tolerant; raises UnknownTopic."""
        key = normalise(text)
        if key in self._topic_names:
            return self._topic_names[key]
        if len(key) >= 3:
            prefixed = {tid for name, tid in self._topic_names.items() if name.startswith(key)}
            if len(prefixed) == 1:
                return prefixed.pop()
        if len(key) >= (2 if _HAN.search(key) else 4):
            # A word only one topic's name holds (安全 → 宪法与安全, export → …export controls).
            holding = {tid for name, tid in self._topic_names.items() if key in name}
            if len(holding) == 1:
                return holding.pop()
        best = process.extractOne(key, list(self._topic_names), scorer=fuzz.ratio, score_cutoff=85)
        if best is not None:
            return self._topic_names[best[0]]
        raise UnknownTopic(text, lambda lang: self.topic_suggestions(text, lang))

    def _text(self, en: str, zh: str, lang: Lang) -> tuple[str, bool]:
        """Text in the reader's language and whether its script was converted."""
        if lang is Lang.EN or not zh:
            return (en or zh), False
        return self.zh(lang, zh), lang.is_traditional

    def _source(self, source_id: str, passage: Passage | None, lang: Lang) -> Item:
        source = self.sources.get(source_id)
        if source is None:
            return {"id": source_id}
        item: Item = {
            "id": source.id,
            "title": source.title.en if lang is Lang.EN else self.zh(lang, source.title.zh),
            "date": source.date,
            "url": source.url,
            "what": self.shown(source.what, lang) if source.what else None,
            "kind": source.kind,
            "section": None,
        }
        if passage is not None:
            section = self.sections.get(passage.section)
            if section is not None:
                item["section"] = section.name.en if lang is Lang.EN else self.zh(lang, section.name.zh)
            item["passage"] = passage.id
            item["turn"] = passage.turn
            item["paragraph"] = passage.paragraph
        return item

    # -- items --------------------------------------------------------------------

    def _words_item(
        self,
        kind: str,
        item_id: str,
        words: Bilingual,
        speaker: str,
        source: str,
        passage: Passage | None,
        lang: Lang,
        match: Match | None,
    ) -> Item:
        """Someone's words (a quote or a passage) in the reader's language, with their source."""
        text, converted = self._text(words.en, words.zh, lang)
        item: Item = {
            "type": kind,
            "id": item_id,
            "text": text,
            "original": words.en,
            "converted": converted,
            "speaker": self.person_name(speaker, lang),
            "speaker_id": speaker,
            "source": self._source(source, passage, lang),
        }
        if match is not None:
            item["match"] = _match_info(match)
        return item

    async def quote_item(self, quote: Quote, lang: Lang, match: Match | None = None) -> Item:
        passage = self.passage_by_id.get(quote.passage)
        item = self._words_item(
            "quote", quote.id, quote.text, quote.speaker, quote.source, passage, lang, match
        )
        item["topics"] = [{"id": tid, "name": self.topic_name(tid, lang)} for tid in quote.topics]
        return item

    def passage_item(self, passage: Passage, lang: Lang, match: Match | None = None) -> Item:
        return self._words_item(
            "passage", passage.id, passage.text, passage.speaker, passage.source, passage, lang, match
        )

    def fact_item(self, fact: Fact, lang: Lang) -> Item:
        evidence, converted = self._text(fact.evidence.en, fact.evidence.zh, lang)
        who = self.person_name(fact.by, lang)
        standing = t(f"standing.{fact.standing}", lang, who=who)
        cites = self.shown(fact.cites, lang) if fact.cites else None
        if cites:
            note = t("cites", lang, cites=cites)
            standing += f" ({note})" if lang is Lang.EN else f"（{note}）"
        return {
            "type": "fact",
            "id": fact.id,
            "group": fact.group,
            "label": self.shown(fact.label, lang),
            "value": self.shown(fact.value, lang),
            "number": fact.number,
            "unit": fact.unit,
            "period": self.shown(fact.period, lang) if fact.period else None,
            "text": evidence,
            "evidence_language": "zh" if evidence != fact.evidence.en or not fact.evidence.en else "en",
            "converted": converted,
            "speaker": who,
            "speaker_id": fact.by,
            "standing": fact.standing,
            "standing_text": standing,
            "cites": cites,
            "source": self._source(fact.source, self.passage_by_id.get(fact.passage or ""), lang),
        }

    def topic_item(self, topic: Topic, lang: Lang) -> Item:
        return {
            "type": "topic",
            "id": topic.id,
            "name": self.topic_name(topic.id, lang),
            "count": self.topic_counts.get(topic.id, 0),
        }

    def _topic_suggestions(self, lang: Lang) -> list[Item]:
        return [self.topic_item(topic, lang) for topic in self.topics.values()]

    # -- commands -----------------------------------------------------------------

    async def quote(self, query: QuoteQuery, lang: Lang, *, rng: random.Random | None = None) -> Answer:
        command = "quote"
        if query.quote_id:
            quote = await self.store.content.quote(normalise(query.quote_id))
            if quote is None:
                passage = self.passage_by_id.get(normalise(query.quote_id))
                if passage is not None:
                    return Answer(command, lang, "quote", [self.passage_item(passage, lang)])
                raise NoQuoteId(query.quote_id)
            return Answer(command, lang, "quote", [await self.quote_item(quote, lang)])
        topic = self.resolve_topic(query.topic) if query.topic else None
        if query.about and query.about.strip():
            return await self._quote_about(query.about.strip(), topic, lang, query.exclude, rng)
        quote = await self.store.content.random_quote(topic, query.exclude, rng)
        if quote is None:
            raise EmptyTopic(lambda reader: self.topic_name(topic or "", reader))
        return Answer(command, lang, "quote", [await self.quote_item(quote, lang)])

    async def _quote_about(
        self,
        about: str,
        topic: str | None,
        lang: Lang,
        exclude: str | None,
        rng: random.Random | None = None,
    ) -> Answer:
        query = self.searcher.analyze(about)
        matches = await self.searcher.search(query, kind="quote", topic=topic, limit=10)
        if not matches and topic is None and query.terms:
            # A topic name typed as `about` still finds the topic's quotes.
            try:
                topic_id = self.resolve_topic(about)
            except UnknownTopic:
                topic_id = None
            if topic_id is not None:
                quote = await self.store.content.random_quote(topic_id, exclude)
                if quote is not None:
                    return Answer("quote", lang, "quote", [await self.quote_item(quote, lang)])
        passages = [] if topic else await self.searcher.search(query, kind="passage", limit=10)
        scores = self._passage_scores(passages)
        matches = await self._with_answers(matches, scores, topic)
        # The whole conversation answers when no curated quote holds as much of the question.
        best_quote = max((m.score for m in matches), default=0.0)
        best_passage = max(scores.items(), key=lambda kv: kv[1][0], default=None)
        if best_passage is not None and best_passage[1][0] * PASSAGE_SHARE > best_quote:
            passage = self.passage_by_id.get(best_passage[0])
            if passage is not None and passage.text.en:
                item = self.passage_item(passage, lang, best_passage[1][1])
                runners_up = [m for m in matches if m.quote is not None and m.quote.passage != passage.id][:4]
                more = [await self.quote_item(m.quote, lang, m) for m in runners_up if m.quote is not None]
                return Answer("quote", lang, "quote", [item], t("excerpt", lang), extra={"more": more})
        if matches:
            # Quotes are about the guest's thinking: for the same share of the question, an
            # interviewer's words rank a little below the guest's own (bm25: lower is better).
            ordered = [m for m in matches if m.id != exclude] or matches
            if exclude:
                # "Another" on a keyword card: one of the other good matches, not always the next.
                pick = (rng or random).choice(ordered[:5])
                ordered = [pick, *[m for m in ordered if m is not pick]]
            shown = [m for m in ordered if m.quote is not None][:5]  # the answer and 4 runners-up
            items = [await self.quote_item(m.quote, lang, m) for m in shown if m.quote is not None]
            return Answer("quote", lang, "quote", items[:1], extra={"more": items[1:]})
        if best_passage is not None:
            passage = self.passage_by_id.get(best_passage[0])
            if passage is not None:
                item = self.passage_item(passage, lang, best_passage[1][1])
                return Answer("quote", lang, "quote", [item], t("excerpt", lang))
        raise NoQuote(about, self._topic_suggestions)

    def _passage_scores(self, passages: list[Match]) -> dict[str, tuple[float, Match]]:
        """Each passage's share of the question, and the guest's answers to a matching question.

        Readers ask what the interviewer asked, in words like his: when his question holds the
        reader's words, the guest's next turn (which may not repeat them) is the answer.
        """
        scores = {m.id: (m.score * self._host_factor(m), m) for m in passages}
        for match in passages:
            passage = self.passage_by_id.get(match.id)
            if passage is None or self._host_factor(match) == 1.0:
                continue
            answer = replace(match, mode="answer", terms=(), score=match.score * ANSWER_SHARE)
            for reply in self._replies.get((passage.source, passage.turn + 1), []):
                own, own_match = scores.get(reply.id, (0.0, None))
                combined = 1 - (1 - own) * (1 - answer.score)
                if own_match is None or own_match.mode == "answer":
                    scores[reply.id] = (max(own, answer.score), replace(answer, id=reply.id))
                else:
                    scores[reply.id] = (combined, replace(own_match, score=combined))
        return scores

    async def _with_answers(
        self, matches: list[Match], scores: dict[str, tuple[float, Match]], topic: str | None
    ) -> list[Match]:
        """Quotes ranked by their share of the question, with the curated quotes of answering turns."""
        ranked = {m.id: replace(m, score=m.score * self._host_factor(m)) for m in matches}
        answering = {pid: match for pid, (_, match) in scores.items() if match.mode == "answer"}
        for quote in await self.store.content.quotes_in_passages(sorted(answering), topic):
            answer = answering[quote.passage]
            own = ranked.get(quote.id)
            if own is None:
                ranked[quote.id] = replace(answer, id=quote.id, quote=quote)
            else:  # holds some of the words itself, and answers a question holding them
                ranked[quote.id] = replace(own, score=1 - (1 - own.score) * (1 - answer.score))
        return sorted(ranked.values(), key=lambda m: (-m.score, m.rank))

    def _host_factor(self, match: Match) -> float:
        """The interviewer's words count a little less than the guest's for the same match."""
        said = match.quote or self.passage_by_id.get(match.id)
        if said is None:
            return 1.0
        source = self.sources.get(said.source)
        return HOST_WEIGHT if source is not None and said.speaker == source.host else 1.0

    def fact(self, query: str, lang: Lang) -> Answer:
        command = "fact"
        resolution = self.facts.resolve(query)
        if resolution.outcome is Outcome.FACT:
            return Answer(command, lang, "fact", [self.fact_item(resolution.facts[0], lang)])
        if resolution.outcome is Outcome.GROUP:
            items = [self.fact_item(f, lang) for f in resolution.facts]
            label = self.group_name(resolution.facts[0].group, lang)
            return Answer(command, lang, "facts", items, t("timeline", lang, label=label, count=len(items)))
        if resolution.outcome is Outcome.CANDIDATES:
            items = [self.fact_item(f, lang) for f in resolution.facts]
            return Answer(command, lang, "candidates", items, t("candidates", lang, query=ECHO), echo=query)
        raise NoFact(query, lambda reader: [self.fact_item(f, reader) for f in resolution.suggestions])

    def fact_by_id(self, fact_id: str) -> Fact | None:
        return self.facts.by_id.get(fact_id)

    def topics_answer(self, lang: Lang) -> Answer:
        items = [self.topic_item(topic, lang) for topic in self.topics.values()]
        return Answer("topics", lang, "topics", items, t("topics_title", lang))

    def about_answer(self, lang: Lang) -> Answer:
        items = [self._source(source.id, None, lang) | {"type": "source"} for source in self.sources.values()]
        counts = self.counts
        message = "\n".join(
            [
                t("about_body", lang),
                t(
                    "about_counts",
                    lang,
                    quotes=counts.get("quotes", 0),
                    facts=counts.get("facts", 0),
                    passages=counts.get("passages", 0),
                    sources=counts.get("sources", 0),
                ),
                t("version", lang, version=VERSION),
            ]
        )
        return Answer("about", lang, "about", items, message, extra={"counts": counts, "version": VERSION})

    async def context(self, ref: str, lang: Lang, *, radius: int = 1) -> Answer:
        """The passage holding a quote (or a passage by id), with its neighbours."""
        quote = await self.store.content.quote(ref)
        passage_id = quote.passage if quote is not None else ref
        index = self._passage_index.get(passage_id)
        passages = self.passages
        if index is None:
            raise NoQuoteId(ref)
        window = passages[max(0, index - radius) : index + radius + 1]
        items = [self.passage_item(p, lang) | {"focus": p.id == passage_id} for p in window]
        if quote is not None:  # the quoted words, so the card can mark them in their passage
            focus = next(item for item in items if item["focus"])
            focus["quote"] = (await self.quote_item(quote, lang))["text"]
        return Answer("context", lang, "context", items, t("context_title", lang, id=ref), private=True)

    async def export(self) -> dict[str, Any]:
        """The whole knowledge base, items in the shape of ``ask --json``, both languages."""
        out: dict[str, Any] = {"version": VERSION, "counts": self.counts}
        out["sources"] = [self._source(s, None, Lang.EN) | {"type": "source"} for s in self.sources]
        out["topics"] = [
            {
                "id": tp.id,
                "name": {"en": tp.name.en, "zh": tp.name.zh},
                "count": self.topic_counts.get(tp.id, 0),
            }
            for tp in self.topics.values()
        ]
        quotes = await self.store.content.all_quotes()
        out["quotes"] = [
            {"en": await self.quote_item(q, Lang.EN), "zh": await self.quote_item(q, Lang.ZH_HANS)}
            for q in quotes
        ]
        out["facts"] = [
            {"en": self.fact_item(f, Lang.EN), "zh": self.fact_item(f, Lang.ZH_HANS)}
            for f in self.facts.facts
        ]
        out["passages"] = [
            self.passage_item(p, Lang.EN)
            | {"zh": p.text.zh, "en_lines": list(p.en_lines), "zh_lines": list(p.zh_lines)}
            for p in self.passages
        ]
        return out


def _match_info(match: Match) -> Item:
    return {
        "terms": list(match.terms),
        "mode": match.mode,
        "corrected": dict(match.corrected),
        "rank": round(match.rank, 4),
        "score": match.score,
    }
