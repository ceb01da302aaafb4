"""Role features of the event-type classifier: for each verb of a parsed sentence, what kind of actor is its
agent.

The word classes (``classes.yaml``) see which actors and actions a sentence names and in which order;
they cannot see who is the subject of which verb when a sentence names soldiers and rebels, police and
protesters, a mob and its victim. The parse can: "the town was retaken by troops" (the agent of a
passive), "police dispersed the crowd and detained dozens" (a conjoined verb takes its head's subject),
"the Taliban captured …" (a named armed group). The terms read ``CAPTURE|a:ARMED``, ``DISPERSE|a:POLICE``;
a verb outside the trigger lexicon gives the same terms under ``V`` ("V|a:MOB").

Tried and left out (grouped CV, five fold seeds; docs/benchmarks.md): the kind of the verb's object
("seized 4 civilians" vs "seized the town": +0.002, within the seed noise), the object of a target
preposition ("fired at students"), a counted object, negation, the passive, and markers for a missing
or unknown agent (each within ±0.002).
The lexicon is data (``sitroom/data/event_types/roles.yaml``); the classifier learns the weight of each
term, so a kind says nothing by itself.

The parse is spaCy's (the model the pipeline loads): the product passes the sentence it already parsed;
a bare text is parsed here, and without an installed spaCy model there are no role terms at all (the
classifier still answers from its other features).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile

ROLES_FILE = "roles.yaml"

_SUBJECTS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
# A verb with no subject of its own takes its head's ("police dispersed the crowd and detained dozens",
# "bandits attacked the village, killing 12", "rebels tried to seize the town").
_INHERITS = frozenset({"conj", "xcomp", "advcl"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_MODIFIERS = frozenset({"compound", "amod", "nmod", "poss"})


@dataclass(frozen=True)
class RoleLexicon:
    """``roles.yaml`` read: verb lemma → trigger classes, noun lemma (or "modifier head") → kinds, and the
    kind an entity label gives an agent; ``names`` tells armed groups and state forces apart
    among organisation names (the NONSTATE/STATE word classes of ``classes.yaml``)."""

    triggers: Mapping[str, tuple[str, ...]]
    nouns: Mapping[str, tuple[str, ...]]
    entities: Mapping[str, str]
    names: tuple[tuple[str, re.Pattern[str]], ...] = ()


def parse_roles(data: Mapping[str, Any], names: Sequence[tuple[str, re.Pattern[str]]] = ()) -> RoleLexicon:
    """Build a :class:`RoleLexicon` from the mapping of ``roles.yaml``."""
    triggers: dict[str, list[str]] = {}
    for cls, lemmas in (data.get("triggers") or {}).items():
        for lemma in lemmas or ():
            triggers.setdefault(str(lemma).lower(), []).append(str(cls))
    nouns: dict[str, list[str]] = {}
    for kind, lemmas in (data.get("nouns") or {}).items():
        for lemma in lemmas or ():
            nouns.setdefault(str(lemma).lower(), []).append(str(kind))
    return RoleLexicon(
        triggers={k: tuple(v) for k, v in triggers.items()},
        nouns={k: tuple(dict.fromkeys(v)) for k, v in nouns.items()},
        entities=dict(data.get("entities") or {}),
        names=tuple(names),
    )


@cache
def load_roles() -> RoleLexicon:
    """The packaged role lexicon, with the actor word classes of ``classes.yaml`` for organisation names."""
    from sitroom.extract.event_types import load_word_classes

    text = (
        resources.files("sitroom.data")
        .joinpath("event_types")
        .joinpath(ROLES_FILE)
        .read_text(encoding="utf-8")
    )
    # An organisation's name says whether it is an armed group ("Taliban", "al-Shabaab") or a state force.
    names = tuple(
        (kind, wc.pattern)
        for wc in load_word_classes()
        for kind in ({"NONSTATE": "ARMED", "STATE": "STATE"}.get(wc.name),)
        if kind
    )
    return parse_roles(yamlfile.safe_load(text), names)


def _lemma(token: Any) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def _noun_kinds(token: Any, lexicon: RoleLexicon) -> list[str]:
    """Kinds of the phrase headed by ``token``: its two-word entries ("riot police", "armed group"), its
    head word's and its modifiers' ("vigilante group"); else the "of" phrase's ("members of the militia"),
    else its entity's; none for an unknown phrase."""
    head = _lemma(token)
    modifiers = [c for c in token.children if c.dep_ in _MODIFIERS]
    kinds: list[str] = []
    for mod in modifiers:
        kinds += lexicon.nouns.get(f"{_lemma(mod)} {head}", ())
    kinds += lexicon.nouns.get(head, ())
    for mod in modifiers:
        kinds += lexicon.nouns.get(_lemma(mod), ())
    if not kinds:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        kinds += _noun_kinds(pobj, lexicon)
    if not kinds:
        label = token.ent_type_ or next((m.ent_type_ for m in modifiers if m.ent_type_), "")
        kind = lexicon.entities.get(label)
        if kind == "ORG" or (kind and label in ("NORP", "GPE")):
            # A name can say more than its label: "Taliban" (NORP/ORG) is an armed group.
            span = " ".join(t.text for t in token.subtree)
            named = [k for k, pattern in lexicon.names if pattern.search(span)]
            kinds += named[:1] or [kind]
        elif kind:
            kinds.append(kind)
    return list(dict.fromkeys(kinds))


def _agent(verb: Any, depth: int = 0) -> Any | None:
    """The agent of ``verb``: its active subject, or the object of its passive "by"; else its head verb's
    when it is a conjunct, complement or adverbial clause without a subject of its own."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return child
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    inherits = verb.dep_ in _INHERITS and verb.head.pos_ in ("VERB", "AUX") and verb.head is not verb
    if inherits and depth < 4 and not any(c.dep_ in _PASSIVE_SUBJECTS for c in verb.children):
        return _agent(verb.head, depth + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head is not verb:
        # "fighters loyal to X seizing the town": an active participle's noun is its agent.
        return verb.head
    return None


def role_terms(parsed: Any, lexicon: RoleLexicon | None = None) -> Counter[str]:
    """Role terms of a parsed text (a spaCy ``Doc`` or ``Span``): per verb with an agent, its trigger
    classes (or ``V``) with each kind of its agent (``CAPTURE|a:ARMED``)."""
    lexicon = load_roles() if lexicon is None else lexicon
    terms: Counter[str] = Counter()
    for token in parsed:
        if token.pos_ != "VERB":
            continue
        classes = lexicon.triggers.get(_lemma(token), ("V",))
        agent = _agent(token)
        if agent is None:
            continue
        kinds = _noun_kinds(agent, lexicon)
        for cls in classes:
            terms.update(f"{cls}|a:{kind}" for kind in kinds)
    return terms


@cache
def _spacy() -> Any | None:
    """The spaCy model the pipeline loads (never downloaded); None when none is installed."""
    # Imported here: the pipeline module sits above extract/, and only bare texts need it.
    from sitroom.pipeline import load_spacy

    try:
        return load_spacy()
    except (RuntimeError, ImportError):
        return None


@lru_cache(maxsize=4096)
def text_role_terms(text: str) -> tuple[tuple[str, int], ...]:
    """Role terms of a bare text, parsed here (training, benchmarks, callers without a parse); empty
    without a spaCy model. Cached: cross-validation counts each text many times."""
    nlp = _spacy()
    if nlp is None:
        return ()
    return tuple(sorted(role_terms(nlp(text)).items()))
