"""Benchmark attribution (claim) extraction on PolNeAR-style brat standoff (Source, Cue, Content).

    python -m benchmarks.attribution [--data DIR] [--limit N] [--no-entities] [--errors FILE]
                                     [--cache DIR]

Runs spaCy (+ sitroom's entity linker unless ``--no-entities``) and ``extract_claims`` on every
``text/*.txt`` under DIR (default ``../shared/bench/attribution/dev``), and scores against
``attributions/<name>_<annotator>.ann`` (the first annotator's file when several annotated one text).

Scores, per role (Source, Cue, Content):
* *exact* — predicted and gold extents equal after trimming spaces and punctuation at both ends
  (a discontinuous gold span is compared by its outer extent);
* *overlap* — a predicted span of the role overlapping a gold fragment, matched one-to-one, largest
  overlap first.
Relations: a predicted claim matches a gold attribution when its cue overlaps the gold cue and its
content overlaps the gold content (one-to-one); *+source* also needs the sources to overlap (or both
to be absent).

Two views of the same predictions: **all** claims, as a user gets them (the headline figures, keys
without prefix), and **univocal** (keys ``univocal_*``): claims nested in another claim's content
left out, as PolNeAR gives each token one attribution — a kinder view, shown beside the plain one.
Also the **speaker share**: the fraction of attributions with a linked speaker — a speaker key: an
entity of the document, a pronoun or description resolved to one, "I" in the article's own voice
(its author, else its outlet), a proper-noun name the recogniser missed, keyed as the linker keys
a local entity, or a described speaker of the document ("officials": ``group:official``; see
``benchmarks.speakers``) — beside the stricter share whose key is one of the entities the linker found
(``speaker_share_entities``); and the same counting the estimates the document makes in its own voice (``claims_voice``; the outlet is
the file name's prefix). Those voice claims are not attributions in PolNeAR's sense and are left out
of the scores. Prints tables; the last line is one JSON object with every figure.

``--cache DIR`` keeps each text's spaCy parse and entity mentions there (keyed by the text, the spaCy
model and the entity linker's version) so that a rerun times and scores the claims rules alone; the
end-to-end speed is then not comparable. Empty the folder when the entity linker changes.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import bench_path, machine, peak_rss_mb, print_metrics

DEFAULT_DATA = bench_path("attribution", "dev")
ROLES = ("Source", "Cue", "Content")
_PUNCT = " \t\n.,;:!?\"'“”‘’()[]—–-"

Fragments = tuple[tuple[int, int], ...]


@dataclass
class Relation:
    cue: Fragments
    content: Fragments
    source: Fragments | None


@dataclass
class GoldDoc:
    name: str
    text: str
    spans: dict[str, list[Fragments]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)


def read_ann(path: Path) -> tuple[dict[str, list[Fragments]], list[Relation]]:
    """Source/Cue/Content text-bound annotations and the Attribution events linking them."""
    bound: dict[str, tuple[str, Fragments]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if line.startswith("T"):
            label, _, offsets = parts[1].partition(" ")
            if label not in ROLES:
                continue
            frags = []
            for piece in offsets.split(";"):
                nums = piece.split()
                if len(nums) == 2 and nums[0].isdigit() and nums[1].isdigit():
                    frags.append((int(nums[0]), int(nums[1])))
            if frags:
                bound[parts[0]] = (label, tuple(frags))
        elif line.startswith("E"):
            args = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append(args)
    spans: dict[str, list[Fragments]] = {role: [] for role in ROLES}
    for label, frags in bound.values():
        spans[label].append(frags)
    relations = []
    for args in events:
        cue, content = bound.get(args.get("Cue", "")), bound.get(args.get("Content", ""))
        if cue is None or content is None:
            continue
        source = bound.get(args.get("Source", ""))
        relations.append(Relation(cue[1], content[1], source[1] if source else None))
    return spans, relations


def read_corpus(folder: Path, *, limit: int | None = None) -> list[GoldDoc]:
    docs = []
    annotations = sorted((folder / "attributions").glob("*.ann"))
    for text_path in sorted((folder / "text").glob("*.txt"))[:limit]:
        matches = [a for a in annotations if a.name.startswith(text_path.stem + "_")]
        if not matches:
            continue
        spans, relations = read_ann(matches[0])
        docs.append(GoldDoc(text_path.stem, text_path.read_text(encoding="utf-8"), spans, relations))
    return docs


@dataclass
class Tally:
    tp: int = 0
    guessed: int = 0
    gold: int = 0

    def add(self, tp: int, guessed: int, gold: int) -> None:
        self.tp += tp
        self.guessed += guessed
        self.gold += gold

    @property
    def p(self) -> float:
        return self.tp / self.guessed if self.guessed else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def _overlap(a: Fragments, b: Fragments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _PUNCT:
        start += 1
    while end > start and text[end - 1] in _PUNCT:
        end -= 1
    return start, end


def match_overlap(pred: list[Fragments], gold: list[Fragments]) -> int:
    """One-to-one matches between overlapping spans, largest overlap first."""
    pairs = sorted(
        (
            (_overlap(p, g), i, j)
            for i, p in enumerate(pred)
            for j, g in enumerate(gold)
            if _overlap(p, g) > 0
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def match_exact(text: str, pred: list[Fragments], gold: list[Fragments]) -> int:
    keys = {_trim(text, g[0][0], g[-1][1]) for g in gold}
    return len({_trim(text, p[0][0], p[-1][1]) for p in pred} & keys)


def match_relations(pred: list[Relation], gold: list[Relation], *, with_source: bool) -> int:
    used: set[int] = set()
    hits = 0
    for p in pred:
        for j, g in enumerate(gold):
            if j in used or not _overlap(p.cue, g.cue) or not _overlap(p.content, g.content):
                continue
            if with_source:
                if (p.source is None) != (g.source is None):
                    continue
                if p.source is not None and g.source is not None and not _overlap(p.source, g.source):
                    continue
            used.add(j)
            hits += 1
            break
    return hits


@dataclass
class Prediction:
    relations: list[Relation]  # every claim, as a user gets them
    univocal: list[Relation]  # without claims nested in another claim's content
    claims: int = 0
    with_speaker: int = 0  # any speaker key: an entity, the writer, a name the recogniser missed
    with_entity: int = 0  # the speaker is an entity the linker found in the document (a mention's key)
    voice: int = 0  # the document's own estimates (claims_voice), not attributions: not scored


def _relation(c) -> Relation:
    return Relation(
        ((c.cue_start, c.cue_end),) if c.cue_start is not None else ((0, 0),),
        ((c.content_start, c.content_end),),
        ((c.source_start, c.source_end),) if c.source_start is not None else None,
    )


def predict(
    docs: Iterable[GoldDoc], *, entities: bool, cache: Path | None = None
) -> tuple[dict[str, Prediction], float, float]:
    """Run the pipeline and the extractor; returns predictions per doc, seconds for the whole run and
    seconds spent in ``extract_claims`` alone."""
    from sitroom.extract.claims import extract_claims
    from sitroom.extract.claims_voice import VOICE_CUE

    out: dict[str, Prediction] = {}
    claims_seconds = 0.0
    started = time.perf_counter()
    for doc, spacy_doc, mentions in _parsed(list(docs), entities=entities, cache=cache):
        t0 = time.perf_counter()
        # the outlet is the file name's prefix ("nyt_2016-…"): the document's own voice speaks for it
        everything = extract_claims(doc.text, spacy_doc, mentions=mentions, publisher=doc.name.split("_")[0])
        claims_seconds += time.perf_counter() - t0
        claims = [c for c in everything if c.cue_lemma != VOICE_CUE]
        out[doc.name] = Prediction(
            relations=[_relation(c) for c in claims],
            univocal=[_relation(c) for c in _univocal(claims)],
            claims=len(claims),
            with_speaker=sum(1 for c in claims if c.speaker),
            with_entity=sum(1 for c in claims if c.speaker in {m.entity_key for m in mentions}),
            voice=len(everything) - len(claims),
        )
    return out, time.perf_counter() - started, claims_seconds


def _parsed(docs: list[GoldDoc], *, entities: bool, cache: Path | None):
    """(gold doc, spaCy doc, entity mentions) for every doc: from the cache where it has them."""
    from spacy.tokens import DocBin

    from sitroom.model import Document
    from sitroom.nlp.entities import ENTITIES_VERSION
    from sitroom.pipeline import Analysis, build_pipeline, spacy_text

    pipeline = build_pipeline(["spacy", "entities"] if entities else ["spacy"])
    meta = pipeline.nlp.meta
    salt = f"{meta.get('name')}-{meta.get('version')}-{ENTITIES_VERSION if entities else 'none'}"

    def path_of(doc: GoldDoc) -> Path | None:
        if cache is None:
            return None
        digest = hashlib.sha1(f"{salt}\n{spacy_text(doc.text)}".encode()).hexdigest()[:20]
        return cache / f"{doc.name[:40]}-{digest}.pickle"

    todo = [d for d in docs if path_of(d) is None or not path_of(d).exists()]  # type: ignore[union-attr]
    fresh = {}
    for doc, spacy_doc in zip(todo, pipeline.nlp.pipe(spacy_text(d.text) for d in todo), strict=True):
        analysis = Analysis(document=Document(id=doc.name, text=doc.text, origin=doc.name, format="text"))
        analysis.spacy_doc = spacy_doc
        for component in pipeline.components:
            component(analysis)
        fresh[doc.name] = (spacy_doc, analysis.mentions)
        target = path_of(doc)
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            blob = DocBin(docs=[spacy_doc]).to_bytes()
            target.write_bytes(pickle.dumps((blob, analysis.mentions)))
    for doc in docs:
        if doc.name in fresh:
            yield doc, *fresh[doc.name]
            continue
        blob, mentions = pickle.loads(path_of(doc).read_bytes())  # type: ignore[union-attr]
        (spacy_doc,) = DocBin().from_bytes(blob).get_docs(pipeline.nlp.vocab)
        yield doc, spacy_doc, mentions


def _univocal(claims: list) -> list:
    """PolNeAR labels each token with one role in one attribution, so an attribution nested in another's
    content ("he said he thinks …", "I want" inside a quote) is never annotated. sitroom keeps nested
    claims; for scoring, a claim whose cue lies inside another claim's content is left out."""
    return [
        c
        for c in claims
        if not any(
            o is not c
            and o.content_start <= (c.cue_start or 0) < o.content_end
            and (o.content_end - o.content_start) > (c.content_end - c.content_start)
            for o in claims
        )
    ]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N texts")
    parser.add_argument("--no-entities", action="store_true", help="skip sitroom's entity linker")
    parser.add_argument("--errors", type=Path, default=None, help="write missed/extra spans here")
    parser.add_argument("--cache", type=Path, default=None, help="keep parses and mentions in this folder")
    args = parser.parse_args(argv)

    docs = read_corpus(args.data, limit=args.limit)
    predicted, seconds, claims_seconds = predict(docs, entities=not args.no_entities, cache=args.cache)
    plain = score(docs, {name: p.relations for name, p in predicted.items()})
    univocal = score(docs, {name: p.univocal for name, p in predicted.items()})
    if args.errors is not None:
        errors: list[str] = []
        for doc in docs:
            errors.extend(_errors(doc, predicted[doc.name].relations))
        args.errors.write_text("\n".join(errors), encoding="utf-8")

    chars = sum(len(d.text) for d in docs)
    print(f"attribution benchmark: {len(docs)} documents, {chars} characters, {args.data}")
    print(f"machine: {machine()}")
    metrics: dict[str, float | int | str] = {"docs": len(docs), "data": str(args.data)}
    for title, prefix, tallies in (
        ("all claims (what a user gets)", "", plain),
        ("univocal view (claims nested in another's content left out)", "univocal_", univocal),
    ):
        print(title)
        print(f"{'':24}{'P':>8}{'R':>8}{'F1':>8}{'pred':>7}{'gold':>7}")
        for name, tally in tallies.items():
            print(f"{name:24}{tally.p:8.3f}{tally.r:8.3f}{tally.f1:8.3f}{tally.guessed:7}{tally.gold:7}")
            key = prefix + re.sub(r"[^a-z]+", "_", name.lower()).strip("_")
            metrics.update(
                {
                    f"{key}_p": round(tally.p, 4),
                    f"{key}_r": round(tally.r, 4),
                    f"{key}_f1": round(tally.f1, 4),
                }
            )
    claims = sum(p.claims for p in predicted.values())
    linked = sum(p.with_speaker for p in predicted.values())
    metrics["claims"] = claims
    metrics["speaker_share"] = round(linked / claims, 4) if claims else 0.0
    entity_linked = sum(p.with_entity for p in predicted.values())
    metrics["speaker_share_entities"] = round(entity_linked / claims, 4) if claims else 0.0
    voice = sum(p.voice for p in predicted.values())
    metrics["voice_claims"] = voice
    metrics["speaker_share_with_voice"] = round((linked + voice) / (claims + voice), 4) if claims else 0.0
    print(
        f"speakers: {linked} of {claims} attributions carry a linked speaker ({metrics['speaker_share']:.1%}); "
        f"{entity_linked} ({metrics['speaker_share_entities']:.1%}) one of the document's recognised entities"
    )
    print(
        f"with the {voice} estimates in the document's own voice (not scored above): "
        f"{metrics['speaker_share_with_voice']:.1%}"
    )
    metrics["docs_per_s"] = round(len(docs) / seconds, 2) if seconds else 0.0
    metrics["claims_ms_per_doc"] = round(1000 * claims_seconds / max(len(docs), 1), 2)
    metrics["claims_ms_per_3kb"] = round(1000 * claims_seconds / max(chars, 1) * 3000, 2)
    metrics["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(
        f"speed: {metrics['docs_per_s']} docs/s end to end (spaCy + entities + claims); "
        f"claims alone {metrics['claims_ms_per_doc']} ms/doc, {metrics['claims_ms_per_3kb']} ms per 3 KB"
    )
    print_metrics(metrics)
    return metrics


def score(docs: list[GoldDoc], predicted: dict[str, list[Relation]]) -> dict[str, Tally]:
    """Exact and overlap tallies per role, and relation tallies, of one view of the predictions."""
    exact = {role: Tally() for role in ROLES}
    overlap = {role: Tally() for role in ROLES}
    relations = Tally()
    relations_source = Tally()
    for doc in docs:
        pred = predicted[doc.name]
        pred_spans = {
            "Source": sorted({r.source for r in pred if r.source is not None}),
            "Cue": sorted({r.cue for r in pred}),
            "Content": sorted({r.content for r in pred}),
        }
        for role in ROLES:
            gold = doc.spans.get(role, [])
            exact[role].add(match_exact(doc.text, pred_spans[role], gold), len(pred_spans[role]), len(gold))
            overlap[role].add(match_overlap(pred_spans[role], gold), len(pred_spans[role]), len(gold))
        relations.add(match_relations(pred, doc.relations, with_source=False), len(pred), len(doc.relations))
        relations_source.add(
            match_relations(pred, doc.relations, with_source=True), len(pred), len(doc.relations)
        )
    return {
        **{f"{role} exact": exact[role] for role in ROLES},
        **{f"{role} overlap": overlap[role] for role in ROLES},
        "relation (cue+content)": relations,
        "relation +source": relations_source,
    }


def _errors(doc: GoldDoc, pred: list[Relation]) -> list[str]:
    lines = [f"## {doc.name}"]
    for g in doc.relations:
        hit = any(_overlap(p.cue, g.cue) and _overlap(p.content, g.content) for p in pred)
        if not hit:
            cue = " ".join(doc.text[s:e] for s, e in g.cue)
            content = " ".join(doc.text[s:e] for s, e in g.content)[:100]
            src = " ".join(doc.text[s:e] for s, e in g.source) if g.source else "-"
            lines.append(f"MISS  [{src}] <{cue}> {content!r}")
    for p in pred:
        hit = any(_overlap(p.cue, g.cue) and _overlap(p.content, g.content) for g in doc.relations)
        if not hit:
            cue = doc.text[p.cue[0][0] : p.cue[0][1]]
            src = doc.text[p.source[0][0] : p.source[0][1]] if p.source else "-"
            lines.append(f"EXTRA [{src}] <{cue}> {doc.text[p.content[0][0] : p.content[0][1]][:100]!r}")
    return lines


if __name__ == "__main__":
    main()
