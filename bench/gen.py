#!/usr/bin/env python3
"""Writes one benchmark corpus three times: as a playbook site, an mdBook book
and a Hugo site, with the same logical content (same pages, same words, same
cross-links), so the three tools are timed on the same work.

    bench/gen.py N OUT [--seed S]

OUT/playbook  book.toml + content/{index.md,patterns,cases,hybrids,mistakes}/
OUT/mdbook    book.toml + src/SUMMARY.md + src/<kind>/<id>.md, links as .md
OUT/hugo      config.toml + content/ + a minimal layouts/_default theme

The output depends only on N and the seed: every page draws from its own
random.Random seeded with (seed, page number), and files are written in a fixed
order, so two runs produce byte-identical trees; the digests printed at the end
let anyone check that."""

import argparse
import hashlib
import os
import random
import shutil
import sys

KINDS = ["patterns", "cases", "hybrids", "mistakes"]
KIND_TITLES = {
    "patterns": "Patterns",
    "cases": "Cases",
    "hybrids": "Hybrids",
    "mistakes": "Mistakes",
}
KIND_SINGULAR = {
    "patterns": "Pattern",
    "cases": "Case",
    "hybrids": "Hybrid",
    "mistakes": "Mistake",
}

# Out of every 20 pages: 2 patterns, 12 cases, 3 hybrids, 3 mistakes. A real
# playbook has few patterns and many cases that apply them.
KIND_CYCLE = ["patterns"] * 2 + ["cases"] * 12 + ["hybrids"] * 3 + ["mistakes"] * 3

# Prose vocabulary: business-strategy words so the text looks like the real
# playbook (word lengths and punctuation matter for Markdown parsing cost).
NOUNS = """market model weights licence release community developer partner customer
revenue margin moat platform ecosystem benchmark dataset pipeline runtime tooling
service contract roadmap competitor incumbent challenger regulator researcher
integration deployment inference training budget support documentation governance
strategy decision risk signal advantage standard protocol interface library
framework product feature pricing tier upgrade distribution channel audience
adoption retention feedback contribution maintainer fork derivative evaluation
safety policy disclosure compliance audit hardware cluster checkpoint gradient
parameter layer capability workload latency throughput cost investment team""".split()
VERBS = """opens keeps releases sells builds adopts forks ships hosts licenses measures
funds hires trains evaluates publishes supports maintains replaces lowers raises
protects exposes attracts retains commoditizes monetizes audits documents reviews
extends limits grants withholds shares delays accelerates complements""".split()
ADJS = """open closed hosted permissive restrictive commercial public private early
late small large frontier efficient expensive cheap stable fragile reusable
proprietary shared internal external strategic tactical durable short-lived
credible measurable visible hidden modular monolithic regulated global local""".split()
ADVS = """quickly slowly rarely often deliberately quietly publicly carefully
eventually immediately reliably partly""".split()
CONNECT = ["Because", "When", "If", "Although", "Once", "Unless", "While", "After"]
NAMES = """Acme Borealis Cobalt Dynamo Ember Fathom Granite Helix Ion Juniper Kestrel
Lumen Meridian Nimbus Onyx Pylon Quartz Radiant Sierra Tundra Umbra Vertex
Willow Xenon Yarrow Zephyr""".split()
HEADINGS = {
    "patterns": ["What is opened and what is kept", "Gains", "Costs", "When it works",
                 "How to run it", "Variations"],
    "cases": ["The situation", "Why the verdict holds", "Signals it applies",
              "Examples", "What would change the call", "Numbers to watch"],
    "hybrids": ["The split", "Why split here", "Signals it applies",
                "How the parts interact", "Risks", "Examples"],
    "mistakes": ["What it looks like", "Warning signs", "Why it happens",
                 "The cost", "How to recover", "Examples"],
}
CODE_LANGS = ["yaml", "toml", "rust", "python", "json"]


def word_id(rng, n=2):
    return "-".join(rng.choice(NOUNS + ADJS) for _ in range(n))


def sentence(rng, links=()):
    """One sentence of 8-22 words; `links` are Markdown links to weave in."""
    words = []
    length = rng.randint(8, 22)
    if rng.random() < 0.25:
        words.append(rng.choice(CONNECT).lower())
    while len(words) < length:
        r = rng.random()
        if r < 0.45:
            words.append(rng.choice(NOUNS))
        elif r < 0.65:
            words.append(rng.choice(VERBS))
        elif r < 0.85:
            words.append(rng.choice(ADJS))
        elif r < 0.9:
            words.append(rng.choice(ADVS))
        elif r < 0.95:
            words.append(rng.choice(["the", "a", "its", "their", "every", "no"]))
        else:
            words.append(rng.choice(["*" + rng.choice(NOUNS) + "*",
                                     "**" + rng.choice(ADJS) + "**",
                                     "`" + rng.choice(NOUNS) + "`",
                                     rng.choice(NAMES) + "'s"]))
    for link in links:
        words.insert(rng.randint(1, len(words)), link)
    if rng.random() < 0.3:
        words.insert(rng.randint(2, len(words) - 1), ",")
    text = " ".join(words).replace(" ,", ",")
    return text[0].upper() + text[1:] + "."


def paragraph(rng, n, links=()):
    links = list(links)
    sentences = []
    for i in range(n):
        mine = [links.pop()] if links and (i % 2 == 1 or i == n - 1) else []
        sentences.append(sentence(rng, mine))
    # Anything left goes in the last sentence.
    if links:
        sentences[-1] = sentences[-1][:-1] + ", see " + ", ".join(links) + "."
    return " ".join(sentences)


def short_item(rng):
    return sentence(rng)[:-1]


class Page:
    def __init__(self, index, kind, pid, title):
        self.index = index
        self.kind = kind
        self.id = pid
        self.title = title


def plan_pages(n, seed):
    """Ids, kinds and titles of all pages; needed before any body is written,
    because bodies link to other pages."""
    pages = []
    seen = set()
    for i in range(n):
        rng = random.Random(f"{seed}:id:{i}")
        kind = KIND_CYCLE[i % len(KIND_CYCLE)]
        stem = word_id(rng, 2)
        pid = f"{stem}-{i:05d}"
        assert pid not in seen
        seen.add(pid)
        title = f"{KIND_SINGULAR[kind]} {i}: {stem.replace('-', ' ').capitalize()}"
        pages.append(Page(i, kind, pid, title))
    return pages


def build_page(page, pages, by_kind, seed):
    """The logical content of one page: front matter values and a Markdown body
    whose cross-links are given as (text, kind, id) placeholders, rendered per
    tool by `link_fmt`."""
    rng = random.Random(f"{seed}:page:{page.index}")
    fm = {"title": page.title, "summary": paragraph(rng, 2)}
    if page.kind == "patterns":
        fm["opened"] = short_item(rng)
        fm["kept"] = short_item(rng)
        fm["gains"] = [short_item(rng) for _ in range(rng.randint(2, 4))]
        fm["costs"] = [short_item(rng) for _ in range(rng.randint(2, 4))]
    if page.kind == "cases":
        fm["verdict"] = rng.choice(["open", "closed"])
    if page.kind in ("cases", "hybrids") and by_kind["patterns"]:
        fm["patterns"] = sorted({rng.choice(by_kind["patterns"]).id
                                 for _ in range(rng.randint(1, 2))})
    if page.kind in ("cases", "hybrids", "mistakes"):
        fm["signals"] = [short_item(rng) for _ in range(rng.randint(2, 4))]
    fm["examples"] = [f"{rng.choice(NAMES)} {rng.choice(NOUNS)} ({2015 + rng.randint(0, 10)}): "
                      + short_item(rng).lower() for _ in range(rng.randint(1, 3))]

    # 3-5 cross-links to other pages, spread over the body.
    others = [p for p in rng.sample(pages, min(len(pages), 6)) if p is not page]
    targets = others[: rng.randint(3, 5)]
    fm["related"] = sorted({t.id for t in targets[:2]})
    link_tokens = [("LINK", t.title.split(": ", 1)[1].lower(), t) for t in targets]

    heads = HEADINGS[page.kind][:]
    rng.shuffle(heads)
    blocks = []  # list of str or ("para", n, [links])
    blocks.append(("para", rng.randint(4, 6), link_tokens[:1]))
    blocks.append(f"## {heads[0]}")
    blocks.append(("para", rng.randint(4, 6), link_tokens[1:2]))
    blocks.append(("para", rng.randint(4, 6), []))
    blocks.append(f"## {heads[1]}")
    blocks.append(("para", 2, []))
    blocks.append("\n".join(f"- {short_item(rng)}." for _ in range(rng.randint(4, 6))))
    blocks.append(f"## {heads[2]}")
    blocks.append(("para", rng.randint(2, 3), link_tokens[2:3]))
    cols = ["Option", "Opened", "Kept", "Effect"]
    rows = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _ in range(rng.randint(4, 6)):
        rows.append(f"| {rng.choice(NAMES)} | {rng.choice(NOUNS)} | {rng.choice(NOUNS)} | "
                    f"{rng.choice(ADJS)} {rng.choice(NOUNS)} |")
    blocks.append("\n".join(rows))
    blocks.append(f"## {heads[3]}")
    blocks.append(("para", rng.randint(4, 6), link_tokens[3:]))
    lang = rng.choice(CODE_LANGS)
    code = [f"# {rng.choice(NAMES).lower()} {rng.choice(NOUNS)} settings"]
    for _ in range(rng.randint(6, 10)):
        code.append(f"{rng.choice(NOUNS)}_{rng.choice(NOUNS)} = \"{rng.choice(ADJS)}\"")
    blocks.append(f"```{lang}\n" + "\n".join(code) + "\n```")
    blocks.append(f"### {heads[4]}")
    blocks.append("\n".join(f"{k + 1}. {short_item(rng)}." for k in range(rng.randint(3, 5))))
    blocks.append(f"## {heads[5]}")
    blocks.append(("para", rng.randint(4, 6), []))
    blocks.append(f"> {sentence(rng)}")
    blocks.append(("para", rng.randint(2, 4), []))

    # Paragraph text is drawn now, so it is the same whatever the link syntax.
    body = []
    for b in blocks:
        if isinstance(b, tuple):
            _, n, links = b
            marks = [f"\x00{k}\x00" for k in range(len(links))]
            text = paragraph(rng, n, marks)
            body.append((text, [(t[1], t[2]) for t in links]))
        else:
            body.append((b, []))
    return fm, body


def render_body(page, body, link_fmt):
    out = []
    for text, links in body:
        for k, (label, target) in enumerate(links):
            text = text.replace(f"\x00{k}\x00", f"[{label}]({link_fmt(page, target)})")
        out.append(text)
    return "\n\n".join(out) + "\n"


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(fm, extra=()):
    lines = ["---"]
    for key, value in list(fm.items()) + list(extra):
        if isinstance(value, list):
            if key in ("patterns", "related"):
                lines.append(f"{key}: [{', '.join(value)}]")
            else:
                lines.append(f"{key}:")
                lines.extend(f"  - {yaml_str(v)}" for v in value)
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {yaml_str(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def md_link(page, target):
    """Relative .md link, as playbook and mdBook want them."""
    if target.kind == page.kind:
        return f"{target.id}.md"
    return f"../{target.kind}/{target.id}.md"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


HOME_TEXT = (
    "A generated playbook used to benchmark static-site generators. "
    "It holds {n} pages: {counts}.\n"
)


def generate(n, out, seed):
    pages = plan_pages(n, seed)
    by_kind = {k: [p for p in pages if p.kind == k] for k in KINDS}
    counts = ", ".join(f"{len(by_kind[k])} {k}" for k in KINDS)
    home = HOME_TEXT.format(n=n, counts=counts)
    title = f"Benchmark playbook ({n} pages)"

    for sub in ("playbook", "mdbook", "hugo"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)

    # playbook -----------------------------------------------------------
    pb = os.path.join(out, "playbook")
    write(os.path.join(pb, "book.toml"),
          f'title = "{title}"\ndescription = "Generated benchmark corpus"\n'
          'language = "en"\ncontent-dir = "content"\noutput-dir = "public"\n')
    write(os.path.join(pb, "content", "index.md"),
          front_matter({"title": title, "summary": "A generated benchmark playbook."}) + home)

    # mdBook -------------------------------------------------------------
    mb = os.path.join(out, "mdbook")
    write(os.path.join(mb, "book.toml"),
          f'[book]\ntitle = "{title}"\nlanguage = "en"\nsrc = "src"\n\n'
          '[build]\ncreate-missing = false\n\n[output.html]\n')
    summary = ["# Summary", "", "[Introduction](README.md)", ""]
    write(os.path.join(mb, "src", "README.md"), f"# {title}\n\n{home}")

    # Hugo ---------------------------------------------------------------
    hg = os.path.join(out, "hugo")
    write(os.path.join(hg, "config.toml"), HUGO_CONFIG.format(title=title))
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(hg, "layouts", *name.split("/")), text)
    write(os.path.join(hg, "content", "_index.md"),
          front_matter({"title": title, "summary": "A generated benchmark playbook."}) + home)

    for kind in KINDS:
        label = KIND_TITLES[kind]
        summary.append(f"- [{label}]({kind}/index.md)")
        index_lines = [f"# {label}", ""]
        for p in by_kind[kind]:
            fm, body = build_page(p, pages, by_kind, seed)
            text = render_body(p, body, md_link)
            write(os.path.join(pb, "content", kind, p.id + ".md"), front_matter(fm) + text)
            # mdBook has no front matter: the title becomes the chapter's H1 and
            # the summary its first paragraph, so the words stay the same.
            write(os.path.join(mb, "src", kind, p.id + ".md"),
                  f"# {p.title}\n\n*{fm['summary']}*\n\n{text}")
            write(os.path.join(hg, "content", kind, p.id + ".md"), front_matter(fm) + text)
            summary.append(f"  - [{p.title}]({kind}/{p.id}.md)")
            index_lines.append(f"- [{p.title}]({p.id}.md)")
        # playbook and Hugo build section pages themselves; mdBook needs one written.
        write(os.path.join(mb, "src", kind, "index.md"), "\n".join(index_lines) + "\n")
        write(os.path.join(hg, "content", kind, "_index.md"),
              front_matter({"title": label}))
    write(os.path.join(mb, "src", "SUMMARY.md"), "\n".join(summary) + "\n")
    return pages


# Hugo: pages and sections only (no taxonomies, RSS, sitemap), Goldmark with the
# same extensions playbook enables, and `.md` links resolved to the target page
# by a render hook: link checking, as playbook does.
HUGO_CONFIG = """baseURL = "http://example.org/"
title = "{title}"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
relativeURLs = true

[markup.goldmark.renderer]
unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
</head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }} ({{ len .Pages }})</a> {{ end }}
</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="summary">{{ .Params.summary }}</p>
{{ with .Params.verdict }}<p class="verdict">Verdict: {{ . }}</p>{{ end }}
{{ with .Params.opened }}<p>Opened: {{ . }}</p>{{ end }}
{{ with .Params.kept }}<p>Kept: {{ . }}</p>{{ end }}
{{ with .Params.gains }}<h2>Gains</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.costs }}<h2>Costs</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.signals }}<h2>Signals</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ .Content }}
{{ with .Params.examples }}<h2>Examples</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.related }}<h2>Related</h2><ul>{{ range . }}{{ with site.GetPage . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>
{{ end }}</ul>
{{ end }}
""",
    "_default/_markup/render-link.html": """{{- $dest := .Destination -}}
{{- if and (strings.HasSuffix $dest ".md") (not (strings.Contains $dest "://")) -}}
{{- $target := site.GetPage (path.Join "/" .Page.File.Dir $dest) -}}
{{- if $target -}}{{- $dest = $target.RelPermalink -}}
{{- else -}}{{- errorf "%s: broken link %q" .Page.File.Path .Destination -}}{{- end -}}
{{- end -}}
<a href="{{ $dest | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
{{- /**/ -}}
""",
}


def tree_digest(root):
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            h.update(os.path.relpath(path, root).encode())
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of content pages")
    ap.add_argument("out", help="folder to write playbook/, mdbook/ and hugo/ into")
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--stats", action="store_true", help="print word counts per page")
    args = ap.parse_args()
    if args.n < 8:
        sys.exit("gen.py: N must be at least 8 (each page links to 3-5 others)")
    generate(args.n, args.out, args.seed)
    if args.stats:
        # Words as a reader counts them: whitespace-separated tokens with a letter.
        counts = []
        for dirpath, _, files in os.walk(os.path.join(args.out, "mdbook", "src")):
            for f in files:
                if f.endswith(".md") and f not in ("SUMMARY.md", "README.md", "index.md"):
                    with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                        counts.append(sum(1 for w in fh.read().split()
                                          if any(c.isalpha() for c in w)))
        counts.sort()
        n = len(counts)
        print(f"words per page: min {counts[0]}, 1st percentile {counts[n // 100]}, "
              f"median {counts[n // 2]}, 99th percentile {counts[-(n // 100) - 1]}, "
              f"max {counts[-1]} over {n} pages")
    print(f"corpus {args.n} pages, seed {args.seed}: "
          + " ".join(f"{s}={tree_digest(os.path.join(args.out, s))[:12]}"
                     for s in ("playbook", "mdbook", "hugo")))


if __name__ == "__main__":
    main()
