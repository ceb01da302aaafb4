"""A bounded load test of the workbench on loopback while an ingest writes to the same workspace.

    python -m benchmarks.load [--workspace DIR] [--size 10000] [--clients 50] [--seconds 60]
        [--ingest FILE ...] [--port 8799]

``sitroom serve`` runs on 127.0.0.1 over a workspace of ``--size`` documents (built as
``benchmarks.web`` builds it, or the folder ``--workspace`` names: ``benchmarks.web --keep DIR``
leaves one at ``DIR/ws-10000``), and ``--clients`` concurrent clients request the workbench's pages
for ``--seconds`` seconds while ``sitroom ingest`` adds the FNC-1 bodies (default) to the same
workspace. Every request is bounded (a fixed duration, a 30 s timeout each); traffic goes only to
loopback. Prints requests/s, p50/p99 latency and every error (status ≥ 500, a timeout, a refused
connection); the last line is the metrics as JSON. The figure that matters: zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import bench_path, machine, print_metrics

PAGES = (
    "/", "/documents", "/documents?q=government", "/claims", "/claims?speaker=minister", "/events",
    "/map", "/timeline", "/stories", "/contradictions", "/sources", "/questions", "/search?q=military",
    "/api/overview", "/api/claims", "/api/events",
)  # fmt: skip


def _wait_for(url: str, seconds: float = 120.0) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the workbench did not answer at {url} within {seconds:.0f} s")


async def _client(base: str, until: float, latencies: list[float], errors: list[str], offset: int) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        turn = offset
        while time.monotonic() < until:
            path = PAGES[turn % len(PAGES)]
            turn += 1
            start = time.perf_counter()
            try:
                response = await client.get(path)
                if response.status_code >= 500:
                    errors.append(f"{path}: HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - start)


async def _load(base: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(_client(base, until, latencies, errors, i) for i in range(clients)))
    return latencies, errors, time.monotonic() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument(
        "--ingest", nargs="+", type=Path, default=[bench_path("stance", "dev_bodies.csv")],
        help="What the concurrent ingest reads.",
    )  # fmt: skip
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="sitroom-load-") as tmp:
        folder = args.workspace
        if folder is None:
            import random

            from benchmarks.incremental import build_workspace

            folder = Path(tmp) / f"ws-{args.size}"
            build_workspace(folder, args.size, 60, random.Random(7))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "sitroom", "serve", "-w", str(folder), "--port", str(args.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        ingest = None
        ingest_rc = None
        try:
            base = f"http://127.0.0.1:{args.port}"
            _wait_for(base + "/")
            ingest = subprocess.Popen(
                [sys.executable, "-m", "sitroom", "ingest", *map(str, args.ingest), "-w", str(folder), "--json"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
            )  # fmt: skip
            latencies, errors, elapsed = asyncio.run(_load(base, args.clients, args.seconds))
        finally:
            if ingest is not None:
                ingest_rc = ingest.wait(timeout=600)
            server.terminate()
            server.wait(timeout=30)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
    print(f"machine: {machine()}; workspace {folder}; {args.clients} clients for {elapsed:.0f} s during an ingest")
    print(f"{len(ordered)} requests, {len(ordered) / elapsed:.1f}/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, errors {len(errors)}")
    for line in errors[:20]:
        print("  error:", line)
    print(f"concurrent ingest exit code: {ingest_rc}")
    print_metrics(
        {
            "clients": args.clients, "seconds": round(elapsed, 1), "requests": len(ordered),
            "requests_per_s": round(len(ordered) / elapsed, 2), "p50_ms": round(p50), "p99_ms": round(p99),
            "errors": len(errors), "ingest_exit": ingest_rc,
        }  # fmt: skip
    )


if __name__ == "__main__":
    main()
