"""Markup a reader never sees in the article's text: pop-up cards over a name, hidden elements.

trafilatura reads the markup, not the rendered page, so the card a page shows under the mouse over a
politician's name (a picture, the full name, links to other stories) would land inside the sentence
that names them. :func:`drop_hidden` removes such elements from a parsed page before extraction; the
rules are data (``sitroom/data/html_hidden.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml.html import HtmlElement

from sitroom.clean.boilerplate import load_yaml
from sitroom.ingest.lead import class_parts


@dataclass(frozen=True, slots=True)
class HiddenRules:
    card_tokens: frozenset[str]
    card_min_links: int
    hidden_styles: tuple[str, ...]


@cache
def load_hidden_rules() -> HiddenRules:
    data = load_yaml("html_hidden.yaml")
    return HiddenRules(
        card_tokens=frozenset(data["card_tokens"]),
        card_min_links=int(data["card_min_links"]),
        hidden_styles=tuple(data["hidden_styles"]),
    )


def drop_hidden(tree: HtmlElement) -> int:
    """Remove pop-up cards and hidden elements from ``tree`` in place; how many were removed."""
    rules = load_hidden_rules()
    root = tree.getroottree().getroot()
    removed = 0
    for element in _styled_hidden(tree, rules) + _cards(tree, rules):
        if not _attached(element, root):
            continue  # inside an element already removed
        element.drop_tree()  # keeps the tail text: the sentence after the card goes on
        removed += 1
    return removed


def _styled_hidden(tree: HtmlElement, rules: HiddenRules) -> list[HtmlElement]:
    out = [e for e in tree.xpath("//body//*[@hidden]") if isinstance(e.tag, str)]
    for element in tree.xpath("//body//*[@style]"):
        style = re.sub(r"\s+", "", element.get("style") or "").lower()
        if any(declaration in style for declaration in rules.hidden_styles):
            out.append(element)
    return out


def _cards(tree: HtmlElement, rules: HiddenRules) -> list[HtmlElement]:
    """The innermost card-classed elements that hold a picture or enough links to be a card."""
    classed = [e for e in tree.xpath("//body//*[@class]") if class_parts(e) & rules.card_tokens]
    marked = {id(e) for e in classed}
    out = []
    for element in classed:
        if any(id(d) in marked for d in element.iterdescendants()):
            continue
        links = sum(1 for _ in element.iter("a"))
        if links >= rules.card_min_links or next(element.iter("img"), None) is not None:
            out.append(element)
    return out


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` still hangs under ``root`` (not the root itself)."""
    ancestors = list(element.iterancestors())
    return bool(ancestors) and ancestors[-1] is root
