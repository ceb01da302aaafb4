"""A faster stand-in, with the same results, for the matcher of spaCy's English attribute ruler.

Bare spaCy's time on news text (150 FNC-1 bodies, ``en_core_web_sm``, one process, CPU): tok2vec 32%,
NER 39%, parser 10%, attribute_ruler 10%, lemmatizer 8%. The attribute ruler sets each token's POS and
morphology from its tag (and a few word-specific exceptions) through a general ``Matcher`` over 179
rules: 8 ms an article, nearly all of it the matcher. The rules only test a token's lower-case form,
tag, dependency label and whether it is a space, so an index by those values (:class:`RuleIndex`)
finds the same matches with a few dict lookups a token, and the ruler sets them as before (1.26 →
0.33 s for the 150 articles). The lemmatizer's cost is its cache filling (a second pass over the same
articles takes a sixth of the first), which no stand-in would change.

:func:`speed_up` applies it to a loaded pipeline, and leaves the ruler as it is when a rule tests
anything the index does not read. ``tests/test_spacy_fast.py`` checks every token attribute against
stock spaCy; ``python -m benchmarks.pipeline_throughput`` times the whole path beside bare
``nlp.pipe`` (which stays stock).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

# The token attributes the index reads, in the order of a row of ``Doc.to_array``.
_READ = ("LOWER", "TAG", "DEP", "IS_SPACE")
_COLUMNS = [LOWER, TAG, DEP, IS_SPACE]


class RuleIndex:
    """An attribute ruler's patterns indexed by the value each pattern's first token must have: the
    matches of ``AttributeRuler.match`` (sorted by rule, as it sorts them), found with a few dict
    lookups a token instead of a pass of the general matcher."""

    def __init__(self, ruler: Any) -> None:
        strings = self._strings = ruler.vocab.strings
        self._match_ids = [strings.add(str(i)) for i in range(len(ruler.attrs))]
        # attribute position → value → [(rule, [per-position tests])]
        self._by_first: list[dict[int, list[tuple[int, list]]]] = [defaultdict(list) for _ in _READ]
        self._unindexed: list[tuple[int, list]] = []
        for rule, patterns in enumerate(_rule_patterns(ruler)):
            for pattern in patterns:
                tests = [_compile(token, strings) for token in pattern]
                self._file(rule, tests)

    def _file(self, rule: int, tests: list) -> None:
        first = tests[0]
        for position in range(len(_READ)):  # the first attribute with values to look up
            values = first.get(position)
            if values is not None and values[0] == "in":
                for value in values[1]:
                    self._by_first[position][value].append((rule, tests))
                return
        self._unindexed.append((rule, tests))

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """``(rule, match id, start, end)`` for every pattern that matches ``doc``, sorted."""
        rows = doc.to_array(_COLUMNS).tolist()
        found: set[tuple[int, int, int]] = set()
        for start, row in enumerate(rows):
            for position, index in enumerate(self._by_first):
                for rule, tests in index.get(row[position], ()):
                    if _matches(tests, rows, start, self._strings):
                        found.add((rule, start, start + len(tests)))
            for rule, tests in self._unindexed:
                if _matches(tests, rows, start, self._strings):
                    found.add((rule, start, start + len(tests)))
        return sorted((rule, self._match_ids[rule], start, end) for rule, start, end in found)


def _rule_patterns(ruler: Any) -> list[list]:
    """Each rule's patterns, in rule order (``AttributeRuler.patterns`` lists one entry per rule)."""
    by_rule = ruler.patterns
    if len(by_rule) != len(ruler.attrs):
        raise ValueError("the attribute ruler's patterns and rules do not line up")
    return [entry["patterns"] for entry in by_rule]


def _compile(token: dict, strings: Any) -> dict[int, tuple[str, Any]]:
    """One token pattern as tests on the columns read: attribute position → ("in" | "not in", values)
    or ("regex", compiled pattern) for a lower-case form."""
    tests: dict[int, tuple[str, Any]] = {}
    for name, wanted in token.items():
        if name not in _READ:
            raise ValueError(f"a pattern tests {name}, which the index does not read")
        position = _READ.index(name)

        def encode(value: Any, name: str = name) -> int:
            if name == "IS_SPACE":
                return int(bool(value))
            return strings[value] if name != "LOWER" else strings[value.lower()]

        if isinstance(wanted, dict):
            if set(wanted) == {"IN"}:
                tests[position] = ("in", frozenset(encode(v) for v in wanted["IN"]))
            elif set(wanted) == {"NOT_IN"}:
                tests[position] = ("not in", frozenset(encode(v) for v in wanted["NOT_IN"]))
            elif set(wanted) == {"REGEX"} and name == "LOWER":
                tests[position] = ("regex", re.compile(wanted["REGEX"]))
            else:
                raise ValueError(
                    f"a pattern tests {name} with {sorted(wanted)}, which the index does not read"
                )
        else:
            tests[position] = ("in", frozenset((encode(wanted),)))
    return tests


def _matches(tests: list, rows: list, start: int, strings: Any) -> bool:
    if start + len(tests) > len(rows):
        return False
    for offset, test in enumerate(tests):
        row = rows[start + offset]
        for position, (how, values) in test.items():
            if how == "regex":
                if not values.search(strings[row[position]]):  # as the Matcher's REGEX: re.search
                    return False
            elif (row[position] in values) != (how == "in"):
                return False
    return True


def speed_up(nlp: Any) -> list[str]:
    """Give ``nlp``'s attribute ruler the index; returns the names of the components changed (none
    when a rule tests anything the index does not read)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return []
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        ruler.match = RuleIndex(ruler).match
    except (ValueError, KeyError):
        return []
    return ["attribute_ruler"]
