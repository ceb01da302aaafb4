"""Time to add one document to workspaces of 1k and 10k documents, everything updated.

    python -m benchmarks.incremental [--sizes 1000 10000] [--seed-docs 150] [--keep DIR]

Building a 10k-document workspace through spaCy would take about 20 minutes on two cores, so the
workspaces are scaled up from real analyses: ``--seed-docs`` FNC-1 bodies go through the whole pipeline
once; each further document is a word-perturbed variant of one of them (a fifth of its content words
swapped for words of other bodies, so it is no near-duplicate) stored with that body's annotations,
its link keys, and a place in the story clusterer. Every stored document therefore carries a real
distribution of entities, events and claims for the candidate lookups to work against. Then one new,
real article is added the way a user adds it (``ingest`` + ``process``), and the time is split into
ingest, the per-document pipeline (spaCy and sitroom's components) and the cross-document update
(stories, links, question evidence and assessment). Target: under one second at 10k.

``--keep DIR`` keeps each built workspace as ``DIR/ws-<size>`` and reuses it on the next run (the
timed addition then runs on a fresh copy), which makes repeated measurements and profiling cheap.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.common import REPO, bench_path, machine, peak_rss_mb, print_metrics

QUESTION = REPO / "sitroom" / "examples" / "questions" / "russia-ground-forces-syria.yaml"


def _bodies(path: Path) -> list[str]:
    import csv

    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8") as handle:
        return [row["articleBody"] for row in csv.DictReader(handle) if len(row["articleBody"]) > 400]


def _perturb(text: str, vocabulary: list[str], rng: random.Random) -> str:
    # Same length and layout, so the copied annotations' offsets stay inside the text.
    def swap(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 4 or rng.random() > 0.2:
            return word
        other = rng.choice(vocabulary)
        return (other + word)[: len(word)] if len(other) < len(word) else other[: len(word)]

    return re.sub(r"[a-z]+", swap, text)


def keep_workspace(folder: Path, kept: Path, build_s: float, documents: int) -> None:
    """Copy a built workspace to ``kept`` (``--keep``) with what its build took, for the next run."""
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(folder, kept)
    (kept / "built.json").write_text(json.dumps([build_s, documents]))


def build_workspace(folder: Path, size: int, seeds: int, rng: random.Random) -> tuple[float, int]:
    """A workspace of ``size`` documents scaled up from ``seeds`` processed ones; returns build seconds."""
    from sitroom import Workspace

    start = time.perf_counter()
    bodies = _bodies(bench_path("stance", "train_bodies.csv"))
    seed_file = folder.parent / f"seed-{size}.jsonl"
    with seed_file.open("w") as handle:
        for i, body in enumerate(bodies[:seeds]):
            handle.write(
                json.dumps({"title": f"Seed {i}", "text": body, "source": f"outlet-{i % 40}"}) + "\n"
            )
    ws = Workspace.init(folder)
    ws.ingest([str(seed_file)])
    ws.add_question(QUESTION)
    ws.process(workers=2)
    analysed = [(doc, ws.annotations(doc.id)) for doc in ws.documents() if not doc.duplicate_of]
    vocabulary = sorted({w for body in bodies[: seeds * 2] for w in re.findall(r"[a-z]{4,}", body)})
    add_copies(ws, analysed, size - len(analysed), vocabulary, rng)
    ws.close()
    return time.perf_counter() - start, size


def grow_workspace(folder: Path, size: int, seeds: int, rng: random.Random) -> tuple[float, int]:
    """Scale the workspace :func:`build_workspace` built in ``folder`` up to ``size`` documents with
    more copies of its seed documents (no seed is processed again); returns the seconds it took."""
    from sitroom import Workspace

    start = time.perf_counter()
    bodies = _bodies(bench_path("stance", "train_bodies.csv"))
    ws = Workspace.open(folder)
    analysed = [
        (doc, ws.annotations(doc.id))
        for doc in ws.documents()
        if not doc.duplicate_of and re.fullmatch(r"Seed \d+", doc.title or "")
    ]
    have = ws.store.count_documents()["documents"]
    vocabulary = sorted({w for body in bodies[: seeds * 2] for w in re.findall(r"[a-z]{4,}", body)})
    add_copies(ws, analysed, size - have, vocabulary, rng, first=have)
    ws.close()
    return time.perf_counter() - start, size


def add_copies(ws, analysed: list, count: int, vocabulary: list[str], rng: random.Random, *, first: int = 0) -> None:
    """Store ``count`` perturbed copies of the ``analysed`` (document, annotations) pairs, each with its
    seed's annotations, link keys, link items and lead nouns and a place in the story clusterer, as
    taken in by the cross-document update."""
    from sitroom.analyse.links import candidate_keys, make_items
    from sitroom.analyse.links_codec import encode_items, items_version
    from sitroom.analyse.stories import story_input
    from sitroom.clean.dedup import minhash_bands, shingles
    from sitroom.config import DEFAULT_PIPELINE
    from sitroom.nlp.lead import LEAD_VERSION, lead_terms_of
    from sitroom.pipeline import Analysis, component_versions
    from sitroom.store.database import utc_now

    clusterer = ws.analyser._stories()
    writer_docs = []
    for n in range(first, first + count):
        doc, layers = analysed[n % len(analysed)]
        text = _perturb(doc.text, vocabulary, rng)
        copy = replace(doc, id=f"{n:08x}{rng.getrandbits(32):08x}", text=text, title=f"{doc.title} #{n}",
                       text_hash=f"synthetic-{n}", duplicate_of=None, ingested_at=utc_now())  # fmt: skip
        writer_docs.append((copy, layers))
    with ws.store.writer(commit_every=500) as writer:
        for copy, _ in writer_docs:
            writer.add_document(
                copy, raw=len(copy.text), bands=minhash_bands(shingles(copy.text)), run_id="scale-up"
            )
    versions = component_versions(DEFAULT_PIPELINE)  # what `process` records, so copies count as processed
    for copy, layers in writer_docs:
        analysis = Analysis(document=copy, **{k: layers[k] for k in ("mentions", "entities", "places", "quantities",
                                                                     "claims", "events", "lead")}, times=layers["times"],
                            components=[*versions, LEAD_VERSION])  # fmt: skip
        ws.store.save_analysis(analysis, run_id="scale-up")
        items = make_items(copy, layers)
        keys = [(key, item.ref) for item in items for key in candidate_keys(item)]
        ws.store.save_link_keys(copy.id, keys, at=copy.ingested_at, items=(items_version(), encode_items(items)))
        # A copy keeps the nouns of its seed's lead (stored by the pipeline; same offsets in the copy).
        clusterer.add(
            story_input(copy, entities=layers["entities"], places=layers["places"],
                        lead_nouns=lead_terms_of(layers["lead"]))
        )  # fmt: skip
    ws.store.save_stories(clusterer.state_parts(), clusterer.stories(), [], now=utc_now())
    clusterer.vectors_saved()
    # Taken in: the next `process` updates only its own documents, not 20k copies.
    ws.store.mark_analysed([(copy.id, "done", None) for copy, _ in writer_docs], run_id="scale-up", now=utc_now())


def time_one_document(folder: Path, article: str, warm_up: str) -> dict:
    """Add ``warm_up`` untimed, then ``article`` timed, to the workspace in ``folder``.

    The warm-up addition stands for a running workspace that has processed documents before: what a
    process loads once (spaCy, the gazetteer, the clusterer state, the stance model, lexicons and
    language models read on first use) is loaded by then, and only the work of one addition is timed."""
    from sitroom import Workspace

    with Workspace.open(folder) as ws:
        pipeline = ws._pipeline()
        _add_one(ws, folder.parent / "warm-up.txt", warm_up, pipeline)
        return _add_one(ws, folder.parent / "new-article.txt", article, pipeline)


def _add_one(ws, path: Path, text: str, pipeline) -> dict:
    """Ingest one file and process it the way ``sitroom process`` does, timing each stage."""
    from sitroom.config import DEFAULT_PIPELINE
    from sitroom.engines import analyse_documents
    from sitroom.pipeline import component_versions

    path.write_text(text)
    t0 = time.perf_counter()
    ws.ingest([str(path)])
    t1 = time.perf_counter()
    new = list(ws.store.documents_needing(component_versions(DEFAULT_PIPELINE)))
    for analysis in analyse_documents(new, pipeline=pipeline):
        ws.store.save_analysis(analysis, run_id="bench")
    t2 = time.perf_counter()
    summary = ws.analyser.update(new)
    t3 = time.perf_counter()
    return {
        "ingest_s": round(t1 - t0, 3),
        "pipeline_s": round(t2 - t1, 3),
        "update_s": round(t3 - t2, 3),
        "total_s": round(t3 - t0, 3),
        "new_links": summary.links,
        "story_changes": len(summary.story_changes),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--seed-docs", type=int, default=150)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built workspaces in this folder")
    args = parser.parse_args(argv)
    seeds = sorted((REPO / "sitroom" / "examples" / "syria-ground-forces").glob("*.txt"))
    # A new article the workspace has not seen: a demo article with a changed first paragraph; another
    # demo article is added first, untimed, to warm the workspace up.
    article = seeds[1].read_text().replace("Jerusalem—", "Beirut—", 1)
    warm_up = seeds[2].read_text()
    rng = random.Random(11)
    metrics: dict = {"machine": machine()}
    for size in args.sizes:
        root = Path(tempfile.mkdtemp(prefix=f"sitroom-incr-{size}-"))
        kept = args.keep / f"ws-{size}" if args.keep else None
        try:
            if kept is not None and (kept / "built.json").exists():
                build_s, documents = json.loads((kept / "built.json").read_text())
            else:
                build_s, documents = build_workspace(root / "ws", size, args.seed_docs, rng)
                if kept is not None:
                    keep_workspace(root / "ws", kept, build_s, documents)
            if kept is not None:
                shutil.rmtree(root / "ws", ignore_errors=True)
                shutil.copytree(kept, root / "ws")
            timing = time_one_document(root / "ws", article, warm_up)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        metrics[str(size)] = {"documents": documents, "build_s": round(build_s, 1), **timing}
        print(
            f"{documents} documents (built in {build_s:.0f} s): add one article {timing['total_s']:.3f} s = "
            f"ingest {timing['ingest_s']:.3f} + pipeline {timing['pipeline_s']:.3f} + "
            f"stories/links/questions {timing['update_s']:.3f} ({timing['new_links']} links, "
            f"{timing['story_changes']} story changes)"
        )
    metrics["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print_metrics(metrics)


if __name__ == "__main__":
    main()
