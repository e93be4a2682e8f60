"""Regenerate data/transcript/passages.yaml and corrections.yaml from the hand-made
decisions in decisions.py.  Run from anywhere:  .venv/bin/python data/transcript/tools/build.py
Then check with tools/verify.py and `python -m bot check`."""
import re, sys, yaml, collections
sys.dont_write_bytecode = True   # keep data/transcript/tools/ free of __pycache__
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
OUT = TOOLS.parent                      # data/transcript/
DATA = OUT.parent                       # data/
sys.path.insert(0, str(TOOLS))
from decisions import P, SECTIONS, D, A

RAW = DATA / "sources" / "dwarkesh-2026.transcript.txt"
raw = RAW.read_text(encoding="utf-8").splitlines()
LAB = re.compile(r"^\*\*([^*]+):\*\*\s*")
NAME = {"Dwarkesh Patel": D, "Dario Amodei": A}
PNAME = {D: "Dwarkesh Patel", A: "Dario Amodei"}

def strip(n): return LAB.sub("", raw[n - 1])
def label(n):
    m = LAB.match(raw[n - 1]); return NAME[m.group(1)] if m else None
def eff_label(n):
    for k in range(n, 0, -1):
        if label(k): return label(k), (k != n)
def is_zh(n): return bool(re.search(r"[\u4e00-\u9fff]", strip(n)))

def cut(lines, joiner, frm, to):
    if not lines: return "", 0, 0       # Chinese-only passage: no English
    text = joiner.join(strip(n) for n in lines)
    s = text.index(frm) if frm else 0
    e = text.index(to, s) + len(to) if to else len(text)
    return text[s:e], s, e

passages = []
cover = collections.defaultdict(list)   # line -> [(start,end) within that line]
number = 0
for en_l, zh_l, spk, o in P:
    # Published ids never change: a passage split off later carries its own id (`id`).
    if "id" not in o: number += 1
    pid = o.get("id") or f"p{number:03d}"
    en, s, e = cut(en_l, " ", o.get("ef"), o.get("et"))
    zh, zs, ze = cut(zh_l, "", o.get("zf"), o.get("zt"))
    # coverage bookkeeping per line
    for lines, joiner, (a, b) in ((en_l, " ", (s, e)), (zh_l, "", (zs, ze))):
        off = 0
        for n in lines:
            L = len(strip(n)); lo, hi = max(a, off), min(b, off + L)
            if lo < hi: cover[n].append((lo - off, hi - off))
            off += L + len(joiner)
    # a Chinese-only passage stays in the section of the passage before it
    sec = [sid for sid, first, _, _ in SECTIONS if en_l[0] >= first][-1] if en_l else passages[-1]["section"]
    passages.append(dict(id=pid, section=sec, speaker=spk, en=en, en_lines=en_l, zh=zh, zh_lines=zh_l, _o=o))

# turns
turn, prev = 0, None
for p in passages:
    if p["speaker"] != prev: turn += 1; para = 0
    para += 1; prev = p["speaker"]
    p["turn"], p["paragraph"] = turn, para

by_en = collections.defaultdict(list)
for p in passages:
    for n in p["en_lines"]: by_en[n].append(p["id"])
by_zh = collections.defaultdict(list)
for p in passages:
    for n in p["zh_lines"]: by_zh[n].append(p["id"])

# ---------- corrections ----------
corr = []
def C(lines, kind, pids, reason): corr.append(dict(lines=sorted(set(lines)), kind=kind, passages=pids, reason=reason))

B_LINES = [204, 206, 208, 210, 212, 213, 215, 217, 219, 222, 224, 226, 228, 230]
A_PIDS = [p["id"] for p in passages if any(171 <= n <= 202 for n in p["en_lines"])]
def pid_of(en_line, nth=0): return by_en[en_line][nth]

# relabel
for p in passages:
    if not p["en_lines"]: continue      # Chinese-only: see missing-original below
    bad = []
    for n in p["en_lines"] + p["zh_lines"]:
        lab, inherited = eff_label(n)
        if lab != p["speaker"]: bad.append((n, lab, inherited))
    if not bad: continue
    why = p["_o"].get("why")
    en_bad = [b for b in bad if b[0] in p["en_lines"]]
    if not why:
        # only Chinese-side label is off (English label right)
        assert not en_bad, (p["id"], bad)
        why = "the Chinese line carries the other speaker's label because the labels there follow a fixed alternation"
    parts = []
    for n, lab, inh in bad:
        parts.append(f"line {n} " + (f"(unlabelled, after a {PNAME[lab]} line)" if inh else f"is labelled {PNAME[lab]}"))
    j = '; '.join(parts); reason = f"{j[0].upper() + j[1:]}, but {why}: {PNAME[p['speaker']]}."
    C([b[0] for b in bad], "relabel", [p["id"]], reason)

# split (a line holding two speakers' words)
C([48], "split", [pid_of(48, 0), pid_of(48, 1)],
  "Line 48 holds the host's interjection \"You guys should have just bought a billion dollars of your own products so you could just…\" and then Dario resuming with \"And the first month of this year…\"; split at that change of speaker.")
C([50], "split", by_en[50],
  "Line 50 runs four turns together: the end of Dario's answer (\"…but not infinitely fast.\"), the host's \"Can I try a hot take on you?\", Dario's \"Yeah.\", and the host's take (\"I feel like diffusion is cope…\"); the Chinese has them as lines 47, 49, 51 and 53.")
C([178, 194], "split", by_en[178],
  "Line 178 (and its Chinese, line 194) holds Dario's spectrum answer (\"…we're traversing the spectrum very quickly.\"), the host's aside about podcasts where hosts cite his continual-learning essay (\"I do think it's funny… every interview I get asked about it.\"), and Dario's reply (\"The truth of the matter is…\"); split at each change of speaker.")
C([31, 34], "split", by_en[34],
  "Line 34 (and its Chinese, line 31) holds Dario's \"world in which we don't get there… It's not a binary thing.\" and the host's objection (\"Even if generalization is weak… writing long memos about your grand vision.\"); split at the change of speaker.")
C([74, 76], "split", by_en[74],
  "Line 74 (and its Chinese, line 76) holds Dario's reply (\"But when you say that… the model just did it in the context.\") and the host's question about the developer-productivity study (\"I honestly don't know how to think about this…\"); split at the change of speaker.")
C([41, 44], "split", by_en[44],
  "Line 44 (and its Chinese, line 41) holds the close of Dario's spectrum answer (\"I actually totally agree with you on that. These are very different benchmarks from each other, but we're proceeding through them super fast.\"), as seed 004 has it, and the host's doubt (\"Part of your vision is…\"); split at the change of speaker.")
C([121, 126], "split", by_en[126],
  "Line 126 (and its Chinese, line 121) holds Dario's \"That's for the industry, that's right.\" and the host's own arithmetic (\"Suppose Anthropic's compute keeps 3x-ing a year… the TAM by 2028 is $200 billion\"), which Dario then answers; split at the change of speaker.")
# join
C([48, 50], "join", [pid_of(48, 1)],
  "Dario's paragraph starting \"And the first month of this year\" in line 48 continues in the first sentences of line 50 (\"Not instant, not slow…\"); the Chinese keeps it as one paragraph (line 47).")
C([144, 146], "join", [pid_of(144)],
  "Line 144 breaks off mid-sentence (\"…if AI progress is fast and\") and line 146 continues it (\"you can increase the progress by scaling up more…\"); joined into the host's one paragraph, translated by line 139.")
# duplicates
C([50, 52], "duplicate", [by_en[50][3]],
  "Line 52 (\"wages because they're useful… The diffusion doesn't really explain.\") repeats word for word the end of the host's paragraph already in line 50; kept once (line 50).")
C([50, 54], "duplicate", [pid_of(54)],
  "The trailing words \"I think diffusion\" at the end of line 50 are a stray copy of the opening of Dario's answer in line 54 (\"I think diffusion is very real…\"); kept once (line 54).")
C([92, 98], "duplicate", [pid_of(92), pid_of(98)],
  "The last sentence of line 92 (\"So one to three years.\") is the start of the host's reply, which line 98 gives whole; kept once (line 98).")
C([94, 98, 100, 102], "duplicate", [pid_of(98), pid_of(100), pid_of(102)],
  "Line 94 runs together the host's \"Country of geniuses…\", Dario's \"It seems pretty economically valuable…\" and the host's DealBook question, which lines 98, 100 and 102 give as separate paragraphs; the only difference is commas for the dashes around \"which seems rational if you have more moderate timelines\". Kept lines 98-102.")
C([96, 104], "duplicate", [pid_of(104)],
  "Line 96 is a truncated copy of the opening of Dario's answer in line 104 (\"It actually all fits together… I have a hunch that we're going\"); kept once (line 104).")
# alternate wording
C(B_LINES, "alternate-wording", A_PIDS,
  "Lines 204-230 re-tell the stretch of lines 171-202 (from \"Yes. I mean all of…\" to \"Again, I think there's some way…\") in smoothed, rewritten English (\"As we move toward a world of complete substitution for remote knowledge workers\" for \"As we go towards a world of a full drop-in remote worker replacement\"); the original is lines 171-202: spoken, podcast-style (\"It always makes me crack up\", \"the only game in town\", \"So it will happen... it's not necessarily\"), continuous with the English around it (\"90% of code\", as in lines 42 and 176), and the Chinese translates it, whereas 204-230 reads as a back-translation of that Chinese (\"several hundred people\" for 几百人, \"biological classifiers\" for 生物分类器). The Chinese lines 190-216 pair with lines 171-202.")
# missing English: Chinese-only passages (no English original anywhere in the raw file)
RUNS = {
    1: "Chinese lines 141-166 and the opening of line 168 translate an exchange (log returns to scale, "
       "profit in a market economy, the Cournot equilibrium, data centres in space) whose English is "
       "nowhere in the file (the English jumps from the host's line 144/146 to Dario's line 148)",
    2: "Chinese lines 241-251 and the opening of line 254 translate an exchange (re-listening to the "
       "interview of three years ago, the essay's passage on dictatorship, \"独裁制\", forms of government made "
       "obsolete) whose English is nowhere in the file (the English jumps from Dario's line 253 to "
       "line 255, which starts mid-sentence)",
}
TAIL = {
    168: "; the rest of line 168, from \"我不相信经济会每年增长\", is the translation of lines 148 and 150",
    254: "; the rest of line 254, from \"我不认为保持一个威权国家\", pairs with the surviving English tail, "
         "line 255 (\"intelligence to remain an authoritarian country…\"), which starts mid-sentence",
}
def snippet(t, k=14): return t if len(t) <= 2 * k + 1 else t[:k] + "…" + t[-k:]
for p in passages:
    if p["en_lines"]: continue
    o = p["_o"]; zl = p["zh_lines"]; n = zl[0]
    shared = any(len(by_zh[z]) > 1 for z in zl)
    where = f"line {n}" + (f" (\"{snippet(p['zh'])}\")" if shared else "")
    lab = eff_label(n)[0]
    who = (f"line {n} is labelled {PNAME[lab]}, rightly" if lab == p["speaker"]
           else f"line {n} is labelled {PNAME[lab]}, wrongly (the Chinese labels alternate mechanically)")
    reason = (f"The English original of {where} is absent from the raw file: {RUNS[o['run']]}. So it is a "
              f"Chinese-only passage (no `en`){TAIL.get(n, '')}. Speaker {PNAME[p['speaker']]}: {who}; "
              f"{o['why']}.")
    # where the line's rest goes with a surviving English paragraph, name those passages too
    others = [q for q in passages if n in TAIL and q["id"] != p["id"] and n in q["zh_lines"]]
    C(zl + [m for q in others for m in q["en_lines"]], "missing-original", [p["id"]] + [q["id"] for q in others], reason)
# a Chinese-only line that holds several speakers
C([145], "split", by_zh[145],
  "Line 145 (Chinese only) runs three turns together: Dario's interjection \"再说一遍,我说的是递减收益,但那是在你已经每年花 500 亿之后。\", "
  "the host resuming his point on profit (\"这是一个我相信你也会提出的观点……能用这笔钱做比我更多的事情。\"), and Dario's answer "
  "from \"把 Anthropic 放在一边。\"; split at each change of speaker.")
C([202, 216], "realign", [pid_of(202)],
  "The English of line 202 stops mid-sentence (\"…may happen over a short\") and its ending exists only in the rejected rewording (line 230), so the Chinese is cut to match at \"不过可能在短时间内发生\"; the closing clause of line 216 (\"所以我们很难提前预见。\") is left unpaired.")
# realign (generated): Chinese not the line just before the English
for p in passages:
    zl, el = p["zh_lines"], p["en_lines"]
    if not el or zl == [el[0] - 1]:
        continue
    def desc(n):
        owners = by_zh.get(n, [])
        return f"line {n} belongs to {', '.join(owners)}" if owners else f"line {n} has no English original in the file"
    if el[0] - 1 in zl:
        what = f"beside line {el[0]} its translation continues into line(s) {', '.join(map(str, [z for z in zl if z != el[0]-1]))}"
    else:
        what = f"the Chinese beside it ({desc(el[0] - 1)})"
    part = " (its matching part)" if any(len(by_zh[z]) > 1 for z in zl) else ""
    zr = ", ".join(map(str, zl))
    if not is_zh(el[0] - 1):
        reason = f"Line {el[0]} has no Chinese line of its own before it (line {el[0]-1} is English); its translation is line {zr}{part}."
    elif el[0] - 1 in zl:
        reason = f"The English (line(s) {', '.join(map(str, el))}) is one paragraph while its Chinese is split over lines {zr}; paired with all of them."
    else:
        reason = f"The Chinese beside line {el[0]} is line {el[0]-1}, which " + desc(el[0]-1).split(' ', 2)[2] + f"; this paragraph's translation is line {zr}{part}."
    C(el + zl, "realign", [p["id"]], reason)

order = {"relabel": 0, "missing-original": 1, "realign": 2, "split": 3, "join": 4, "duplicate": 5, "alternate-wording": 6}
corr.sort(key=lambda c: (c["lines"][0], order[c["kind"]]))

out_p = [{k: p[k] for k in ("id", "section", "speaker", "turn", "paragraph", "en", "en_lines", "zh", "zh_lines")} for p in passages]
doc = {"source": "dwarkesh-2026",
       "sections": [{"id": s, "en": en, "zh": zh} for s, _, en, zh in SECTIONS],
       "passages": out_p}
HDR_P = ("# Repaired transcript of data/sources/dwarkesh-2026.transcript.txt (see data/README.md).\n"
         "# Generated from hand-made decisions; every repair is listed in corrections.yaml.\n")
HDR_C = "# Every repair made to data/sources/dwarkesh-2026.transcript.txt, with its reason.\n"
def dump(obj, hdr):
    return hdr + yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)
PASSAGES_YAML = dump(doc, HDR_P)
CORRECTIONS_YAML = dump({"corrections": corr}, HDR_C)
COVER = {k: v for k, v in cover.items()}   # line -> [(start, end)] of the stripped line used by passages

if __name__ == "__main__":
    (OUT / "passages.yaml").write_text(PASSAGES_YAML, encoding="utf-8")
    (OUT / "corrections.yaml").write_text(CORRECTIONS_YAML, encoding="utf-8")
    print("passages", len(passages), collections.Counter(p["speaker"] for p in passages))
    print("corrections", collections.Counter(c["kind"] for c in corr))
