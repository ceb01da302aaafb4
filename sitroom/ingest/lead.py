"""The lead paragraph a page keeps in its own container, which trafilatura's precision mode drops.

A page's summary or standfirst (RT's ``div.article__summary``, a Guardian "standfirst") often sits
between the headline and the article body, outside the element trafilatura picks as the body; with
``favor_precision`` it is then lost, silently. This module finds the first container whose class or
``itemprop`` names it a lead (``sitroom/data/html.yaml``) and that reads like one (prose of one or
two sentences, few links, not inside a nav, sidebar, list or figure), so the reader can put it back
in front of the text when the extracted text does not already hold it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml.html import HtmlElement

from sitroom.clean.boilerplate import load_yaml

_PARTS = re.compile(r"[\s_-]+|(?<=[a-z])(?=[A-Z])")
_SENTENCE_END = re.compile(r"(?<!\.\.)[.!?][\"'”’)\]]?$")


@dataclass(frozen=True, slots=True)
class LeadRules:
    class_tokens: frozenset[str]
    itemprops: frozenset[str]
    excluded_tokens: frozenset[str]
    excluded_ancestors: frozenset[str]
    min_words: int
    max_words: int
    max_link_share: float


@cache
def load_lead_rules() -> LeadRules:
    data = load_yaml("html.yaml")
    return LeadRules(
        class_tokens=frozenset(data["class_tokens"]),
        itemprops=frozenset(data["itemprops"]),
        excluded_tokens=frozenset(data["excluded_tokens"]),
        excluded_ancestors=frozenset(data["excluded_ancestors"]),
        min_words=int(data["min_words"]),
        max_words=int(data["max_words"]),
        max_link_share=float(data["max_link_share"]),
    )


def find_lead(tree: HtmlElement) -> str | None:
    """The text of the page's lead container, or None when no container qualifies."""
    rules = load_lead_rules()
    for element in _candidates(tree, rules):
        parts = class_parts(element)
        named = parts & rules.class_tokens or (element.get("itemprop") or "").lower() in rules.itemprops
        if not named or parts & rules.excluded_tokens or _excluded_ancestor(element, rules):
            continue
        text = " ".join(element.text_content().split())
        words = text.count(" ") + 1
        if not rules.min_words <= words <= rules.max_words or not _SENTENCE_END.search(text):
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        if linked > rules.max_link_share * len(text):
            continue
        return text
    return None


def _candidates(tree: HtmlElement, rules: LeadRules) -> list[HtmlElement]:
    """Elements whose class or itemprop mentions a lead token, in document order (a cheap
    substring test first: a page has thousands of classed elements and a handful of candidates;
    an XPath ``contains(translate(...))`` per token was ten times slower)."""
    tokens = tuple(rules.class_tokens | rules.itemprops)
    out = []
    for element in tree.xpath("//*[@class or @itemprop]"):
        names = f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
        if any(token in names for token in tokens):
            out.append(element)
    return out


def class_parts(element: HtmlElement) -> set[str]:
    """An element's class split into lower-case parts: on spaces, "-", "_" and camelCase humps."""
    return {part.lower() for part in _PARTS.split(element.get("class") or "") if part}


def _excluded_ancestor(element: HtmlElement, rules: LeadRules) -> bool:
    for ancestor in element.iterancestors():
        if not isinstance(ancestor.tag, str):
            continue
        if ancestor.tag in rules.excluded_ancestors or class_parts(ancestor) & rules.excluded_tokens:
            return True
    return False


def restore_lead(text: str, lead: str | None) -> tuple[str, bool]:
    """``text`` with ``lead`` in front when the text lacks it; whether it was added."""
    if not lead:
        return text, False
    flat = " ".join(text.split())
    # The first 80 characters are enough to recognise the lead; its tail may have been re-wrapped.
    if " ".join(lead.split())[:80] in flat:
        return text, False
    return f"{lead}\n{text}", True
