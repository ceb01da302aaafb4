"""Local engine: the pipeline in this process, or in a pool of worker processes on this machine.

Workers each build the pipeline once (spaCy and the gazetteer load per process) and receive documents
in small batches so spaCy's ``nlp.pipe`` can batch them; results come back in input order, and only the
parent writes to the workspace, so SQLite sees one writer.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence

from sitroom.engines import batches
from sitroom.model import Document
from sitroom.pipeline import DEFAULT_PIPELINE, Analysis, Pipeline, build_pipeline

_worker_pipeline: Pipeline | None = None


def _init_worker(components: Sequence[str], actor_files: Sequence[str]) -> None:
    global _worker_pipeline
    _worker_pipeline = build_pipeline(components, actor_files=actor_files)


def _analyse_batch(docs: list[Document]) -> list[Analysis]:
    assert _worker_pipeline is not None, "worker used before its initializer ran"
    return list(_worker_pipeline.process(docs, batch_size=len(docs)))


def analyse_in_waves(
    waves: Iterable[Iterable[Document]],
    *,
    components: Sequence[str] = DEFAULT_PIPELINE,
    workers: int = 1,
    actor_files: Sequence[str] = (),
    batch_size: int = 16,
    pipeline: Pipeline | None = None,
) -> Iterator[Analysis]:
    """Analyse each wave's documents in order, every analysis of a wave handed over before the next
    wave is read; the workers (or this process's pipeline) serve every wave."""
    if workers <= 1:
        pipeline = pipeline or build_pipeline(components, actor_files=actor_files)
        for docs in waves:
            yield from pipeline.process(docs, batch_size=batch_size)
        return
    # fork shares the parent's loaded modules copy-on-write, which starts workers in a fraction of
    # the time; spawn is the safe default elsewhere (macOS, Windows).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(
        workers, initializer=_init_worker, initargs=(tuple(components), tuple(actor_files))
    ) as pool:
        for docs in waves:
            # imap keeps order and bounds memory: at most a few batches per worker are in flight.
            for analyses in pool.imap(_analyse_batch, batches(docs, batch_size), chunksize=1):
                yield from analyses
