#!/usr/bin/env python3
"""Times playbook, mdBook, Hugo and the floor on corpora made by gen.py, and
prints the results as Markdown (also written to WORK/results.md and
WORK/results.json).

    bench/measure.py --work DIR --playbook BIN --mdbook BIN --hugo BIN --floor BIN N...

Each build starts from clean: the output folder is deleted before every run
(untimed). One untimed warm-up per tool and size fills the page cache, then the
tools take turns, round by round, so a change in machine load hits all of them
alike. Each run is measured with os.wait4: wall time from fork to exit, CPU
time (user + sys) and peak resident memory of the build process. The table
quotes medians.

mdBook's build time grows with the square of the page count (every page carries
the whole table of contents), so from --mdbook-once-from pages on it is run
exactly once, with no warm-up, under a --mdbook-cap seconds time limit, and the
table says so."""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

KINDS = ["patterns", "cases", "hybrids", "mistakes"]
GNU_TIME = "/usr/bin/time"


class Tool:
    def __init__(self, name, site, out_dirs, cmd, expect):
        self.name = name
        self.site = site          # the corpus folder this tool reads
        self.out_dirs = out_dirs  # deleted before every run
        self.cmd = cmd
        self.expect = expect      # (kind, id) -> the output file for that page


def tools_for(args, corpus):
    pb = os.path.join(corpus, "playbook")
    mb = os.path.join(corpus, "mdbook")
    hg = os.path.join(corpus, "hugo")
    fl = os.path.join(corpus, "floor-out")
    ff = os.path.join(corpus, "fair-floor-out")
    manifest = os.path.join(corpus, "playbook-files.tsv")
    tools = [
        Tool("playbook", pb, [os.path.join(pb, "public")],
             [args.playbook, "build", pb],
             lambda k, i: os.path.join(pb, "public", k, i + ".html")),
        Tool("mdBook", mb, [os.path.join(mb, "book")],
             [args.mdbook, "build", mb],
             lambda k, i: os.path.join(mb, "book", k, i + ".html")),
        Tool("Hugo", hg, [os.path.join(hg, "public"), os.path.join(hg, "resources")],
             [args.hugo, "--quiet", "--source", hg],
             lambda k, i: os.path.join(hg, "public", k, i, "index.html")),
        Tool("floor", pb, [fl],
             [args.floor, os.path.join(pb, "content"), fl],
             lambda k, i: os.path.join(fl, k, i + ".html")),
        # The fair floor: playbook's own files (same paths, same sizes), from
        # the same reading and parsing, with none of playbook's logic.
        Tool("fair floor", pb, [ff],
             [args.floor, "--same-bytes", manifest, os.path.join(pb, "content"), ff],
             lambda k, i: os.path.join(ff, k, i + ".html")),
    ]
    if args.before:
        # The same corpus built by another revision of playbook, into its own
        # folder: what a change costs or saves, in the same run.
        out = os.path.join(pb, "public-before")
        tools.insert(1, Tool("before", pb, [out], [args.before, "build", pb, "-o", out],
                             lambda k, i: os.path.join(out, k, i + ".html")))
    return tools


def clean(tool):
    for d in tool.out_dirs:
        shutil.rmtree(d, ignore_errors=True)
    # Leftovers of a killed playbook build sit beside its output folder.
    parent = os.path.dirname(tool.out_dirs[0])
    for name in os.listdir(parent):
        if ".playbook-staging-" in name or name == ".hugo_build.lock":
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def run_once(tool, log_path, cap=None):
    """One clean build. Returns dict(wall, cpu, rss_mib, timed_out)."""
    clean(tool)
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(tool.cmd)}\n".encode())
        log.flush()
        # GNU time reports the build's peak RSS. Measured from here, a child
        # forked by Python would inherit Python's RSS as its high-water mark
        # (about 16 MiB), which hides small programs such as the floor.
        rss_file = log_path + ".rss"
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + tool.cmd
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        killed = []
        timer = None
        if cap:
            def kill():
                killed.append(True)
                os.killpg(proc.pid, signal.SIGKILL)
            timer = threading.Timer(cap, kill)
            timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime  # the build plus GNU time's own few hundred µs
    if killed:
        return {"wall": wall, "cpu": cpu, "rss_mib": float("nan"), "timed_out": True}
    if proc.returncode != 0:
        sys.exit(f"measure: {tool.name} failed (exit {proc.returncode}); see {log_path}")
    with open(rss_file) as f:
        rss_kib = int(f.read().split()[-1])
    return {"wall": wall, "cpu": cpu, "rss_mib": rss_kib / 1024, "timed_out": False}


def write_manifest(playbook, corpus):
    """What playbook writes for this corpus, `size<TAB>path` per file, for
    the fair floor to write the same bytes (built once, untimed)."""
    out = os.path.join(corpus, "manifest-build")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([playbook, "build", os.path.join(corpus, "playbook"), "-o", out],
                   check=True, capture_output=True)
    with open(os.path.join(corpus, "playbook-files.tsv"), "w") as f:
        for root, _, files in os.walk(out):
            for name in sorted(files):
                path = os.path.join(root, name)
                f.write(f"{os.path.getsize(path)}\t{os.path.relpath(path, out)}\n")
    shutil.rmtree(out, ignore_errors=True)


def content_pages(corpus):
    pages = []
    for kind in KINDS:
        folder = os.path.join(corpus, "playbook", "content", kind)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md"):
                pages.append((kind, name[:-3]))
    return pages


def verify(tool, pages):
    """Every content page was rendered, with its table and code block."""
    missing = [p for p in pages if not os.path.isfile(tool.expect(*p))]
    if missing:
        sys.exit(f"measure: {tool.name} did not render {len(missing)} of {len(pages)} pages, "
                 f"e.g. {tool.expect(*missing[0])}")
    for p in (pages[0], pages[-1]):
        with open(tool.expect(*p), encoding="utf-8") as f:
            html = f.read()
        for needle in ("<table", "<pre", "<h2", "<li>"):
            if needle not in html:
                sys.exit(f"measure: {tool.expect(*p)} has no {needle}")
    html_files = 0
    for d in tool.out_dirs[:1]:
        for _, _, files in os.walk(d):
            html_files += sum(1 for f in files if f.endswith(".html"))
    return html_files


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def cmd_line(out):
    try:
        return subprocess.run(out, capture_output=True, text=True, check=False).stdout.strip()
    except OSError as e:
        return f"unavailable ({e})"


def machine(work):
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    return {"nproc": os.cpu_count(), "cpu": model, "mem_gib": round(mem_kib / 1024 / 1024, 1),
            "kernel": platform.release(), "fs": filesystem(work)}


def filesystem(path):
    """Type of the file system holding `path` (the longest matching mount)."""
    best, kind = "", "?"
    path = os.path.realpath(path)
    with open("/proc/mounts") as f:
        for line in f:
            parts = line.split()
            mount, fstype = parts[1], parts[2]
            if (path == mount or path.startswith(mount.rstrip("/") + "/")) and len(mount) > len(best):
                best, kind = mount, fstype
    return f"{kind} at {best}"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--playbook", required=True)
    ap.add_argument("--mdbook", required=True)
    ap.add_argument("--hugo", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--before", default="", help="another playbook binary to time beside it")
    ap.add_argument("--mdbook-once-from", type=int, default=5000)
    ap.add_argument("--mdbook-cap", type=int, default=900)
    ap.add_argument("--only", default="", help="comma-separated tool names to run")
    ap.add_argument("--versions", default="{}", help="JSON of tool versions to print")
    args = ap.parse_args()

    only = {t.strip().lower() for t in args.only.split(",") if t.strip()}
    args.work = os.path.abspath(args.work)
    results = {"machine": machine(args.work), "versions": json.loads(args.versions), "runs": args.runs,
               "load_start": loadavg(), "sizes": {}}
    for n in args.sizes:
        corpus = os.path.join(args.work, str(n))
        pages = content_pages(corpus)
        log = os.path.join(args.work, f"build-{n}.log")
        open(log, "w").close()
        tools = [t for t in tools_for(args, corpus) if not only or t.name.lower() in only]
        once = {t.name for t in tools if t.name == "mdBook" and n >= args.mdbook_once_from}
        samples = {t.name: [] for t in tools}
        html = {}
        if any(t.name == "fair floor" for t in tools):
            write_manifest(args.playbook, corpus)
        # Warm-up and check: every page rendered (untimed, except a once-only run).
        for t in tools:
            if t.name in once:
                continue
            run_once(t, log)
            html[t.name] = verify(t, pages)
            print(f"[{n}] {t.name}: warm-up ok, {html[t.name]} HTML files", file=sys.stderr)
        for r in range(args.runs):
            for t in tools:
                if t.name in once:
                    continue
                s = run_once(t, log)
                samples[t.name].append(s)
                print(f"[{n}] run {r + 1}/{args.runs} {t.name}: {s['wall']:.3f} s wall, "
                      f"{s['cpu']:.3f} s cpu, {s['rss_mib']:.0f} MiB", file=sys.stderr)
        for t in tools:
            if t.name not in once:
                continue
            print(f"[{n}] {t.name}: one run, capped at {args.mdbook_cap} s ...", file=sys.stderr)
            s = run_once(t, log, cap=args.mdbook_cap)
            samples[t.name].append(s)
            if not s["timed_out"]:
                html[t.name] = verify(t, pages)
            print(f"[{n}] {t.name}: {s['wall']:.1f} s wall"
                  + (" (TIMED OUT)" if s["timed_out"] else ""), file=sys.stderr)
        size = {"pages": len(pages), "tools": {}}
        for t in tools:
            ss = samples[t.name]
            size["tools"][t.name] = {
                "runs": len(ss),
                "once_capped": t.name in once,
                "timed_out": any(s["timed_out"] for s in ss),
                "wall": median([s["wall"] for s in ss]),
                "wall_min": min(s["wall"] for s in ss),
                "wall_max": max(s["wall"] for s in ss),
                "cpu": median([s["cpu"] for s in ss]),
                "rss_mib": median([s["rss_mib"] for s in ss]),
                "html_files": html.get(t.name),
                "samples": ss,
            }
        results["sizes"][str(n)] = size
    results["load_end"] = loadavg()

    md = report(results, args)
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(args.work, "results.md"), "w") as f:
        f.write(md)
    print(md)


def report(results, args):
    m = results["machine"]
    lines = [
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM, Linux {m['kernel']}; "
        f"corpora and outputs on {m['fs']}; "
        f"load average {results['load_start']} at start, {results['load_end']} at end.",
        "",
    ]
    if results["versions"]:
        lines.append("Versions: " + "; ".join(
            v if v.lower().startswith(k.lower()) else f"{k} {v}"
            for k, v in results["versions"].items()))
        lines.append("")
    lines += [
        f"Medians of {results['runs']} clean builds per tool and size (after one warm-up), "
        "tools interleaved round by round; wall and CPU (user + sys) from wait4, peak RSS from "
        "GNU time. Ratios are tool ÷ playbook: above 1 means "
        "playbook is faster (or smaller).",
        "",
        "| pages | tool | runs | wall s (median) | wall min–max | CPU s (user+sys) | peak RSS MiB "
        "| pages/s | wall ÷ playbook | CPU ÷ playbook | RSS ÷ playbook | HTML files |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, size in results["sizes"].items():
        tools = size["tools"]
        pb = tools.get("playbook")
        for name, t in tools.items():
            runs = f"{t['runs']}"
            if t["once_capped"]:
                runs = f"1 (once, cap {args.mdbook_cap} s)"
            wall = fmt_s(t["wall"]) + (" (timed out)" if t["timed_out"] else "")
            prefix = ">" if t["timed_out"] else ""
            if pb:
                r_wall = f"{prefix}{t['wall'] / pb['wall']:.2f}"
                r_cpu = f"{t['cpu'] / pb['cpu']:.2f}"
                r_rss = "–" if t["timed_out"] else f"{t['rss_mib'] / pb['rss_mib']:.2f}"
            else:
                r_wall = r_cpu = r_rss = "–"
            pps = f"{'<' if t['timed_out'] else ''}{size['pages'] / t['wall']:,.0f}"
            span = "–" if t["runs"] == 1 else f"{fmt_s(t['wall_min'])}–{fmt_s(t['wall_max'])}"
            lines.append(
                f"| {int(n):,} | {name} | {runs} | {wall} | {span} | {fmt_s(t['cpu'])} | "
                f"{'–' if t['timed_out'] else format(t['rss_mib'], '.0f')} | {pps} | {r_wall} | {r_cpu} | {r_rss} | "
                f"{t['html_files'] if t['html_files'] is not None else '–'} |")
    lines.append("")

    # Playbook against the floor and the fastest peer, and its scaling.
    summary = []
    per_page = []
    for n, size in results["sizes"].items():
        tools = size["tools"]
        pb = tools.get("playbook")
        if not pb:
            continue
        if "before" in tools:
            b = tools["before"]
            summary.append(f"- {int(n):,} pages: playbook ÷ before = "
                           f"{pb['wall'] / b['wall']:.3f} (wall), "
                           f"{pb['cpu'] / b['cpu']:.3f} (CPU), "
                           f"{pb['rss_mib'] / b['rss_mib']:.3f} (peak RSS).")
        for floor in ("fair floor", "floor"):
            if floor in tools:
                summary.append(f"- {int(n):,} pages: playbook ÷ {floor} = "
                               f"{pb['wall'] / tools[floor]['wall']:.2f} (wall), "
                               f"{pb['cpu'] / tools[floor]['cpu']:.2f} (CPU).")
        if "Hugo" in tools and not tools["Hugo"]["timed_out"]:
            h = tools["Hugo"]
            summary.append(f"- {int(n):,} pages: Hugo ÷ playbook = {h['wall'] / pb['wall']:.2f} (wall), "
                           f"{h['cpu'] / pb['cpu']:.2f} (CPU), {h['rss_mib'] / pb['rss_mib']:.2f} (peak RSS).")
        peers = [(t["wall"], name) for name, t in tools.items()
                 if name not in ("playbook", "before", "floor", "fair floor") and not t["timed_out"]]
        if peers:
            wall, name = min(peers)
            summary.append(f"- {int(n):,} pages: fastest peer is {name}; "
                           f"{name} ÷ playbook = {wall / pb['wall']:.2f} (wall).")
        per_page.append((int(n), pb["wall"] / size["pages"] * 1e6, pb["cpu"] / size["pages"] * 1e6))
    if summary:
        lines += summary + [""]
    if len(per_page) >= 2:
        lines += ["playbook's scaling (median wall and CPU per content page):", "",
                  "| pages | wall µs/page | CPU µs/page |", "|---:|---:|---:|"]
        for n, w, c in per_page:
            lines.append(f"| {n:,} | {w:.0f} | {c:.0f} |")
        (n0, w0, c0), (n1, w1, c1) = per_page[0], per_page[-1]
        lines += ["", f"From {n0:,} to {n1:,} pages the time per page changes by "
                      f"×{w1 / w0:.2f} (wall) and ×{c1 / c0:.2f} (CPU); ×1.00 is perfectly linear.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
