"""`make bench`: builds a synthetic library of market briefs and writes build/bench/summary.json.

The library is the sample content plus N briefs (default 200, `BENCH_N` to change) derived from
the Malaysia brief, each with its own trade figures, its own 5G policy milestones and one of the
ten ASEAN countries, so their trade and milestone charts all differ. Targets (2-core machine):
overhead_ratio <= 1.35, speedup_2jobs >= 1.8, library_s_2jobs <= 56, noop_s < 1,
peak_rss_mb < 300, cold_single_s <= 1.5.
"""

from __future__ import annotations

import json
import operator
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

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


def run(*args: str) -> float:
    """Seconds a fresh `briefgen` process takes."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "CI": "1"},
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


def main() -> int:
    n = int(os.environ.get("BENCH_N", "200"))
    shutil.rmtree(BENCH, ignore_errors=True)
    BENCH.mkdir(parents=True)
    content = make_library(n)
    summary: dict[str, float] = {"publications": n + 1}
    print(f"library: {n + 1} briefs in {content}", flush=True)
    summary["cold_single_s"] = run(
        "build", "--content", str(ROOT / "content"), "--out", str(BENCH / "cold"), "--jobs", "1", BRIEF
    )
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
    summary["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = {key: round(summary[key], 3) for key in KEYS}
    (BENCH / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    targets = {
        "overhead_ratio": ("<=", 1.35),
        "speedup_2jobs": (">=", 1.8),
        "library_s_2jobs": ("<=", 56 * (n + 1) / 200),
        "noop_s": ("<", 1),
        "peak_rss_mb": ("<", 300),
        "cold_single_s": ("<=", 1.5),
    }
    print(f"\n{'measure':<26}{'value':>10}   target")
    for key in KEYS:
        op, bound = targets.get(key, ("", None))
        met = "" if bound is None else ("met" if OPS[op](summary[key], bound) else "MISSED")
        print(f"{key:<26}{summary[key]:>10}   {op} {bound if bound is not None else ''} {met}")
    print(f"\nwritten: {BENCH / 'summary.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
