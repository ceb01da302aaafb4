"""Table definitions (SQLAlchemy Core). Only sitroom.store imports this module.

Names are plain English so the SQLite file stays pleasant to open with standard tools; the view
``document_overview`` joins documents to their sources for people browsing the file.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False),
    Column("domain", String(300)),
    # Admiralty scale: A (completely reliable) … F (reliability cannot be judged).
    Column("reliability", String(1), nullable=False, server_default="F"),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("name", name="uq_sources_name"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("arguments", Text),
    Column("ingested", Integer, nullable=False, server_default="0"),
    Column("duplicates", Integer, nullable=False, server_default="0"),
    Column("already_present", Integer, nullable=False, server_default="0"),
    Column("skipped", Integer, nullable=False, server_default="0"),
    Column("failed", Integer, nullable=False, server_default="0"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("source_basis", String(32)),
    Column("url", Text),
    Column("title", Text),
    Column("author", Text),
    Column("author_role", Text),
    Column("dateline", Text),
    Column("language", String(8)),
    Column("published", String(32)),
    Column("published_precision", String(8), nullable=False, server_default="unknown"),
    Column("published_basis", String(16), nullable=False, server_default="none"),
    Column("published_earliest", String(32)),
    Column("published_latest", String(32)),
    Column("published_evidence", Text),
    Column("published_implausible", Text),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("duplicate_of", String(16)),
    Column("duplicate_reason", Text),
    Column("removed_lines", Text, nullable=False, server_default="[]"),
    Column("format", String(16), nullable=False),
    Column("origin", Text, nullable=False),
    Column("locator", Text),
    # Raw bytes as ingested, for replay: a pack file in the workspace's raw folder (store/raw.py).
    Column("raw_file", String(80)),
    Column("raw_offset", Integer),
    Column("raw_size", Integer, nullable=False),
    Column("cleaner", String(32)),
    Column("extra", Text, nullable=False, server_default="{}"),
    Column("run_id", String(40)),
    Column("ingested_at", String(32), nullable=False),
)
Index("ix_documents_text_hash", documents.c.text_hash)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)
Index("ix_documents_source", documents.c.source_id)
Index("ix_documents_published", documents.c.published)
# Ingest order, the order every batched read of documents walks (and the key of its pages): by this
# index the database reads neither a temporary sort nor the texts the column sits after.
Index("ix_documents_ingested", documents.c.ingested_at, documents.c.id)

# MinHash LSH bands of each document's word shingles: documents sharing a band are near-duplicate
# candidates. Kept in the database so detection is incremental and needs no in-memory index.
dedup_bands = Table(
    "dedup_bands",
    metadata,
    Column("band", String(40), primary_key=True),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), nullable=False),
    Column("code", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("origin", Text, nullable=False),
    Column("locator", Text),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)
Index("ix_problems_run", problems.c.run_id)
