"""Execution engines: run the same per-document analysis in one process, in worker processes on this
machine (``local``), or on a Ray cluster (``ray``).

Every engine yields :class:`~sitroom.pipeline.Analysis` objects in input order to the caller, which alone
writes to the workspace (one writer, a commit per document, so an interrupted run resumes where it
stopped: the next run skips documents already processed by the same component versions).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sitroom.config import DEFAULT_PIPELINE
from sitroom.model import Document
from sitroom.pipeline import Analysis, Pipeline

ENGINES = ("local", "ray")


def batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """``docs`` in lists of ``size`` (the last shorter), read lazily: no engine holds the backlog."""
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def check_engine(engine: str) -> None:
    """Raise ValueError for an unknown engine, EngineError (E090) for one that is not installed."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if engine == "ray":
        from sitroom.engines import ray as ray_engine

        ray_engine.require_ray()


def analyse_documents(docs: Iterable[Document], **options: Any) -> Iterator[Analysis]:
    """Analyse ``docs`` in order: one wave of ``analyse_in_waves``, which takes the same ``options``
    (engine, address, components, workers, actor_files, batch_size, pipeline)."""
    return analyse_in_waves([docs], **options)


def analyse_in_waves(
    waves: Iterable[Iterable[Document]],
    *,
    engine: str = "local",
    address: str | None = None,
    components: Sequence[str] = DEFAULT_PIPELINE,
    workers: int = 1,
    actor_files: Sequence[str] = (),
    batch_size: int = 16,
    pipeline: Pipeline | None = None,
) -> Iterator[Analysis]:
    """Analyse the documents of each wave in order on ``engine``, one wave after the other on the same
    workers: the next wave is read only once the caller has taken every analysis of the one before
    (so a wave may depend on what the caller saved of the earlier ones: ``Workspace.process``)."""
    if engine == "local":
        from sitroom.engines import local

        return local.analyse_in_waves(
            waves,
            components=components,
            workers=workers,
            actor_files=actor_files,
            batch_size=batch_size,
            pipeline=pipeline,
        )
    if engine == "ray":
        # Imported here so that sitroom works, and says what to install, without the ray extra.
        from sitroom.engines import ray as ray_engine

        return ray_engine.analyse_in_waves(
            waves, components=components, workers=workers, actor_files=actor_files, address=address
        )
    raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
