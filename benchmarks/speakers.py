"""Speaker linking: how many claims carry a linked speaker, on ordinary news and on PolNeAR.

    python -m benchmarks.speakers [--sets fnc-dev polnear-dev polnear-train] [--limit N]
                                  [--cache DIR] [--unlinked FILE]

Runs spaCy, sitroom's entity linker and ``extract_claims`` (the same parse and cache as
``benchmarks.attribution``) on each set and counts, over the claims a user gets (every attribution;
the estimates a document makes in its own voice, ``claims_voice``, left out — they always carry the
outlet):

* **linked** — the claim has a speaker key: an entity of the document, a pronoun or description
  resolved to one, "I" in the article's own voice (its writer), a proper-noun name the recogniser
  missed (keyed as the linker keys a local entity), or a described group of the document
  (``group:…``, "officials", "US officials");
* **strict** — the key is an entity the linker found in the document (a mention's key);
* **groups** — the key is a document's group speaker.

Sets: ``fnc-dev`` — the FNC-1 development article bodies (``stance/dev_bodies.csv``, ordinary news of
many outlets, no gold attributions); ``polnear-dev`` and ``polnear-train`` — PolNeAR texts. ``--limit``
caps every set (defaults: the first 60 FNC-1 bodies, all 84 PolNeAR dev texts, the first 150 train
texts).

On PolNeAR it also checks that linking more does not mean linking wrongly (**precision**): of the
linked claims that match a gold attribution (cue and content overlap) with a gold source,

* *source agrees* — the claim's source span overlaps the gold source span;
* *entity agrees* — where the gold source span holds an entity mention, the claim's speaker is one of
  the entities mentioned there, or a described group of one of them ("Clinton supporters"); pronouns
  and descriptions resolved elsewhere are not checkable this way (PolNeAR has no coreference), and a
  role resolved to its holder ("the Vermont senator") counts as a disagreement with "Vermont".

``--unlinked FILE`` writes every claim without a speaker (source as written, cue, sentence start) and
every entity disagreement, for error analysis. The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.attribution import GoldDoc, _overlap, _parsed, read_corpus
from benchmarks.common import bench_path, machine, print_metrics

SETS = {
    "fnc-dev": (bench_path("stance", "dev_bodies.csv"), 60),
    "polnear-dev": (bench_path("attribution", "dev"), None),
    "polnear-train": (bench_path("attribution", "train"), 150),
}


@dataclass
class Share:
    """Speaker counts over one set's claims."""

    claims: int = 0
    linked: int = 0
    strict: int = 0
    groups: int = 0
    checked_source: int = 0  # linked claims matched to a gold attribution that has a source
    source_agrees: int = 0
    checked_entity: int = 0  # … whose gold source span holds an entity mention
    entity_agrees: int = 0
    unlinked: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    heads: Counter = field(default_factory=Counter)

    def row(self, name: str) -> dict[str, float | int]:
        def pct(n: int, d: int) -> float:
            return round(n / d, 4) if d else 0.0

        return {
            f"{name}_claims": self.claims,
            f"{name}_linked": pct(self.linked, self.claims),
            f"{name}_strict": pct(self.strict, self.claims),
            f"{name}_groups": pct(self.groups, self.claims),
            **(
                {
                    f"{name}_source_agrees": pct(self.source_agrees, self.checked_source),
                    f"{name}_entity_agrees": pct(self.entity_agrees, self.checked_entity),
                }
                if self.checked_source
                else {}
            ),
        }


def read_fnc(path: Path, *, limit: int | None) -> list[GoldDoc]:
    """FNC-1 article bodies as documents without gold attributions."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [GoldDoc(f"fnc-{row['Body ID']}", row["articleBody"]) for row in rows]


def measure(docs: list[GoldDoc], *, cache: Path | None) -> Share:
    """Count linked, strict and group speakers (and, where gold exists, agreement) over ``docs``."""
    from sitroom.extract.claims import extract_claims
    from sitroom.extract.claims_groups import is_group_key
    from sitroom.extract.claims_voice import VOICE_CUE

    share = Share()
    for doc, spacy_doc, mentions in _parsed(docs, entities=True, cache=cache):
        claims = [
            c
            for c in extract_claims(doc.text, spacy_doc, mentions=mentions, publisher=_outlet(doc))
            if c.cue_lemma != VOICE_CUE
        ]
        keys = {m.entity_key for m in mentions}
        share.claims += len(claims)
        for claim in claims:
            if claim.speaker:
                share.linked += 1
                share.strict += claim.speaker in keys
                share.groups += is_group_key(claim.speaker)
                _check(share, doc, claim, mentions)
                continue
            source = (
                doc.text[claim.source_start : claim.source_end] if claim.source_start is not None else "-"
            )
            share.heads[source.split()[-1].lower() if source.strip() else "-"] += 1
            sentence = doc.text[claim.sentence_start : claim.sentence_end].replace("\n", " ")
            share.unlinked.append(f"{doc.name}\t[{source}]\t<{claim.cue_lemma}>\t{sentence[:160]}")
    return share


def _outlet(doc: GoldDoc) -> str | None:
    """PolNeAR's file names start with the outlet ("nyt_2016-…"); FNC-1 bodies name none."""
    return None if doc.name.startswith("fnc-") else doc.name.split("_")[0]


def _check(share: Share, doc: GoldDoc, claim, mentions) -> None:
    """Compare a linked claim's source with the gold attribution it matches (if any)."""
    if claim.cue_start is None:
        return
    cue, content = ((claim.cue_start, claim.cue_end),), ((claim.content_start, claim.content_end),)
    gold = next((g for g in doc.relations if _overlap(cue, g.cue) and _overlap(content, g.content)), None)
    if gold is None or gold.source is None:
        return
    share.checked_source += 1
    if claim.source_start is not None and _overlap(((claim.source_start, claim.source_end),), gold.source):
        share.source_agrees += 1
    inside = {
        m.entity_key for m in mentions if m.kind != "adjective" and _overlap(((m.start, m.end),), gold.source)
    }
    if inside:
        share.checked_entity += 1
        # a described group agrees when the entity it belongs to is the one named there
        # ("Clinton supporters": group:supporter@<Clinton>)
        if claim.speaker in inside or claim.speaker.partition("@")[2] in inside:
            share.entity_agrees += 1
        else:
            gold_text = " ".join(doc.text[s:e] for s, e in gold.source)
            share.disagreements.append(f"{doc.name}\t[{gold_text}]\t{claim.speaker}\t{sorted(inside)}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(SETS))
    parser.add_argument("--limit", type=int, default=None, help="texts per set (default: per set)")
    parser.add_argument("--cache", type=Path, default=None, help="keep parses and mentions in this folder")
    parser.add_argument("--unlinked", type=Path, default=None, help="write the claims without a speaker")
    args = parser.parse_args(argv)

    print(f"speaker linking benchmark; machine: {machine()}")
    print(
        f"{'set':16}{'docs':>6}{'claims':>8}{'linked':>9}{'strict':>9}{'groups':>9}{'src ok':>9}{'ent ok':>9}"
    )
    metrics: dict[str, float | int | str] = {}
    dump: list[str] = []
    for name in args.sets:
        path, default_limit = SETS[name]
        limit = args.limit if args.limit is not None else default_limit
        docs = read_fnc(path, limit=limit) if name.startswith("fnc") else read_corpus(path, limit=limit)
        share = measure(docs, cache=args.cache)
        row = share.row(name.replace("-", "_"))
        metrics.update(row)
        metrics[f"{name.replace('-', '_')}_docs"] = len(docs)
        checks = (
            f"{share.source_agrees / share.checked_source:9.1%}{share.entity_agrees / max(share.checked_entity, 1):9.1%}"
            if share.checked_source
            else f"{'-':>9}{'-':>9}"
        )
        print(
            f"{name:16}{len(docs):6}{share.claims:8}{share.linked / max(share.claims, 1):9.1%}"
            f"{share.strict / max(share.claims, 1):9.1%}{share.groups / max(share.claims, 1):9.1%}{checks}"
        )
        print(f"  unlinked source heads: {json.dumps(share.heads.most_common(12))}")
        dump += [
            f"## {name}",
            *share.unlinked,
            f"## {name}: linked speakers not among the gold source's entities",
        ]
        dump += share.disagreements
    if args.unlinked is not None:
        args.unlinked.write_text("\n".join(dump) + "\n", encoding="utf-8")
    print_metrics(metrics)
    return metrics


if __name__ == "__main__":
    main()
