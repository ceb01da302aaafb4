"""Credibility 1–6 from links: independent voices counted once per origin."""

from __future__ import annotations

from sitroom.analyse.credibility import LABELS, count_support, credibility_of

Z = "claim:000000000000000d:0-10"
A = "claim:000000000000000a:5-20"  # an original article
A_COPY = "claim:00000000000000a2:5-20"  # its syndicated copy
A_OTHER = "claim:000000000000000a:40-60"  # another claim of the same article
C = "claim:000000000000000c:0-30"


def link(kind: str, a: str, b: str, *, independent: bool = True, status: str = "open") -> dict:
    return {"kind": kind, "a": a, "b": b, "independent": independent, "status": status}


def copies(ref: str) -> str:
    doc = ref.split(":")[1]
    return "000000000000000a" if doc == "00000000000000a2" else doc


def test_two_independent_corroborations_confirm() -> None:
    links = [link("corroborates", Z, A), link("corroborates", C, Z)]
    assert credibility_of(links, ref=Z, document_of=copies) == 1
    assert LABELS[1] == "confirmed"


def test_an_original_and_its_syndicated_copy_are_one_voice() -> None:
    links = [link("corroborates", Z, A), link("corroborates", Z, A_COPY)]
    assert count_support(links, ref=Z, document_of=copies) == (1, 0)
    assert credibility_of(links, ref=Z, document_of=copies) == 2  # probably true, not confirmed
    # Without knowing the copies, a non-independent link between the two does the same.
    same = {(A, A_COPY)}
    assert credibility_of(links, ref=Z, same_origin=same) == 2
    # Counting links, not voices, would have said "confirmed".
    assert credibility_of(links) == 1


def test_two_claims_of_one_article_are_one_voice() -> None:
    links = [link("corroborates", Z, A), link("corroborates", A_OTHER, Z)]
    assert credibility_of(links, ref=Z, document_of=copies) == 2


def test_dismissed_and_non_independent_links_do_not_count() -> None:
    links = [
        link("corroborates", Z, A, status="dismissed"),
        link("corroborates", Z, C, independent=False),
        link("contradicts", Z, A_COPY),
    ]
    assert count_support(links, ref=Z, document_of=copies) == (0, 1)
    assert credibility_of(links, ref=Z, document_of=copies) == 4
    assert credibility_of([], ref=Z) == 6
