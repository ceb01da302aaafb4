"""Ray engine: the per-document pipeline on Ray Data, one spaCy model per actor. Every Ray call lives here.

Ray is pinned (the ``ray`` extra: ``ray[data]==2.60.0``) because the one call this module depends on,
``Dataset.map_batches`` with a stateful callable class, changed its concurrency API twice recently:

- up to Ray 2.8 an actor pool was asked for with ``compute=ray.data.ActorPoolStrategy(size=n)``;
- Ray 2.9 added ``concurrency=n`` (or ``(min, max)``) and deprecated ``compute``;
- Ray 2.51 deprecated ``concurrency`` in turn and went back to ``compute=ActorPoolStrategy(...)``
  (``size=n`` for a fixed pool, ``min_size``/``max_size`` to autoscale), which is the form 2.60 takes and
  the one used here: a fixed pool of ``workers`` actors, each building the pipeline once in ``__init__``
  (spaCy and the gazetteer take seconds to load) and reusing it for every batch it is given.

What crosses to the actors and back is plain columns (:mod:`sitroom.engines.plain`): a JSON string per
document in, a JSON string per Analysis field out, never a spaCy ``Doc``. Batches are small (16
documents, like the local engine) so an actor's memory stays that of one spaCy batch. Results come back
in input order (``preserve_order``) and the driver alone writes them, one commit per document, so the
store keeps a single writer and an interrupted run resumes where it stopped.

Documents are handed to Ray Data in chunks (``CHUNK`` documents per Dataset), so the driver never holds
the whole backlog; each chunk starts its actor pool afresh, a few seconds of model loading per
``CHUNK`` documents.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sitroom.config import DEFAULT_PIPELINE
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
CHUNK = 2000

log = logging.getLogger(__name__)


def require_ray() -> Any:
    """The ray module, or EngineError E090 saying what to install."""
    try:
        import ray
        import ray.data  # noqa: F401  (the data extra: a bare ``pip install ray`` lacks it)
    except ImportError as exc:
        raise EngineError(
            "E090",
            f"the Ray engine needs Ray ({exc.name or 'ray'} is not installed): "
            "pip install 'sitroom[ray]', or use --engine local",
        ) from None
    if ray.__version__ != RAY_VERSION:
        log.warning("Ray %s found; sitroom is tested with Ray %s", ray.__version__, RAY_VERSION)
    return ray


class _Analyse:
    """The actor: builds the pipeline once, then analyses each batch of plain documents it is given."""

    def __init__(self, components: Sequence[str], actor_files: Sequence[str]) -> None:
        from sitroom.pipeline import build_pipeline

        self.pipeline = build_pipeline(tuple(components), actor_files=tuple(actor_files))

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        docs = [document_from_plain(text) for text in batch["document"]]
        rows = [analysis_to_plain(a) for a in self.pipeline.process(docs, batch_size=len(docs) or 1)]
        return {name: [row[name] for row in rows] for name in (rows[0] if rows else {"id": None})}


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


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(docs)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def analyse_documents(
    docs: Iterable[Document],
    *,
    components: Sequence[str] = DEFAULT_PIPELINE,
    workers: int = 1,
    actor_files: Sequence[str] = (),
    address: str | None = None,
    batch_size: int = BATCH_SIZE,
    chunk: int = CHUNK,
) -> Iterator[Analysis]:
    """Analyse ``docs`` in input order on ``workers`` Ray actors. Raises E090 at once without Ray."""
    ray = require_ray()
    return _run(ray, docs, tuple(components), max(1, workers), tuple(actor_files), address, batch_size, chunk)


def _run(
    ray: Any,
    docs: Iterable[Document],
    components: tuple[str, ...],
    workers: int,
    actor_files: tuple[str, ...],
    address: str | None,
    batch_size: int,
    chunk: int,
) -> Iterator[Analysis]:
    started = _connect(ray, address, workers)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False  # the CLI draws its own bar, with totals
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    try:
        for part in _chunks(docs, chunk):
            dataset = ray.data.from_items(
                [{"id": d.id, "document": document_to_plain(d)} for d in part],
                # at least one block per actor, else the pool idles; at most a batch per block.
                override_num_blocks=max(min(workers, len(part)), min(len(part) // batch_size, 64)),
            )
            analysed = dataset.map_batches(
                _Analyse,
                fn_constructor_args=(components, actor_files),
                batch_size=batch_size,
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=1,
            )
            expected = iter(part)
            for row in analysed.iter_rows():
                doc = next(expected)
                if row["id"] != doc.id:  # preserve_order is what keeps the single writer in step
                    raise RuntimeError(f"Ray returned {row['id']} where {doc.id} was expected")
                yield analysis_from_plain(row)
    finally:
        if started:
            ray.shutdown()
