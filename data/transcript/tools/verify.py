"""Check the generated transcript YAML against the raw file and the decisions.
Run from anywhere:  .venv/bin/python data/transcript/tools/verify.py
(`python -m bot check` remains the authority; this adds curator-side checks:
coverage of every raw line, conversation order, staleness, number/length hints.)"""
import re, sys, yaml, collections
sys.dont_write_bytecode = True   # keep data/transcript/tools/ free of __pycache__
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
OUT = TOOLS.parent
DATA = OUT.parent
sys.path.insert(0, str(TOOLS))
import build   # recomputes everything from decisions.py (does not write)

raw = (DATA / "sources" / "dwarkesh-2026.transcript.txt").read_text(encoding="utf-8").splitlines()
LAB = re.compile(r"^\*\*[^*]+:\*\*\s*")
strip = lambda n: LAB.sub("", raw[n - 1])
sq = lambda t: re.sub(r"\s+", "", t)
isz = lambda n: bool(re.search(r"[\u4e00-\u9fff]", strip(n)))
ptext = (OUT / "passages.yaml").read_text(encoding="utf-8")
ctext = (OUT / "corrections.yaml").read_text(encoding="utf-8")
doc = yaml.safe_load(ptext)
cor = yaml.safe_load(ctext)["corrections"]
P = doc["passages"]; ok = True
def fail(*a):
    global ok; ok = False; print("FAIL", *a)
if ptext != build.PASSAGES_YAML or ctext != build.CORRECTIONS_YAML:
    fail("YAML on disk differs from what build.py generates: run data/transcript/tools/build.py")
KINDS = ("relabel", "realign", "split", "join", "duplicate", "alternate-wording", "missing-original")
ids = [p["id"] for p in P]
# Numbered in conversation order; a passage split off after publication has a lettered id.
numbered = [i for i in ids if re.fullmatch(r"p\d{3}", i)]
assert numbered == [f"p{i:03d}" for i in range(1, len(numbered) + 1)]
assert len(set(ids)) == len(ids) and all(re.fullmatch(r"p\d{3}[a-z]?", i) for i in ids)
secs = [s["id"] for s in doc["sections"]]
assert 8 <= len(secs) <= 12
missing_orig = {pid for c in cor if c["kind"] == "missing-original" for pid in c["passages"]}
last_sec = 0; prev = None; turn = 0; para = 0
for p in P:
    for lang in ("en", "zh"):
        j = "".join(sq(strip(n)) for n in p[lang + "_lines"])
        if sq(p[lang]) not in j: fail(p["id"], lang, "not verbatim")
        for n in p[lang + "_lines"]:
            if isz(n) != (lang == "zh"): fail(p["id"], lang, "line", n, "wrong language")
    if not p["en"] or not p["en_lines"]:
        # a Chinese-only passage: allowed when its English original is missing from the file
        if p["en"] or p["en_lines"]: fail(p["id"], "en and en_lines must both be empty or both set")
        if p["id"] not in missing_orig: fail(p["id"], "Chinese-only passage without a missing-original correction")
        if not p["zh"]: fail(p["id"], "neither en nor zh")
    if not p["zh"]: print("NOTE empty zh", p["id"])
    si = secs.index(p["section"])
    if si < last_sec: fail(p["id"], "section order")
    last_sec = si
    if p["speaker"] != prev: turn += 1; para = 0
    para += 1; prev = p["speaker"]
    if (p["turn"], p["paragraph"]) != (turn, para): fail(p["id"], "turn/para")
# conversation order by en line (passages that have English) and by zh line
firsts = [p["en_lines"][0] for p in P if p["en_lines"]]
if firsts != sorted(firsts): fail("en order")
zfirst = [p["zh_lines"][0] for p in P]
if zfirst != sorted(zfirst): fail("zh order", [(P[i]["id"], zfirst[i]) for i in range(1, len(P)) if zfirst[i] < zfirst[i-1]])
# coverage
cover = build.COVER
explained = collections.defaultdict(set)
for c in cor:
    for n in c["lines"]: explained[n].add(c["kind"])
    if c["kind"] not in KINDS: fail("kind", c)
    for pid in c["passages"]:
        if pid not in ids: fail("unknown pid", pid)
for n in range(1, len(raw) + 1):
    t = strip(n)
    if not t.strip(): continue
    covered = [False] * len(t)
    for a, b in cover.get(n, []):
        for k in range(a, b): covered[k] = True
    rest = "".join(ch for ch, c in zip(t, covered) if not c)
    if sq(rest):
        kinds = explained.get(n, set())
        tag = "explained:" + ",".join(sorted(kinds)) if kinds else "UNEXPLAINED"
        if not kinds: fail("line", n, "uncovered")
        print(f"  line {n} {'ZH' if isz(n) else 'EN'} uncovered [{tag}]: {rest[:90]!r}{'…' if len(rest)>90 else ''}")
# numbers cross-check (passages with both languages)
def nums(t):
    return set(re.findall(r"\d+(?:\.\d+)?", t.replace(",", "")))
for p in P:
    if not p["en"]: continue
    e, z = nums(p["en"]), nums(p["zh"])
    if e or z:
        miss = e - z; extra = z - e
        if len(miss) + len(extra) > 3 or (e and not (e & z)) :
            print("  NUM?", p["id"], p["en_lines"], p["zh_lines"], "en-only", sorted(miss)[:8], "zh-only", sorted(extra)[:8])
# length ratio
for p in P:
    if not p["en"]: continue
    r = len(p["zh"]) / max(1, len(p["en"]))
    if not (0.2 < r < 0.55): print("  RATIO", p["id"], round(r, 2), len(p["en"]), len(p["zh"]))
c = collections.Counter(p["speaker"] for p in P)
print("passages", len(P), dict(c), "zh-only", sum(1 for p in P if not p["en"]), "turns", turn)
print("corrections", dict(collections.Counter(x["kind"] for x in cor)))
print("OK" if ok else "PROBLEMS")
sys.exit(0 if ok else 1)
