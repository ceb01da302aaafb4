"""YAML data files read with libyaml's parser where PyYAML was built with it.

``yaml.safe_load`` parses in pure Python: the lexicons sitroom loads at start-up (actors, cue verbs,
event types, quantities, question boards) took about a second of every ``process`` run. ``CSafeLoader``
builds the same objects (it shares SafeLoader's constructor and resolver) several times faster.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """Parse one YAML document as ``yaml.safe_load`` does (errors are ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
