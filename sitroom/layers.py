"""The one registry of annotation layers.

Every per-document annotation layer is named here once, with the model dataclass that defines its
fields. From this list the store builds its tables (one column per field, ``store/annotations.py``),
the pipeline's :class:`~sitroom.pipeline.Analysis` hands its outputs to the store, the read layer
turns rows back into dataclasses, and the exporters write files and the JSON Schema
(``present/exporters``). Adding a field to a layer is one change to its dataclass in ``model.py`` plus
a migration step that adds the column where it is missing (``migrations.add_layer_columns``); a new
layer is one entry here, its dataclass, the component that assigns it and a step creating its table.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sitroom import model


@dataclass(frozen=True, slots=True)
class Layer:
    """One annotation layer: what it is called everywhere and what defines it."""

    name: str  # key of a document's annotations, attribute of Analysis, name in exports
    table: str  # table in the workspace
    cls: type  # the model dataclass: one column per field
    component: str  # the pipeline component that assigns it
    step: int  # the schema migration step that created its table
    span: tuple[str, str] | None = None  # the fields of its stand-off span (identity within a document)
    # (index name, field or fields) besides the document_id index
    indexes: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    description: str = ""
    # Store-only columns computed from the document's text when a row is written (never fields of the
    # dataclass, never exported): what a filter would otherwise cut out of every document's text.
    derived: tuple[str, ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.cls))


LAYERS: tuple[Layer, ...] = (
    Layer("mentions", "mentions", model.Mention, "entities", 2, ("start", "end"), (("ix_mentions_actor", "actor_id"),),
          "mentions of entities: names, aliases, adjectives, metonyms, role descriptions"),
    Layer("places", "places", model.Place, "places", 2, ("start", "end"),
          (("ix_places_country", "country_code"),
           # One place's mentions by its id (else name), and the places summary read from the index alone
           ("ix_places_summary", ("geonames_id", "name", "document_id", "lat", "lon", "country_code"))),
          "toponyms resolved to gazetteer entries"),
    Layer("times", "time_expressions", model.TimeRef, "time", 2, ("start", "end"), (),
          "TIMEX3 time expressions anchored on the document date"),
    Layer("quantities", "quantities", model.Quantity, "quantities", 2, ("start", "end"), (),
          "amounts as intervals with the thing counted"),
    Layer("entities", "document_entities", model.Entity, "entities", 2, None, (),
          "the entities of a document, each linked to a workspace entity"),
    Layer("claims", "claims", model.Claim, "claims", 3, ("content_start", "content_end"),
          (("ix_claims_speaker", ("document_id", "speaker")), ("ix_claims_speaker_as_written", "speaker_as_written")),
          "attributed statements: speaker, cue, via, modality, polarity", ("speaker_as_written",)),
    Layer("events", "events", model.Event, "events", 3, ("trigger_start", "trigger_end"), (("ix_events_type", "type"),),
          "who did what to whom, where and when, how sure"),
    Layer("lead", "lead_nouns", model.LeadNoun, "spacy", 10, None, (),
          "nouns of the lead's argument slots (what happened), read from the pipeline's parse"),
)  # fmt: skip
BY_NAME: dict[str, Layer] = {layer.name: layer for layer in LAYERS}


def layer(name: str) -> Layer:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no annotation layer {name!r}; layers: {', '.join(BY_NAME)}") from None
