"""Ray engine: the per-document pipeline on long-lived Ray actors, one spaCy model each. Every Ray call
lives here.

Ray is pinned (the ``ray`` extra: ``ray==2.60.0``). An earlier version of this module ran Ray
Data's ``Dataset.map_batches`` with an actor pool; two things made it slower than the local engine:

- a Dataset needs its items up front, so the backlog went to Ray in chunks of 2,000 documents, and
  every chunk (and every ``process`` call) started a new actor pool that loaded spaCy and the
  gazetteer again (seconds per actor, most of a 200-document run);
- ``map_batches``' concurrency API changed twice recently (``compute=ActorPoolStrategy`` up to 2.8,
  ``concurrency=`` from 2.9, ``compute=ActorPoolStrategy(size=n)`` again from 2.51), a pin that
  every Ray upgrade had to revisit.

So the engine uses Ray Core's two stable calls, ``ray.remote`` actors and ``ray.get``: a pool of
``workers`` actors, each building the pipeline once, is kept for the life of the Ray connection (a
driver that calls ``process`` repeatedly, like the throughput benchmark or a long-running service,
reuses the loaded models), and the documents stream through it in one pass over the whole backlog:
batches of 16 go to the least busy actor, at most ``IN_FLIGHT`` batches per actor are outstanding (so
the driver holds a few batches, never the backlog), and results come back in input order.

What crosses to the actors and back is plain columns (:mod:`sitroom.engines.plain`): a JSON string per
document in, a JSON string per Analysis field out, never a spaCy ``Doc``. The driver alone writes the
results, one commit per document, so the store keeps a single writer and an interrupted run resumes
where it stopped.
"""

from __future__ import annotations

import collections
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sitroom.config import DEFAULT_PIPELINE
from sitroom.engines import batches
from sitroom.engines.plain import (
    analysis_from_plain,
    analysis_to_plain,
    document_from_plain,
    document_to_plain,
)
from sitroom.errors import EngineError
from sitroom.model import Document
from sitroom.pipeline import Analysis

RAY_VERSION = "2.60.0"
BATCH_SIZE = 16
# Batches outstanding per actor: one being analysed and one queued, so an actor never waits for the
# driver, while the driver holds at most 2 x workers x 16 documents.
IN_FLIGHT = 2

log = logging.getLogger(__name__)


def require_ray() -> Any:
    """The ray module, or EngineError E090 saying what to install."""
    try:
        import ray
    except ImportError as exc:
        raise EngineError(
            "E090",
            f"the Ray engine needs Ray ({exc.name or 'ray'} is not installed): "
            "pip install 'sitroom[ray]', or use --engine local",
        ) from None
    if ray.__version__ != RAY_VERSION:
        log.warning("Ray %s found; sitroom is tested with Ray %s", ray.__version__, RAY_VERSION)
    return ray


class SitroomAnalyser:
    """The actor (``ps`` shows ``ray::SitroomAnalyser``): builds the pipeline once, then analyses each batch of plain documents it is given."""

    def __init__(self, components: Sequence[str], actor_files: Sequence[str]) -> None:
        from sitroom.pipeline import build_pipeline

        self.pipeline = build_pipeline(tuple(components), actor_files=tuple(actor_files))

    def analyse(self, documents: list[str]) -> list[dict[str, str]]:
        docs = [document_from_plain(text) for text in documents]
        return [analysis_to_plain(a) for a in self.pipeline.process(docs, batch_size=len(docs) or 1)]


# The live actor pool: (Ray job, components, actor files, workers) -> actor handles. Kept while the
# Ray connection lasts, so later calls skip loading the models; a new connection starts a new pool.
_pools: dict[tuple, list[Any]] = {}


def _pool(ray: Any, components: tuple[str, ...], actor_files: tuple[str, ...], workers: int) -> list[Any]:
    context = ray.get_runtime_context()
    # A job id repeats across clusters (each new cluster's first job is 01000000); the driver's node id
    # does not: actors of an earlier connection, or of a cluster started and shut down by the caller,
    # are gone.
    job = (context.get_job_id(), context.get_node_id())
    for key in [k for k in _pools if k[0] != job]:
        del _pools[key]
    key = (job, components, actor_files, workers)
    if key not in _pools:
        remote = ray.remote(num_cpus=1)(SitroomAnalyser)
        _pools[key] = [remote.remote(components, actor_files) for _ in range(workers)]
    return _pools[key]


def _connect(ray: Any, address: str | None, workers: int) -> bool:
    """Join the cluster at ``address``, or start a local instance; True when this call started Ray."""
    if ray.is_initialized():
        return False
    quiet = {"logging_level": logging.WARNING, "log_to_driver": False, "configure_logging": True}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            # A bounded local instance: as many CPUs as workers, no dashboard (a web server and its
            # port nobody asked for), and no usage reporting.
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            ray.init(num_cpus=max(1, workers), include_dashboard=False, **quiet)
    except Exception as exc:  # Ray raises ConnectionError, RuntimeError or its own types here
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise EngineError("E091", f"could not start or reach {where}: {exc}") from None
    return True


def analyse_in_waves(
    waves: Iterable[Iterable[Document]],
    *,
    components: Sequence[str] = DEFAULT_PIPELINE,
    workers: int = 1,
    actor_files: Sequence[str] = (),
    address: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Analysis]:
    """Analyse each wave's documents in input order on the same ``workers`` Ray actors, every analysis
    of a wave handed over before the next wave is read. Raises E090 at once without Ray."""
    ray = require_ray()
    return _run(ray, waves, tuple(components), max(1, workers), tuple(actor_files), address, batch_size)


def _run(
    ray: Any,
    waves: Iterable[Iterable[Document]],
    components: tuple[str, ...],
    workers: int,
    actor_files: tuple[str, ...],
    address: str | None,
    batch_size: int,
) -> Iterator[Analysis]:
    started = _connect(ray, address, workers)
    key_actors = None
    try:
        actors = key_actors = _pool(ray, components, actor_files, workers)
        load = [0] * len(actors)  # batches outstanding per actor
        # Submission order: (batch, actor index, result ref); the head is always the next to yield.
        pending: collections.deque[tuple[list[Document], int, Any]] = collections.deque()

        def collect() -> Iterator[Analysis]:
            batch, actor, ref = pending.popleft()
            rows = ray.get(ref)
            load[actor] -= 1
            if [row["id"] for row in rows] != [doc.id for doc in batch]:  # the single writer's order
                raise RuntimeError(f"Ray returned {len(rows)} analyses out of step with batch {batch[0].id}")
            for row in rows:
                yield analysis_from_plain(row)

        for docs in waves:
            for batch in batches(docs, batch_size):
                while len(pending) >= IN_FLIGHT * len(actors):
                    yield from collect()
                actor = min(range(len(actors)), key=load.__getitem__)
                plain = [document_to_plain(doc) for doc in batch]
                pending.append((batch, actor, actors[actor].analyse.remote(plain)))
                load[actor] += 1
            while pending:  # the wave ends here: every analysis of it handed over
                yield from collect()
    except Exception:
        # A dead or failed actor must not serve the next call: the pool is started afresh.
        for key in [k for k, v in _pools.items() if v is key_actors]:
            del _pools[key]
        raise
    finally:
        if started:
            _pools.clear()
            ray.shutdown()
