"""`make bench`: builds a synthetic library of market briefs and writes build/bench/summary.json.

The library is the sample content plus N briefs (default 200, `BENCH_N` to change) derived from
the Malaysia brief, each with its own trade figures, its own 5G policy milestones and one of the
ten ASEAN countries, so their trade and milestone charts all differ. Targets (2-core machine):
overhead_ratio <= 1.35, speedup_2jobs >= 1.8, library_s_2jobs <= 56, noop_s < 1,
peak_rss_mb < 300, cold_single_s <= 1.5, a cold brief no slower than pandoc + xelatex on the same
HTML (where installed), the library on Dask with two local workers within 1.1x the local pool.
Peers are timed in the same run: WeasyPrint's own command on the same HTML, pandoc + xelatex.
"""

from __future__ import annotations

import json
import operator
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from briefgen.fontcache import cache_dir

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "build" / "bench"
BRIEF = "malaysia-smart-cities"
COUNTRIES = [
    "brunei",
    "cambodia",
    "indonesia",
    "laos",
    "malaysia",
    "myanmar",
    "philippines",
    "singapore",
    "thailand",
    "vietnam",
]
OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt}
KEYS = [
    "publications",
    "cold_single_s",
    "warm_per_publication_s",
    "floor_per_publication_s",
    "overhead_ratio",
    "library_s_1job",
    "library_s_2jobs",
    "speedup_2jobs",
    "noop_s",
    "peak_rss_mb",
    "peer_weasyprint_cli_s",
    "cold_vs_weasyprint_cli",
    "peer_pandoc_xelatex_s",
    "cold_vs_pandoc_xelatex",
    "cold_first_s",
    "cold_first_vs_pandoc_xelatex",
    "library_s_dask_2workers",
    "dask_vs_2jobs",
]


def make_library(n: int) -> Path:
    """The sample entities plus n derived briefs with distinct data."""
    content = BENCH / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(ROOT / "content", content)
    for path in (content / "publications").glob("*.yaml"):
        if path.stem != BRIEF:
            path.unlink()
    base = yaml.safe_load((content / "publications" / f"{BRIEF}.yaml").read_text(encoding="utf-8"))
    policy = yaml.safe_load((content / "policies" / "malaysia-5g.yaml").read_text(encoding="utf-8"))
    for i in range(n):
        scale = 1 + i / 97
        trade = {
            k: ({y: round(v * scale, 1) for y, v in row.items()} if isinstance(row, dict) else row)
            for k, row in base["trade_data"].items()
        }
        trade["exchange_rate"] = base["trade_data"]["exchange_rate"]
        country = COUNTRIES[i % len(COUNTRIES)]
        own_policy = {
            **policy,
            "country": country,
            "milestones": [
                *policy["milestones"],
                {"date": f"{2019 + i % 3}-{1 + i % 12:02d}", "title": f"Milestone {i}"},
            ],
        }
        (content / "policies" / f"policy-{i:03d}.yaml").write_text(
            yaml.safe_dump(own_policy), encoding="utf-8"
        )
        brief = {"based_on": BRIEF, "country": country, "trade_data": trade, "policies": [f"policy-{i:03d}"]}
        (content / "publications" / f"brief-{i:03d}.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")
    return content


def run(*args: str, **env: str) -> float:
    """Seconds a fresh `briefgen` process takes (with ``env`` added to its environment)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "CI": "1", **env},
    )
    return time.perf_counter() - started


def in_process(content: Path, count: int) -> tuple[float, float]:
    """(median briefgen render + PDF + DOCX, median WeasyPrint PDF alone) per publication, warm."""
    from weasyprint import HTML

    from briefgen.build import prepare_one, write
    from briefgen.validate import validate_content
    from briefgen.writers.pdf import _fonts, _ProjectFetcher, _stylesheet

    out = BENCH / "warm"
    library = validate_content(content)
    ids = sorted(library.publications)[:count]
    for id in ids[:2]:  # warm up imports, fonts and the chart cache
        write(prepare_one(library, id, content, out / ".cache" / "charts", None), out)
    ours, floor = [], []
    for id in ids:
        write(prepare_one(library, id, content, out / ".cache" / "charts", None), out)  # draws its charts
        started = time.perf_counter()
        job = prepare_one(library, id, content, out / ".cache" / "charts", None)
        write(job, out)
        ours.append(time.perf_counter() - started)
        fetcher = _ProjectFetcher(job.resources, "svg")
        started = time.perf_counter()
        html = HTML(string=job.rendered.html, base_url=job.resources.base_url(), url_fetcher=fetcher)
        html.write_pdf(
            out / "floor.pdf",
            stylesheets=[_stylesheet(p, p.stat().st_mtime_ns) for p in job.rendered.stylesheets],
            font_config=_fonts(),
        )
        floor.append(time.perf_counter() - started)
    return statistics.median(ours), statistics.median(floor)


def timed(command: list[str], **kwargs: object) -> float:
    """Seconds a fresh process takes to run ``command``."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def peers() -> dict[str, float | None]:
    """The sample brief's own HTML printed by peers in fresh processes, as cold as our single
    build: WeasyPrint's command (the same HTML, stylesheets and chart SVGs) and, where installed,
    pandoc with xelatex (the same HTML, its own typesetting)."""
    from briefgen.build import prepare
    from briefgen.writers import longwords

    folder = BENCH / "peers"
    folder.mkdir(parents=True)
    (job,) = prepare(ROOT / "content", folder, only=[BRIEF])  # draws the charts into its cache
    html = longwords.with_breaks(job.rendered.html)
    for name, chart in job.resources.charts.items():
        html = html.replace(f'src="chart:{name}"', f'src="{chart.path("svg").as_uri()}"')
    (folder / "brief.html").write_text(html, encoding="utf-8")
    (folder / "theme.css").write_text(job.rendered.theme.css(), encoding="utf-8")
    sheets = [folder / "theme.css", *job.rendered.stylesheets]
    found: dict[str, float | None] = {}
    found["peer_weasyprint_cli_s"] = timed(
        [sys.executable, "-m", "weasyprint", "--base-url", job.resources.base_url()]
        + [arg for sheet in sheets for arg in ("--stylesheet", str(sheet))]
        + [str(folder / "brief.html"), str(folder / "weasyprint.pdf")]
    )
    found["peer_pandoc_xelatex_s"] = None
    if not (shutil.which("pandoc") and shutil.which("xelatex") and shutil.which("rsvg-convert")):
        print("pandoc, xelatex or rsvg-convert not installed: that peer is not measured", flush=True)
        return found
    # pandoc's LaTeX has no babel language for Burmese or Chinese spans: the spans lose their
    # language (the words stay); pandoc converts the chart SVGs with rsvg-convert.
    plain = re.sub(r'<span lang="[^"]*">', "<span>", html)
    (folder / "brief-pandoc.html").write_text(plain, encoding="utf-8")
    command = ["pandoc", "brief-pandoc.html", "-o", "pandoc.pdf", "--pdf-engine=xelatex"]
    try:
        found["peer_pandoc_xelatex_s"] = timed([*command, f"--resource-path={ROOT / 'content'}"], cwd=folder)
    except subprocess.CalledProcessError:
        print("pandoc + xelatex failed on the brief: that peer is not measured", flush=True)
    return found


def on_dask(content: Path) -> float | None:
    """Seconds to build the library on a Dask scheduler with two single-threaded workers, all on
    this machine (None without the distributed package)."""
    try:
        from distributed import Client
    except ImportError:
        print("distributed not installed: the Dask build is not measured", flush=True)
        return None
    dask = Path(sys.executable).with_name("dask")
    file = BENCH / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": BENCH}
    processes = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(file)],
            **quiet,
        )
    ]
    try:
        while not (file.exists() and file.read_text(encoding="utf-8").strip()):
            time.sleep(0.1)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        processes += [
            subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard"], **quiet)
            for _ in range(2)
        ]
        with Client(address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        return run("build", "--content", str(content), "--out", str(BENCH / "dask"), "--scheduler", address)
    finally:
        for process in processes:
            process.terminate()
            process.wait()


def main() -> int:
    n = int(os.environ.get("BENCH_N", "200"))
    shutil.rmtree(BENCH, ignore_errors=True)
    BENCH.mkdir(parents=True)
    content = make_library(n)
    summary: dict[str, float | None] = {"publications": n + 1}
    print(f"library: {n + 1} briefs in {content}", flush=True)
    # Truly cold: a fresh process, and an empty chart cache under --out (BENCH was just emptied);
    # default jobs, as a user types it, so the charts are drawn beside the layout.
    assert not (BENCH / "cold").exists()
    summary["cold_single_s"] = run(
        "build", "--content", str(ROOT / "content"), "--out", str(BENCH / "cold"), BRIEF
    )
    # The same on a machine that never laid out these contents: the user's cache (fonts'
    # coverage, contents' pages) copied without the contents' pages kept by earlier builds.
    user_cache = BENCH / "user-cache"
    if cache_dir().is_dir():
        shutil.copytree(cache_dir(), user_cache, ignore=shutil.ignore_patterns("contents"))
    summary["cold_first_s"] = run(
        "build",
        "--content",
        str(ROOT / "content"),
        "--out",
        str(BENCH / "cold-first"),
        BRIEF,
        BRIEFGEN_CACHE_DIR=str(user_cache),
    )
    found = peers()
    summary.update(found)
    for cold, peer, ratio in (
        ("cold_single_s", "peer_weasyprint_cli_s", "cold_vs_weasyprint_cli"),
        ("cold_single_s", "peer_pandoc_xelatex_s", "cold_vs_pandoc_xelatex"),
        ("cold_first_s", "peer_pandoc_xelatex_s", "cold_first_vs_pandoc_xelatex"),
    ):
        seconds = found[peer]
        summary[ratio] = summary[cold] / seconds if seconds else None
    warm, floor = in_process(content, min(20, n + 1))
    summary["warm_per_publication_s"], summary["floor_per_publication_s"] = warm, floor
    summary["overhead_ratio"] = warm / floor
    print("building the library with 1 job ...", flush=True)
    summary["library_s_1job"] = run(
        "build", "--content", str(content), "--out", str(BENCH / "one"), "--jobs", "1"
    )
    print("building the library with 2 jobs ...", flush=True)
    summary["library_s_2jobs"] = run(
        "build", "--content", str(content), "--out", str(BENCH / "two"), "--jobs", "2"
    )
    summary["speedup_2jobs"] = summary["library_s_1job"] / summary["library_s_2jobs"]
    summary["noop_s"] = run("build", "--content", str(content), "--out", str(BENCH / "two"))
    # briefgen's own processes, before Dask's scheduler and workers (its own memory) join them
    summary["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("building the library on Dask, 2 local workers ...", flush=True)
    summary["library_s_dask_2workers"] = on_dask(content)
    dask_s = summary["library_s_dask_2workers"]
    summary["dask_vs_2jobs"] = dask_s / summary["library_s_2jobs"] if dask_s else None
    summary = {key: None if summary[key] is None else round(summary[key], 3) for key in KEYS}
    (BENCH / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    targets = {
        "overhead_ratio": ("<=", 1.35),
        "speedup_2jobs": (">=", 1.8),
        "library_s_2jobs": ("<=", 56 * (n + 1) / 200),
        "noop_s": ("<", 1),
        "peak_rss_mb": ("<", 300),
        "cold_single_s": ("<=", 1.5),
        "cold_vs_pandoc_xelatex": ("<=", 1.0),
        "cold_first_vs_pandoc_xelatex": ("<=", 1.0),
        "dask_vs_2jobs": ("<=", 1.1),
    }
    print(f"\n{'measure':<26}{'value':>10}   target")
    for key in KEYS:
        op, bound = targets.get(key, ("", None))
        value = summary[key]
        if value is None:
            print(f"{key:<26}{'-':>10}   not measured here")
            continue
        met = "" if bound is None else ("met" if OPS[op](value, bound) else "MISSED")
        print(f"{key:<26}{value:>10}   {op} {bound if bound is not None else ''} {met}")
    print(f"\nwritten: {BENCH / 'summary.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
