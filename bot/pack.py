"""Loading the YAML data pack into models, reporting every schema problem by file and entry.

Paths resolve from the package (``DEFAULT_DATA_DIR``), never from the working
directory. Loading never raises on bad data: it collects ``Problem``s so a
curator sees them all at once, and the store refuses a pack that has any.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.charts import rule_problems
from bot.models import (
    EDITOR,
    SOURCE_KINDS,
    STANDINGS,
    Bilingual,
    ChartRule,
    Correction,
    Fact,
    FactGroup,
    GlossaryEntry,
    Pack,
    Passage,
    Person,
    Quote,
    Section,
    Source,
    Topic,
)
from bot.text import INDEX_VERSION, is_han, normalise, squash

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# The fields each kind of entry may have (anything else is a typo or a YAML slip).
FIELDS: dict[str, frozenset[str]] = {
    "people": frozenset({"id", "name", "role"}),
    "sources": frozenset(
        {"id", "title", "host", "guest", "date", "url", "what", "kind", "languages", "file", "note"}
    ),
    "topics": frozenset({"id", "en", "zh"}),
    "sections": frozenset({"id", "en", "zh"}),
    "passages": frozenset(
        {"id", "section", "speaker", "turn", "paragraph", "en", "en_lines", "zh", "zh_lines"}
    ),
    "corrections": frozenset({"lines", "kind", "passages", "reason"}),
    "groups": frozenset({"id", "name"}),
    "charts": frozenset({"group", "unit", "title", "axis", "leave_out", "no_chart"}),
    "terms": frozenset({"id", "en", "zh", "zh_tw"}),
    "quotes": frozenset({"id", "speaker", "source", "en", "zh", "text", "topics", "passage"}),
    "facts": frozenset(
        {
            "id",
            "group",
            "label",
            "value",
            "number",
            "unit",
            "period",
            "order",
            "by",
            "cites",
            "standing",
            "source",
            "evidence",
            "aliases",
            "passage",
        }
    ),
}
CORRECTION_KINDS = (
    "relabel",
    "realign",
    "split",
    "join",
    "duplicate",
    "alternate-wording",
    "missing-original",
)

# What Chinese display text writes in full width: ASCII punctuation there reads as English.
ASCII_PUNCTUATION_RE = re.compile(r"[,:;()?!\"]")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.reason}"


class PackError(Exception):
    """A data pack with problems; refused as a whole."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the data pack:\n{shown}{more}")


class _Entry:
    """Typed access to one YAML mapping that records what is wrong with it."""

    def __init__(self, raw: Any, file: str, entry: str, problems: list[Problem]) -> None:
        self.raw: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.file = file
        self.entry = entry
        self.problems = problems
        if not isinstance(raw, dict):
            self.fail("is not a mapping")

    def fail(self, reason: str) -> None:
        self.problems.append(Problem(self.file, self.entry, reason))

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"missing `{key}`")
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(f"`{key}` must be text")
            return ""
        if required and not value.strip():
            self.fail(f"`{key}` is empty")
        return value

    def opt_text(self, key: str) -> str | None:
        return self.text(key, required=False) or None

    def id(self) -> str:
        value = self.text("id")
        if value and not ID_RE.match(value):
            self.fail(f"id {value!r} must be lowercase letters, digits and dashes")
        return value

    def bilingual(self, key: str, *, need: Iterable[str] = ("en", "zh")) -> Bilingual:
        value = self.raw.get(key)
        if not isinstance(value, dict):
            self.fail(f"`{key}` must be a mapping with en and zh")
            return Bilingual("", "")
        texts: dict[str, str] = {}
        for lang in ("en", "zh"):
            text = value.get(lang, "")
            if not isinstance(text, str):
                self.fail(f"`{key}.{lang}` must be text")
                text = ""
            if lang in need and not text.strip():
                self.fail(f"`{key}.{lang}` is missing")
            texts[lang] = text
        return Bilingual(texts["en"], texts["zh"])

    def opt_bilingual(self, key: str) -> Bilingual | None:
        """An optional displayed field: absent, or given in both languages."""
        if key not in self.raw:
            return None
        return self.bilingual(key)

    def int_list(self, key: str) -> tuple[int, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.fail(f"`{key}` must be a list of line numbers")
            return ()
        return tuple(value)

    def str_list(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"`{key}` must be a list of text")
            return ()
        return tuple(value)

    def whole(self, key: str) -> int:
        value = self.raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"`{key}` must be a whole number")
            return 0
        return value

    def number(self, key: str) -> float | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"`{key}` must be a number")
            return None
        return float(value)

    def one_of(self, key: str, allowed: Iterable[str]) -> str:
        value = self.text(key)
        allowed = tuple(allowed)
        if value and value not in allowed:
            self.fail(f"`{key}` is {value!r}; expected one of {', '.join(allowed)}")
        return value


class _Loader:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.problems: list[Problem] = []

    def read(self, relative: str) -> Any:
        path = self.data_dir / relative
        try:
            raw_bytes = path.read_bytes()
        except OSError as exc:
            self.problems.append(Problem(relative, "-", f"cannot read: {exc.strerror}"))
            return None
        try:
            return yaml.safe_load(raw_bytes.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(relative, "-", f"not valid YAML: {exc}"))
            return None

    def entries(self, relative: str, doc: Any, key: str) -> Iterator[_Entry]:
        items = doc.get(key) if isinstance(doc, dict) else None
        if not isinstance(items, list):
            self.problems.append(Problem(relative, "-", f"needs a top-level `{key}:` list"))
            return
        allowed = FIELDS[key]
        for index, raw in enumerate(items):
            label = raw.get("id") if isinstance(raw, dict) else None
            entry = _Entry(raw, relative, str(label or f"{key}[{index}]"), self.problems)
            for unknown in sorted(set(entry.raw) - allowed, key=str):
                entry.fail(f"unknown field `{unknown}` (a typo, or text that needs quotes?)")
            yield entry

    def add(self, table: dict[str, T], item: T, entry: _Entry, item_id: str) -> None:
        if not item_id:
            return
        if item_id in table:
            entry.fail(f"duplicate id {item_id!r}")
            return
        table[item_id] = item

    def known(self, entry: _Entry, what: str, value: str, table: dict[str, Any]) -> None:
        if value and value not in table:
            entry.fail(f"unknown {what} {value!r}")


def load_pack(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[Pack, list[Problem]]:
    """Read and validate the schema of every data file. Verbatim checks live in ``bot.verify``."""
    loader = _Loader(data_dir)
    pack = Pack()
    _load_sources(loader, pack)
    _load_topics(loader, pack)
    _load_transcripts(loader, pack)
    _load_quotes(loader, pack)
    _load_facts(loader, pack)
    _load_charts(loader, pack)
    for group, reason in rule_problems(list(pack.facts.values()), pack.charts):
        loader.problems.append(Problem("charts.yaml", group, reason))
    _load_glossary(loader, pack)
    pack.digest = pack_digest(data_dir)
    return pack, loader.problems


def pack_digest(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """A hash of every data file and source text, and of the search index's format: what decides
    whether to re-import."""
    hasher = hashlib.sha256(f"index {INDEX_VERSION}\0".encode())
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".txt"):
            hasher.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes() + b"\0")
    return hasher.hexdigest()


def _load_sources(loader: _Loader, pack: Pack) -> None:
    name = "sources.yaml"
    doc = loader.read(name)
    for e in loader.entries(name, doc, "people"):
        pid = e.id()
        loader.add(pack.people, Person(pid, e.bilingual("name"), e.bilingual("role")), e, pid)
    for e in loader.entries(name, doc, "sources"):
        sid = e.id()
        languages = e.str_list("languages")
        for lang in languages:
            if lang not in ("en", "zh"):
                e.fail(f"language {lang!r} must be en or zh")
        source = Source(
            id=sid,
            title=e.bilingual("title"),
            host=e.text("host"),
            guest=e.text("guest"),
            date=e.text("date"),
            url=e.opt_text("url"),
            kind=e.one_of("kind", SOURCE_KINDS),
            languages=languages,
            file=e.opt_text("file"),
            note=e.opt_text("note"),
            what=e.opt_bilingual("what"),
        )
        if not source.url and source.what is None:
            e.fail("a source without its own `url` needs `what` (what it is, in en and zh), shown instead")
        if source.what is not None:
            _chinese_punctuation(e, "what", source.what)
        loader.known(e, "host", source.host, pack.people)
        loader.known(e, "guest", source.guest, pack.people)
        if source.file and not (loader.data_dir / source.file).is_file():
            e.fail(f"file {source.file!r} does not exist")
        loader.add(pack.sources, source, e, sid)


def _load_topics(loader: _Loader, pack: Pack) -> None:
    name = "topics.yaml"
    doc = loader.read(name)
    for e in loader.entries(name, doc, "topics"):
        tid = e.id()
        topic = Topic(tid, Bilingual(e.text("en"), e.text("zh")))
        loader.add(pack.topics, topic, e, tid)


def _load_glossary(loader: _Loader, pack: Pack) -> None:
    """The optional glossary: each reader's word belongs to one entry, whatever its script."""
    name = "glossary.yaml"
    if not (loader.data_dir / name).exists():
        return
    doc = loader.read(name)
    owners: dict[str, str] = {}
    for e in loader.entries(name, doc, "terms"):
        gid = e.id()
        entry = GlossaryEntry(gid, e.str_list("en"), e.str_list("zh"), e.str_list("zh_tw"))
        if not entry.en or not entry.zh:
            e.fail("needs words in `en` and in `zh`")
        for word in entry.words:
            key = normalise(word)
            if not key:
                e.fail(f"empty word {word!r}")
            elif owners.setdefault(key, gid) != gid:
                e.fail(f"word {word!r} is also in {owners[key]!r}")
            elif word in entry.en and _script(word) == "zh":
                e.fail(f"Chinese word {word!r} listed under en")
        loader.add(pack.glossary, entry, e, gid)


def _script(word: str) -> str:
    return "zh" if any(is_han(ch) for ch in word) else "en"


def _load_transcripts(loader: _Loader, pack: Pack) -> None:
    """Every repaired transcript: one folder per source under ``transcript/`` (see ``bot.curate``)."""
    root = loader.data_dir / "transcript"
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        _load_transcript(loader, pack, f"transcript/{folder.name}")


def _load_transcript(loader: _Loader, pack: Pack, folder: str) -> None:
    name = f"{folder}/passages.yaml"
    doc = loader.read(name)
    source = doc.get("source", "") if isinstance(doc, dict) else ""
    if source not in pack.sources:
        loader.problems.append(Problem(name, "-", f"unknown source {source!r}"))
    elif f"transcript/{source}" != folder:
        loader.problems.append(Problem(name, "-", f"source {source!r} belongs in transcript/{source}/"))
    # Orders run on across transcripts, so two sources' passages never share a place.
    for order, e in enumerate(loader.entries(name, doc, "sections"), start=len(pack.sections)):
        sid = e.id()
        loader.add(pack.sections, Section(sid, Bilingual(e.text("en"), e.text("zh")), order), e, sid)
    for order, e in enumerate(loader.entries(name, doc, "passages"), start=len(pack.passages)):
        pid = e.id()
        passage = Passage(
            id=pid,
            source=source,
            section=e.text("section"),
            speaker=e.text("speaker"),
            turn=e.whole("turn"),
            paragraph=e.whole("paragraph"),
            # A paragraph whose English the raw file lost is kept with its Chinese alone.
            text=Bilingual(e.text("en", required=False), e.text("zh", required=False)),
            en_lines=e.int_list("en_lines"),
            zh_lines=e.int_list("zh_lines"),
            order=order,
        )
        loader.known(e, "section", passage.section, pack.sections)
        loader.known(e, "speaker", passage.speaker, pack.people)
        if passage.text.zh and not passage.zh_lines:
            e.fail("`zh` given without `zh_lines`")
        if passage.text.en and not passage.en_lines:
            e.fail("`en` given without `en_lines`")
        if not passage.text.en and not passage.text.zh:
            e.fail("a passage needs its text in at least one language")
        loader.add(pack.passages, passage, e, pid)

    name = f"{folder}/corrections.yaml"
    doc = loader.read(name)
    for e in loader.entries(name, doc, "corrections"):
        correction = Correction(
            lines=e.int_list("lines"),
            kind=e.one_of("kind", CORRECTION_KINDS),
            passages=e.str_list("passages"),
            reason=e.text("reason"),
        )
        for pid in correction.passages:
            loader.known(e, "passage", pid, pack.passages)
        pack.corrections.append(correction)


def passages_holding(pack: Pack, source: str, en: str, zh: str) -> list[Passage]:
    en_key, zh_key = squash(en), squash(zh)
    return [
        p
        for p in pack.passages.values()
        if p.source == source
        and (not en_key or en_key in squash(p.text.en))
        and (not zh_key or zh_key in squash(p.text.zh))
    ]


def _load_quotes(loader: _Loader, pack: Pack) -> None:
    files = sorted((loader.data_dir / "quotes").glob("*.yaml"))
    if not files:
        loader.problems.append(Problem("quotes/", "-", "no quote files"))
    order = 0
    for path in files:
        name = f"quotes/{path.name}"
        doc = loader.read(name)
        for e in loader.entries(name, doc, "quotes"):
            qid = e.id()
            source_id = e.text("source")
            loader.known(e, "source", source_id, pack.sources)
            source = pack.sources.get(source_id)
            if source is not None and source.kind != "transcript":
                e.fail(f"quotes come only from transcripts; {source_id!r} is a {source.kind}")
            need = source.languages if source else ("en", "zh")
            quote_text = (
                e.bilingual("text", need=need)
                if "text" in e.raw
                else Bilingual(e.text("en", required="en" in need), e.text("zh", required="zh" in need))
            )
            speaker = e.text("speaker")
            loader.known(e, "speaker", speaker, pack.people)
            topics = e.str_list("topics")
            if not topics:
                e.fail("needs at least one topic")
            for topic in topics:
                loader.known(e, "topic", topic, pack.topics)
            passage_id = e.opt_text("passage") or ""
            if passage_id:
                loader.known(e, "passage", passage_id, pack.passages)
            elif source is not None:
                holders = passages_holding(pack, source_id, quote_text.en, quote_text.zh)
                if holders:
                    passage_id = holders[0].id
                else:
                    e.fail(
                        "text is not verbatim in any passage of the repaired transcript "
                        "(en and zh must both lie in one passage)"
                    )
            quote = Quote(qid, speaker, source_id, quote_text, topics, passage_id, order)
            order += 1
            loader.add(pack.quotes, quote, e, qid)


def _load_facts(loader: _Loader, pack: Pack) -> None:
    name = "facts.yaml"
    doc = loader.read(name)
    for index, e in enumerate(loader.entries(name, doc, "groups")):
        gid = e.id()
        group = FactGroup(gid, e.bilingual("name"), index)
        _chinese_punctuation(e, "name", group.name)
        loader.add(pack.groups, group, e, gid)
    for e in loader.entries(name, doc, "facts"):
        fid = e.id()
        source_id = e.text("source")
        loader.known(e, "source", source_id, pack.sources)
        source = pack.sources.get(source_id)
        by = e.text("by")
        if by and by != EDITOR:
            loader.known(e, "person (`by`)", by, pack.people)
        standing = e.one_of("standing", STANDINGS)
        if by == EDITOR and standing not in ("editor", "paraphrase"):
            e.fail("an editor's figure must have standing `editor` or `paraphrase`")
        if standing == "editor" and by != EDITOR:
            e.fail("standing `editor` needs `by: editor`")
        if source is not None and source.kind != "transcript" and standing == "stated":
            e.fail(f"a figure from a {source.kind} cannot be `stated`; use paraphrase or editor")
        aliases = e.raw.get("aliases") or {}
        if not isinstance(aliases, dict):
            e.fail("`aliases` must be a mapping with en and zh lists")
            aliases = {}
        alias_entry = _Entry(aliases, name, fid, loader.problems)
        number = e.number("number")
        unit = e.opt_text("unit")
        if number is not None and not unit:
            e.fail("`number` needs a `unit`")
        order = e.number("order")
        cites = e.opt_bilingual("cites")
        if cites is not None and by != EDITOR:
            e.fail("`cites` is for an editor's figure (`by: editor`)")
        fact = Fact(
            id=fid,
            group=e.text("group"),
            label=e.bilingual("label"),
            value=e.bilingual("value"),
            by=by,
            standing=standing,
            source=source_id,
            evidence=e.bilingual(
                "evidence",
                need=("zh",) if source is None or source.kind == "transcript" else source.languages,
            ),
            aliases_en=alias_entry.str_list("en"),
            aliases_zh=alias_entry.str_list("zh"),
            number=number,
            unit=unit,
            period=e.opt_bilingual("period"),
            order=order if order is not None else 0.0,
            cites=cites,
            passage=e.opt_text("passage"),
        )
        if fact.group and not ID_RE.match(fact.group):
            e.fail(f"group {fact.group!r} must be lowercase letters, digits and dashes")
        loader.known(e, "group", fact.group, pack.groups)
        for key in ("label", "value", "period", "cites"):
            field = getattr(fact, key)
            if field is not None:
                _chinese_punctuation(e, key, field)
        if fact.period is not None:
            for lang in ("en", "zh"):
                shown = fact.period.get(lang)
                for key in ("label", "value"):
                    if shown and shown in getattr(fact, key).get(lang):
                        e.fail(f"`{key}.{lang}` repeats its period {shown!r}: the period is shown beside it")
        loader.add(pack.facts, fact, e, fid)


def _chinese_punctuation(e: _Entry, key: str, text: Bilingual) -> None:
    """Chinese display text uses Chinese punctuation (`：` not `:`); evidence is verbatim, not ours."""
    found = ASCII_PUNCTUATION_RE.search(text.zh)
    if found:
        e.fail(f"`{key}.zh` has ASCII {found.group()!r}: Chinese text uses Chinese punctuation")


def _load_charts(loader: _Loader, pack: Pack) -> None:
    """``charts.yaml`` (optional): which fact groups are drawn, in which unit, and which are not."""
    name = "charts.yaml"
    if not (loader.data_dir / name).is_file():
        doc: Any = {"charts": []}
    else:
        doc = loader.read(name)
    for e in loader.entries(name, doc, "charts"):
        group = e.text("group")
        e.entry = group or e.entry
        unit = e.opt_text("unit")
        no_chart = e.opt_text("no_chart")
        if (unit is None) == (no_chart is None):
            e.fail("give either `unit` (the chart draws that unit) or `no_chart` (why not)")
        leave_out = e.raw.get("leave_out") or {}
        if not isinstance(leave_out, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in leave_out.items()
        ):
            e.fail("`leave_out` must map fact ids to why each is not on the chart")
            leave_out = {}
        rule = ChartRule(
            group=group,
            unit=unit,
            title=e.bilingual("title") if unit else Bilingual("", ""),
            axis=e.bilingual("axis") if unit else Bilingual("", ""),
            leave_out=tuple(leave_out.items()),
            why=no_chart or "",
        )
        _chinese_punctuation(e, "title", rule.title)
        _chinese_punctuation(e, "axis", rule.axis)
        loader.add(pack.charts, rule, e, group)


def chart_rules(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, ChartRule]:
    """Only ``charts.yaml``, read as the import read it (the pack was checked then)."""
    pack = Pack()
    _load_charts(_Loader(data_dir), pack)
    return pack.charts


def require_clean(result: tuple[Pack, list[Problem]]) -> Pack:
    pack, problems = result
    if problems:
        raise PackError(problems)
    return pack
