"""Disjoint sets over string keys (union-find with path halving): which reports share an origin."""

from __future__ import annotations


class UnionFind:
    """Keys fall into groups; :meth:`union` joins two groups, :meth:`find` names a key's group."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self._parent
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self._parent[self.find(a)] = self.find(b)
