"""The numpy side of the stance classifier's models (:mod:`sitroom.analyse.stance`).

Feed-forward nets (the gate and the stance MLPs) and gradient-boosted trees exported from
scikit-learn to flat arrays, both evaluated here without scikit-learn; their conversion to and from
the arrays of the ``.npz`` artefact; softmax with a temperature and the fit of that temperature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sitroom.analyse.stance_features import AnalysedText


@dataclass(frozen=True)
class Net:
    """A feed-forward net: ReLU hidden layers, linear output; first layer may read sparse TF inputs.

    The input is [standardised hand features | claim TF (tf_size) | body TF (tf_size)] when
    ``uses_tf``, else the hand features alone.
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    uses_tf: bool

    def logits(self, hand: np.ndarray, claim: AnalysedText, body: AnalysedText, tf_size: int) -> np.ndarray:
        return self.logits_many(hand[None, :], [(claim, body)], tf_size)[0]

    def forward(self, hand: np.ndarray, claim: AnalysedText, body: AnalysedText, tf_size: int) -> np.ndarray:
        return softmax(self.logits(hand, claim, body, tf_size))

    def logits_many(
        self, hands: np.ndarray, pairs: Sequence[tuple[AnalysedText, AnalysedText]], tf_size: int
    ) -> np.ndarray:
        """:meth:`logits` of many pairs at once, (pairs, outputs): one matrix product per layer instead
        of one vector product per pair (``hands`` is (pairs, features))."""
        first = self.weights[0]
        z = hands @ first[: hands.shape[1]].astype(np.float64) + self.biases[0]
        if self.uses_tf:
            offset = hands.shape[1]
            for row, (claim, body) in enumerate(pairs):
                if claim.tf_ids.size:
                    z[row] += _tf_part(claim, first, offset)
                if body.tf_ids.size:
                    z[row] += _tf_part(body, first, offset + tf_size)
        for w, b in zip(self.weights[1:], self.biases[1:], strict=True):
            z = np.maximum(z, 0.0) @ w + b
        return z


def _tf_part(text: AnalysedText, first: np.ndarray, offset: int) -> np.ndarray:
    """``text``'s TF times the rows of ``first`` from ``offset``, computed once per text and layer."""
    key = (id(first), offset)
    kept = text.tf_parts.get(key)
    if kept is None or kept[0] is not first:
        rows = first[offset + text.tf_ids].astype(np.float64)
        kept = text.tf_parts[key] = (first, text.tf_values.astype(np.float64) @ rows)
    return kept[1]


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Softmax over the last axis of ``z / temperature``."""
    z = np.asarray(z, dtype=np.float64) / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees (exported from scikit-learn's HistGradientBoostingClassifier).

    All trees' nodes live in flat arrays; ``roots[t]`` is tree t's first node and ``tree_class[t]`` the
    class whose raw score it adds to. A sample goes left when ``x[feature] <= threshold`` (our features
    are never missing, so scikit-learn's missing-value routing is not needed). Leaves point to
    themselves, so walking every tree ``depth`` steps at once ends on each tree's leaf.
    """

    feature: np.ndarray  # int32; unused at leaves
    threshold: np.ndarray  # float32
    left: np.ndarray  # int32; leaves: own index
    right: np.ndarray  # int32; leaves: own index
    value: np.ndarray  # float32 leaf values (learning rate already applied)
    roots: np.ndarray  # int32
    tree_class: np.ndarray  # int32
    baseline: np.ndarray  # float32, one raw score per class
    depth: int

    def logits(self, hand: np.ndarray) -> np.ndarray:
        return self.logits_many(hand[None, :])[0]

    def logits_many(self, hands: np.ndarray) -> np.ndarray:
        """Raw class scores of many samples at once, (samples, classes).

        Every tree of every sample walks together, one numpy call per step for all of them; a walk
        that has reached its leaf leaves the active set, so the steps shrink with the trees' real
        depths (half the walks end within five steps, almost all within fifteen) rather than all
        running ``depth`` steps. The per-sample sums run in tree order, as for a single sample.
        """
        samples, width = hands.shape
        trees = self.roots.size
        flat = np.ascontiguousarray(hands).ravel()
        node = np.tile(self.roots, samples)
        active = np.arange(node.size)
        current = node
        offset = np.repeat(np.arange(samples) * width, trees)
        for _ in range(self.depth):
            go_left = flat.take(self.feature.take(current) + offset) <= self.threshold.take(current)
            following = np.where(go_left, self.left.take(current), self.right.take(current))
            moved = following != current  # a leaf points to itself
            node[active] = following
            if not moved.all():
                active, following, offset = active[moved], following[moved], offset[moved]
                if not active.size:
                    break
            current = following
        classes = self.baseline.size
        slot = np.repeat(np.arange(samples) * classes, trees) + np.tile(self.tree_class, samples)
        scores = np.bincount(slot, weights=self.value.take(node), minlength=samples * classes)
        return self.baseline + scores.reshape(samples, classes)


def trees_arrays(trees: Trees) -> dict[str, np.ndarray]:
    names = ("feature", "threshold", "left", "right", "value", "roots", "tree_class", "baseline")
    return {f"trees_{name}": getattr(trees, name) for name in names}


def trees_from(arrays: Any, depth: int) -> Trees:
    def get(name: str, dtype: type) -> np.ndarray:
        return arrays[f"trees_{name}"].astype(dtype)

    return Trees(
        feature=get("feature", np.int32),
        threshold=get("threshold", np.float32),
        left=get("left", np.int32),
        right=get("right", np.int32),
        value=get("value", np.float32),
        roots=get("roots", np.int32),
        tree_class=get("tree_class", np.int32),
        baseline=get("baseline", np.float32),
        depth=depth,
    )


def export_trees(model: Any) -> Trees:
    """Flatten a fitted multi-class ``HistGradientBoostingClassifier`` into :class:`Trees` arrays."""
    feature, threshold, left, right, value, roots, tree_class = [], [], [], [], [], [], []
    offset = depth = 0
    for per_class in model._predictors:  # one list of trees (one per class) per boosting iteration
        for cls, predictor in enumerate(per_class):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported by the numpy tree evaluator")
            own = np.arange(len(nodes)) + offset
            leaf = nodes["is_leaf"].astype(bool)
            feature.append(np.where(leaf, 0, nodes["feature_idx"]))
            threshold.append(nodes["num_threshold"])
            left.append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset))
            right.append(np.where(leaf, own, nodes["right"].astype(np.int64) + offset))
            value.append(np.where(leaf, nodes["value"], 0.0))
            roots.append(offset)
            tree_class.append(cls)
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    return Trees(
        feature=np.concatenate(feature).astype(np.int32),
        threshold=np.concatenate(threshold).astype(np.float32),
        left=np.concatenate(left).astype(np.int32),
        right=np.concatenate(right).astype(np.int32),
        value=np.concatenate(value).astype(np.float32),
        roots=np.array(roots, dtype=np.int32),
        tree_class=np.array(tree_class, dtype=np.int32),
        baseline=np.asarray(model._baseline_prediction, dtype=np.float32).ravel(),
        depth=depth,
    )


def net_arrays(prefix: str, net: Net) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        # float16 halves the artefact; the rounding moves probabilities by ~1e-3.
        arrays[f"{prefix}_w{i}"] = w.astype(np.float16)
        arrays[f"{prefix}_b{i}"] = b.astype(np.float32)
    return arrays


def net_from(arrays: Any, prefix: str, layers: int, uses_tf: bool) -> Net:
    # Computed in float64, so that a pair's scores do not depend on the batch it is scored in (float32
    # matrix products round differently by shape); the first layer (TF vocabulary × hidden) is kept in
    # float32, as stored, and its rows are widened as they are read (exactly: float16 weights).
    return Net(
        weights=tuple(
            arrays[f"{prefix}_w{i}"].astype(np.float32 if i == 0 else np.float64) for i in range(layers)
        ),
        biases=tuple(arrays[f"{prefix}_b{i}"].astype(np.float64) for i in range(layers)),
        uses_tf=uses_tf,
    )


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature T minimising the log loss of the mean of ``softmax(logits / T)`` over members.

    ``logits`` is (pairs, members, classes), ``gold`` the class index of each pair. Fitted on
    out-of-fold predictions (Guo et al. 2017, "On calibration of modern neural networks"); a grid is
    enough for one parameter and cannot diverge.
    """
    grid = np.round(np.arange(0.5, 8.0 + 1e-9, 0.05), 2)
    rows = np.arange(len(gold))

    def loss(t: float) -> float:
        p = softmax(logits, t).mean(axis=1)[rows, gold]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    return float(min(grid, key=loss))
