"""Keys for duplicate detection: word shingles, MinHash signatures and LSH band keys.

Exact duplicates share the hash of their normalised text (``clean.normalize_for_hash``). Near
duplicates (syndicated copies with a changed headline, an added byline, a trimmed footer) share at
least one LSH band of the MinHash of their word 5-shingles; a candidate is confirmed by the exact
Jaccard similarity of the shingle sets, so bands only need to be a cheap, recall-oriented filter.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import cache

import numpy as np

SHINGLE_WORDS = 5
# 16 bands of 8 rows: two documents with Jaccard s share a band with probability 1-(1-s^8)^16,
# 0.96 at s=0.8 and 0.33 at s=0.6; the exact Jaccard check removes the false candidates.
BANDS = 16
# Pinned: band keys are stored, so a library default changing between versions must not change them.
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word n-grams; a text shorter than ``size`` words is one shingle."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash32(data: bytes) -> int:
    # datasketch's default is SHA-1. MinHash only needs a well-spread 32-bit value that is stable
    # across processes (bands are stored); CRC-32 is that, in C, at a fraction of SHA-1's cost.
    return zlib.crc32(data)


@cache
def _minhash_class():
    # Imported on first use: datasketch's package imports its LSH classes and with them SciPy, a
    # second of start-up that every command paid, though only ingest computes signatures.
    from datasketch import MinHash

    return MinHash


@cache
def _permutations(num_perm: int):
    # datasketch draws the permutations anew for every MinHash; they depend only on the seed, so
    # drawing them once saves a quarter of the signature's cost.
    return _minhash_class()(num_perm=num_perm, seed=1, scheme=_SCHEME).permutations


def minhash_bands(shingle_set: set[str], *, num_perm: int = 128, bands: int = BANDS) -> list[str]:
    """LSH band keys of the MinHash of ``shingle_set``; empty for an empty set."""
    if not shingle_set:
        return []
    signature = _minhash_class()(
        num_perm=num_perm, seed=1, hashfunc=_hash32, permutations=_permutations(num_perm), scheme=_SCHEME
    )
    signature.update_batch([s.encode("utf-8") for s in shingle_set])
    rows = num_perm // bands
    values = np.asarray(signature.hashvalues, dtype=np.uint64)
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        keys.append(f"{band:02d}" + hashlib.blake2b(chunk, digest_size=12).hexdigest())
    return keys


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
