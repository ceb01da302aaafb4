"""One registry of annotation layers: the store's tables, the pipeline's outputs and the read layer all
come from it, and a workspace migrated from an old schema is the same as a fresh one."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from sitroom.layers import LAYERS
from sitroom.pipeline import COMPONENTS, SPACY_ASSIGNS, Analysis
from sitroom.store import annotations as ann
from sitroom.store import migrations
from sitroom.store.database import create_database_engine


def test_every_layer_has_a_table_an_analysis_field_and_a_component():
    analysis_fields = {f.name for f in dataclasses.fields(Analysis)}
    for layer in LAYERS:
        table = ann.ANNOTATION_TABLES[layer.name]
        assert table.name == layer.table
        assert {ann.column_name(f) for f in layer.field_names} <= set(table.c.keys())
        assert layer.name in analysis_fields
        assigns = SPACY_ASSIGNS if layer.component == "spacy" else COMPONENTS[layer.component].assigns
        assert layer.name in assigns
        if layer.span:
            assert set(layer.span) <= set(layer.field_names)


def _schema(engine) -> dict:
    inspector = sa.inspect(engine)
    return {
        table: (
            sorted((c["name"], str(c["type"])) for c in inspector.get_columns(table)),
            sorted(i["name"] for i in inspector.get_indexes(table)),
        )
        for table in inspector.get_table_names()
    }


def test_a_workspace_migrated_step_by_step_is_the_same_as_a_fresh_one(tmp_path):
    old = create_database_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrations.migrate(old, upto=3)  # a workspace from before stories, links and revisions
    migrations.migrate(old)
    fresh = create_database_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrations.migrate(fresh)
    assert _schema(old) == _schema(fresh)
    with old.connect() as conn:
        assert migrations.read_version(conn) == migrations.LATEST


def test_adding_a_field_adds_its_column_where_missing(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'w.db'}")
    migrations.migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE claims DROP COLUMN modality_cue"))  # as if the field were new
        assert migrations.add_layer_columns(conn, "claims") == ["modality_cue"]
        assert migrations.add_layer_columns(conn, "claims") == []
