"""Reading, checking and merging actor data files into :class:`Actor` records.

The schema is described in :mod:`sitroom.nlp.actors` and ``sitroom/data/actors/README.md``. Files are
read in order and merged by id; every problem is collected with its file, line and entry before one
:class:`ActorDataError` reports them all, so a user fixes a file in one pass.
"""

from __future__ import annotations

import csv
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

ActorType = Literal[
    "state",
    "government",
    "military",
    "armed_group",
    "person",
    "media",
    "ngo_monitor",
    "think_tank",
    "igo",
    "party",
    "company",
    "other",
]
ACTOR_TYPES: frozenset[str] = frozenset(ActorType.__args__)  # type: ignore[attr-defined]

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*/[A-Za-z0-9][A-Za-z0-9._/-]*$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_LIST_FIELDS = (
    "aliases",
    "adjectives",
    "metonyms",
    "misnamings",
    "case_sensitive",
    "affiliations",
    "sources",
)
_SCALAR_FIELDS = ("name", "type", "country", "parent", "notes", "founded", "dissolved")
_ALLOWED_KEYS = frozenset(("id", "replace", "roles", "previous_names", *_LIST_FIELDS, *_SCALAR_FIELDS))
_ROLE_KEYS = frozenset(("title", "org", "start", "end", "current", "aliases"))


@dataclass(frozen=True, kw_only=True, slots=True)
class Role:
    """An office held for a time: ``title`` (generic, "Foreign Minister") in ``org`` (gov/SYR)."""

    title: str
    org: str | None = None
    start: date | None = None
    end: date | None = None
    # False: the role is known to have ended, at an unknown date (end is None).
    current: bool | None = None
    aliases: tuple[str, ...] = ()

    def held_on(self, day: date) -> bool:
        """Whether the role was held on ``day``; unknown bounds count as open, an unknown end of a
        former role as closed (we cannot say it was still held)."""
        if self.start is not None and day < self.start:
            return False
        if self.end is not None:
            return day <= self.end
        return self.current is not False


@dataclass(frozen=True, kw_only=True, slots=True)
class PreviousName:
    """A name the actor went by earlier (al-Nusra Front, 2012-01-23 – 2016-07-28)."""

    name: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Actor:
    """One entry of the dictionary; ``origin`` says which file and line defined it."""

    id: str
    name: str
    type: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    misnamings: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    previous_names: tuple[PreviousName, ...] = ()
    parent: str | None = None
    affiliations: tuple[str, ...] = ()
    founded: str | None = None
    dissolved: str | None = None
    notes: str | None = None
    sources: tuple[str, ...] = ()
    origin: str = ""


class ActorDataError(ValueError):
    """Actor data files that cannot be used; ``problems`` lists each as ``file:line: actor: what``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        shown = "\n  ".join(problems[:25])
        more = f"\n  … and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(
            f"{len(problems)} problem(s) in actor data; fix these entries or leave the file out:\n  {shown}{more}"
        )


# ---------------------------------------------------------------------------------------------------
# Reading files


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe YAML loader that records the line of every mapping, so errors can point at it."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _parse_when(value: Any, *, end: bool) -> date | None:
    """ISO date, "YYYY-MM" or a year; partial ends widen to the last day of the period."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        raise ValueError(f"{value!r} is not a date (use 2015-09-30, 2015-09 or 2015)")
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if day:
        return date(year, month, day)
    if month:
        return date(year, month, monthrange(year, month)[1] if end else 1)
    return date(year, 12, 31) if end else date(year, 1, 1)


def packaged_paths() -> list[Path]:
    folder = Path(str(resources.files("sitroom") / "data" / "actors"))
    # The states table first: YAML files extend the gov/ISO3 and state/ISO3 entries it makes.
    return [folder / "states.csv", folder / "titles.yaml"] + sorted(
        p for p in folder.glob("*.yaml") if p.name != "titles.yaml"
    )


def expand_paths(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".csv")))
        else:
            out.append(path)
    return out


class _Loader:
    """Reads files into raw entries merged by id, collecting every problem before giving up."""

    def __init__(self) -> None:
        self.raw: dict[str, dict[str, Any]] = {}
        self.titles: dict[str, list[str]] = {}
        self.problems: list[str] = []

    def read(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            self.problems.append(f"{path}: cannot read ({exc.strerror or exc})")
            return
        if path.suffix == ".csv":
            self._read_states(path, text)
        else:
            self._read_yaml(path, text)

    def _read_yaml(self, path: Path, text: str) -> None:
        try:
            doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader with line numbers
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else str(path)
            self.problems.append(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})")
            return
        if doc is None:
            return
        if not isinstance(doc, dict) or not ({"actors", "titles"} & doc.keys()):
            self.problems.append(
                f"{path}: expected a mapping with an 'actors' list and/or a 'titles' mapping"
            )
            return
        for title, variants in (doc.get("titles") or {}).items():
            if title == "__line__":
                continue
            if not isinstance(variants, list) or not all(isinstance(v, str) and v for v in variants):
                self.problems.append(f"{path}: title {title!r}: variants must be a list of strings")
                continue
            self.titles.setdefault(str(title), [])
            self.titles[str(title)] += [v for v in variants if v not in self.titles[str(title)]]
        actors = doc.get("actors") or []
        if not isinstance(actors, list):
            self.problems.append(f"{path}: 'actors' must be a list")
            return
        seen: set[str] = set()
        for n, entry in enumerate(actors, 1):
            line = entry.pop("__line__", "?") if isinstance(entry, dict) else "?"
            where = f"{path}:{line}: entry {n}"
            if not isinstance(entry, dict):
                self.problems.append(f"{where}: expected a mapping, got {type(entry).__name__}")
                continue
            actor_id = entry.get("id")
            if isinstance(actor_id, str):
                where = f"{path}:{line}: {actor_id}"
                if actor_id in seen:
                    self.problems.append(f"{where}: id defined twice in this file")
                    continue
                seen.add(actor_id)
            self._add(entry, where)

    def _read_states(self, path: Path, text: str) -> None:
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        rows = csv.DictReader(lines)
        need = {"iso3", "name", "aliases", "adjectives", "capital_metonym"}
        if not need <= set(rows.fieldnames or ()):
            self.problems.append(f"{path}: a states table needs the columns {', '.join(sorted(need))}")
            return
        for n, row in enumerate(rows, 1):
            iso3 = (row["iso3"] or "").strip()
            where = f"{path}: row {n} ({iso3 or '?'})"
            if not _ISO3_RE.match(iso3) or not (row["name"] or "").strip():
                self.problems.append(f"{where}: needs an ISO 3166 alpha-3 code and a name")
                continue

            def cell(col: str, row: dict[str, str] = row) -> list[str]:
                return [v.strip() for v in (row.get(col) or "").split("|") if v.strip()]

            name, adjectives = row["name"].strip(), cell("adjectives")
            self._add(
                {"id": f"state/{iso3}", "name": name, "type": "state", "country": iso3,
                 "aliases": cell("aliases"), "adjectives": adjectives},
                where,
            )  # fmt: skip
            gov_aliases = [f"{a} government" for a in adjectives] + [f"{a} authorities" for a in adjectives]
            self._add(
                {"id": f"gov/{iso3}", "name": f"{adjectives[0]} government" if adjectives else f"Government of {name}",
                 "type": "government", "country": iso3, "parent": f"state/{iso3}",
                 "aliases": [*gov_aliases, f"government of {name}"], "metonyms": cell("capital_metonym")},
                where,
            )  # fmt: skip

    def _add(self, entry: dict[str, Any], where: str) -> None:
        problems = _check_entry(entry)
        if problems:
            self.problems += [f"{where}: {p}" for p in problems]
            return
        actor_id = entry["id"]
        old = self.raw.get(actor_id)
        if old is None or entry.get("replace"):
            if not entry.get("name") or not entry.get("type"):
                self.problems.append(f"{where}: a new actor needs a name and a type")
                return
            self.raw[actor_id] = {**entry, "origin": where}
            return
        for key, value in entry.items():
            if key in _LIST_FIELDS or key in ("roles", "previous_names"):
                old[key] = list(old.get(key) or []) + [v for v in value if v not in (old.get(key) or [])]
            elif key not in ("id", "replace"):
                old[key] = value


def _check_entry(entry: dict[str, Any]) -> list[str]:
    """What is wrong with one raw entry on its own (references are checked once all files are read)."""
    problems: list[str] = []
    actor_id = entry.get("id")
    if not isinstance(actor_id, str) or not _ID_RE.match(actor_id):
        problems.append(f"id {actor_id!r} must look like 'kind/slug' (e.g. person/sergey-lavrov)")
    unknown = set(entry) - _ALLOWED_KEYS
    if unknown:
        problems.append(f"unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("name", "notes", "parent", "country"):
        if (
            key in entry
            and entry[key] is not None
            and not (isinstance(entry[key], str) and entry[key].strip())
        ):
            problems.append(f"{key} must be a non-empty string")
    if "type" in entry and entry["type"] not in ACTOR_TYPES:
        problems.append(f"type {entry['type']!r} is not one of {', '.join(sorted(ACTOR_TYPES))}")
    if isinstance(entry.get("country"), str) and not _ISO3_RE.match(entry["country"]):
        problems.append(f"country {entry['country']!r} must be an ISO 3166 alpha-3 code")
    for key in _LIST_FIELDS:
        if key in entry:
            if isinstance(entry[key], str):
                entry[key] = [entry[key]]
            if not isinstance(entry[key], list) or not all(
                isinstance(v, str) and v.strip() for v in entry[key]
            ):
                problems.append(f"{key} must be a list of non-empty strings")
    for key in ("founded", "dissolved"):
        try:
            _parse_when(entry.get(key), end=False)
        except ValueError as exc:
            problems.append(f"{key}: {exc}")
    for n, role in enumerate(entry.get("roles") or [], 1):
        if not isinstance(role, dict):
            problems.append(f"role {n} must be a mapping with a title")
            continue
        role.pop("__line__", None)
        if not isinstance(role.get("title"), str) or not role["title"].strip():
            problems.append(f"role {n} needs a title")
        if set(role) - _ROLE_KEYS:
            problems.append(f"role {n}: unknown field(s) {', '.join(sorted(set(role) - _ROLE_KEYS))}")
        for key in ("start", "end"):
            try:
                _parse_when(role.get(key), end=key == "end")
            except ValueError as exc:
                problems.append(f"role {n} {key}: {exc}")
    if "roles" in entry and not isinstance(entry["roles"], list):
        problems.append("roles must be a list")
    for n, prev in enumerate(entry.get("previous_names") or [], 1):
        if isinstance(prev, dict):
            prev.pop("__line__", None)
        if isinstance(prev, str):
            continue
        if not isinstance(prev, dict) or not isinstance(prev.get("name"), str):
            problems.append(f"previous name {n} must be a string or a mapping with a name")
            continue
        for key in ("start", "end"):
            try:
                _parse_when(prev.get(key), end=key == "end")
            except ValueError as exc:
                problems.append(f"previous name {n} {key}: {exc}")
    return problems


def _build_actor(raw: dict[str, Any]) -> Actor:
    roles = tuple(
        Role(
            title=r["title"].strip(),
            org=r.get("org"),
            start=_parse_when(r.get("start"), end=False),
            end=_parse_when(r.get("end"), end=True),
            current=r.get("current"),
            aliases=tuple(r.get("aliases") or ()),
        )
        for r in raw.get("roles") or ()
    )
    previous = tuple(
        PreviousName(name=p)
        if isinstance(p, str)
        else PreviousName(
            name=p["name"],
            start=_parse_when(p.get("start"), end=False),
            end=_parse_when(p.get("end"), end=True),
        )
        for p in raw.get("previous_names") or ()
    )

    def when(key: str) -> str | None:
        value = raw.get(key)
        return None if value is None else str(value)

    return Actor(
        id=raw["id"],
        name=raw["name"].strip(),
        type=raw["type"],
        country=raw.get("country"),
        roles=roles,
        previous_names=previous,
        parent=raw.get("parent"),
        founded=when("founded"),
        dissolved=when("dissolved"),
        notes=raw.get("notes"),
        origin=raw.get("origin", ""),
        **{k: tuple(dict.fromkeys(raw.get(k) or ())) for k in _LIST_FIELDS},
    )


def _check_references(actors: dict[str, Actor]) -> list[str]:
    problems: list[str] = []
    countries = {a.country for a in actors.values() if a.type == "state"}
    for actor in actors.values():
        where = actor.origin
        if actor.country and actor.country not in countries:
            problems.append(f"{where}: country {actor.country} is not in the states table")
        refs = [("parent", actor.parent), *(("affiliation", a) for a in actor.affiliations)]
        refs += [(f"role {r.title!r} org", r.org) for r in actor.roles]
        problems += [
            f"{where}: {what} {ref!r} is not a known actor id"
            for what, ref in refs
            if ref and ref not in actors
        ]
        surfaces = {actor.name, *actor.aliases, *actor.adjectives, *actor.metonyms, *actor.misnamings}
        surfaces |= {p.name for p in actor.previous_names}
        problems += [
            f"{where}: case_sensitive form {s!r} is not one of the actor's names"
            for s in actor.case_sensitive
            if s not in surfaces
        ]
    return problems


def read_actor_files(paths: list[Path]) -> tuple[dict[str, Actor], dict[str, list[str]]]:
    """Read, merge and check actor files in order: the actors by id, and the office-title variants.
    Raises :class:`ActorDataError` listing every problem (file, line, entry) if any file is unusable."""
    loader = _Loader()
    for path in paths:
        loader.read(path)
    actors: dict[str, Actor] = {}
    if not loader.problems:
        actors = {actor_id: _build_actor(raw) for actor_id, raw in loader.raw.items()}
        loader.problems += _check_references(actors)
    if loader.problems:
        raise ActorDataError(loader.problems)
    return actors, loader.titles
