"""Server time of every workbench page on a 10k-document workspace: p50 and p95 per page.

    python -m benchmarks.web [--size 10000] [--seed-docs 60] [--repeat 20] [--keep DIR]

The workspace is built the way ``benchmarks.incremental`` builds its workspaces (``--seed-docs`` FNC-1
bodies through the whole pipeline, scaled up with word-perturbed copies carrying their annotations,
link keys and story places; the demo question loaded). ``--keep DIR`` keeps it as ``DIR/ws-<size>``
and reuses it next time. Every page (HTML) and its JSON twin is then requested ``--repeat`` times
in-process through the ASGI app (Starlette's TestClient: no network, so the figures are the server's
own time plus a millisecond of client), after one untimed warm-up request each; each page's CPU
time (the process's, median) is printed beside its wall time. Target: p95 < 300 ms for every page.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, peak_rss_mb, print_metrics
from benchmarks.incremental import build_workspace

TARGET_MS = 300


def page_paths(ws) -> list[str]:
    """Every page of the workbench, with real ids from the workspace."""
    doc = ws.documents_page(limit=1).items[0].id
    claims = ws.claims(limit=1)
    story = ws.stories(limit=1)
    questions = ws.questions()
    places = ws.places(limit=1)
    entity = next(iter(ws.document_entity_ids(doc).values()), None)
    paths = [
        "/", "/documents", "/documents?q=government", "/documents?source=outlet-1&duplicates=hide",
        f"/documents/{doc}", "/claims", "/claims?speaker=minister", "/events", "/events?type=attack&located=yes",
        "/map", "/timeline", "/timeline?kind=documents", "/places", "/stories", "/contradictions",
        "/contradictions?kind=corroborates", "/sources", "/questions", "/search?q=military", "/revisions",
    ]  # fmt: skip
    if claims.items:
        paths.append(f"/claims/provenance?ref={claims.items[0].ref}")
    if story.items:
        paths.append(f"/stories/{story.items[0].id}")
    if questions:
        paths.append(f"/questions/{questions[0].slug}")
    if entity is not None:
        paths.append(f"/entities/{entity}")
    if places.items:
        paths.append(f"/places/{places.items[0].id}")
    return paths


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def time_pages(folder: Path, repeat: int, only: str | None) -> dict:
    from fastapi.testclient import TestClient

    from sitroom import Workspace
    from sitroom.present.web import WebSettings, create_app

    ws = Workspace.open(folder)
    client = TestClient(create_app(ws, WebSettings(allowed_hosts=("testserver",))))
    results = {}
    for path in page_paths(ws):
        if only and only not in path:
            continue
        for variant in (path, "/api/overview" if path == "/" else "/api" + path):
            response = client.get(variant)  # warm-up, and a check that the page works
            if response.status_code != 200:
                raise SystemExit(f"{variant}: HTTP {response.status_code}: {response.text[:300]}")
            times, cpu = [], []
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(variant)
                times.append((time.perf_counter() - start) * 1000)
                # The process's CPU time (server and client threads): what the request cost, less
                # swayed than wall time by other jobs on a shared machine.
                cpu.append((time.process_time() - start_cpu) * 1000)
            results[variant] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "cpu_p50_ms": round(statistics.median(cpu), 1),
                "bytes": len(response.content),
            }
            flag = "" if results[variant]["p95_ms"] < TARGET_MS else "  MISSES the target"
            print(
                f"{variant:60s} p50 {results[variant]['p50_ms']:7.1f} ms  p95 {results[variant]['p95_ms']:7.1f} ms"
                f"  cpu p50 {results[variant]['cpu_p50_ms']:7.1f} ms{flag}"
            )
    ws.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--seed-docs", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", help="time only the pages whose path contains this")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built workspace in this folder")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix=f"sitroom-web-{args.size}-"))
    kept = args.keep / f"ws-{args.size}" if args.keep else None
    try:
        if kept is not None and (kept / "built.json").exists():
            build_s, documents = json.loads((kept / "built.json").read_text())
            folder = kept
        else:
            build_s, documents = build_workspace(root / "ws", args.size, args.seed_docs, random.Random(11))
            folder = root / "ws"
            if kept is not None:
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(folder, kept)
                (kept / "built.json").write_text(json.dumps([build_s, documents]))
                folder = kept
        print(f"{documents} documents (built in {build_s:.0f} s); {args.repeat} requests per page")
        pages = time_pages(folder, args.repeat, args.only)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    worst = max(pages.items(), key=lambda item: item[1]["p95_ms"])
    missed = sorted(p for p, t in pages.items() if t["p95_ms"] >= TARGET_MS)
    print(
        f"slowest p95: {worst[0]} {worst[1]['p95_ms']} ms; pages missing {TARGET_MS} ms: {missed or 'none'}"
    )
    print_metrics({"machine": machine(), "documents": documents, "repeat": args.repeat, "pages": pages,
                   "missed": missed, "peak_rss_mb": round(peak_rss_mb(), 1)})  # fmt: skip


if __name__ == "__main__":
    main()
