"""Shared fixtures: temporary workspaces, the demo corpus, and the optional PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
DEMO_CORPUS = REPO / "sitroom" / "examples" / "syria-ground-forces"


@pytest.fixture
def demo_corpus() -> Path:
    return DEMO_CORPUS


@pytest.fixture
def postgres_url() -> str:
    """A fresh PostgreSQL schema-free database URL; skipped locally without a server, fails in CI."""
    url = os.environ.get("SITROOM_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("SITROOM_TEST_POSTGRES_URL is not set: scripts/test.sh could not start PostgreSQL")
        pytest.skip("no PostgreSQL server (run scripts/test.sh to start one)")
    import sqlalchemy as sa

    name = "sitroom_test_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()
