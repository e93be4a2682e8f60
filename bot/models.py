"""The knowledge base as plain, immutable Python objects."""

from __future__ import annotations

from dataclasses import dataclass, field

PersonId = str
EDITOR = "editor"

SOURCE_KINDS = ("transcript", "translation", "summary", "article")
STANDINGS = (
    "stated",
    "estimate",
    "projection",
    "probability",
    "aim",
    "example",
    "editor",
    "paraphrase",
)


@dataclass(frozen=True, slots=True)
class Bilingual:
    en: str
    zh: str

    def get(self, lang_base: str) -> str:
        return self.zh if lang_base == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Person:
    id: PersonId
    name: Bilingual
    role: Bilingual


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: Bilingual
    host: PersonId
    guest: PersonId
    date: str
    url: str | None  # the source's own address; None when it has none we know
    kind: str
    languages: tuple[str, ...]
    file: str | None = None
    note: str | None = None
    what: Bilingual | None = None  # what it is, shown instead of a link when it has no address


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: Bilingual


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    name: Bilingual
    order: int


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    source: str
    section: str
    speaker: PersonId
    turn: int
    paragraph: int
    text: Bilingual
    en_lines: tuple[int, ...]
    zh_lines: tuple[int, ...]
    order: int


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    speaker: PersonId
    source: str
    text: Bilingual
    topics: tuple[str, ...]
    passage: str
    order: int


@dataclass(frozen=True, slots=True)
class FactGroup:
    """Facts that answer together as a timeline, with the name its title shows."""

    id: str
    name: Bilingual
    order: int


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    group: str
    label: Bilingual
    value: Bilingual
    by: str
    standing: str
    source: str
    evidence: Bilingual
    aliases_en: tuple[str, ...] = ()
    aliases_zh: tuple[str, ...] = ()
    number: float | None = None
    unit: str | None = None
    period: Bilingual | None = None  # as displayed, in both languages
    order: float = 0.0
    cites: Bilingual | None = None  # whom an editor's figure cites, in both languages
    passage: str | None = None


@dataclass(frozen=True, slots=True)
class ChartRule:
    """A group's entry in ``data/charts.yaml``: drawn in ``unit``, or (``unit`` None) not, and why."""

    group: str
    unit: str | None
    title: Bilingual = Bilingual("", "")
    axis: Bilingual = Bilingual("", "")
    leave_out: tuple[tuple[str, str], ...] = ()  # (fact id, why it is not on the chart)
    why: str = ""


@dataclass(frozen=True, slots=True)
class Correction:
    lines: tuple[int, ...]
    kind: str
    passages: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One of the interview's key terms and the words readers use for it, in both languages."""

    id: str
    en: tuple[str, ...]
    zh: tuple[str, ...]
    zh_tw: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return (*self.en, *self.zh, *self.zh_tw)


@dataclass(slots=True)
class Pack:
    """Everything loaded from ``data/``; ``problems`` says what is wrong with it."""

    people: dict[str, Person] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    passages: dict[str, Passage] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    groups: dict[str, FactGroup] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    charts: dict[str, ChartRule] = field(default_factory=dict)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)
    digest: str = ""
