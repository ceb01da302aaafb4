"""Whose act a participle is, where spaCy hangs it on the wrong noun (shared by claims and events).

"Swift posted on Twitter accusing the label …": the parser attaches "accusing" to "Twitter" as a
modifier, and the noun a participle modifies is normally the one acting ("rebels fighting the regime").
After a preposition of a medium or a place, the noun does not act: the verb the preposition hangs on
does, through its subject. After "to" it still may ("donated to a PAC supporting Clinton": the PAC).
"""

from __future__ import annotations

from typing import Any

# Prepositions of a medium or a place, whose object does not act: "posted on Twitter", "said in a
# statement", "spoke via video link".
MEDIUM_PREPS = frozenset(("on", "in", "via", "through"))


def verb_behind_medium(token: Any) -> Any | None:
    """For an active participle hung on the object of a medium preposition that depends on a verb
    ("posted on Twitter accusing"), that verb ("posted"); else ``None``."""
    if token.dep_ != "acl" or token.tag_ != "VBG":
        return None
    noun = token.head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ != "pobj":
        return None
    prep = noun.head
    if prep.lower_ not in MEDIUM_PREPS or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    return prep.head


__all__ = ["MEDIUM_PREPS", "verb_behind_medium"]
