"""The ``sitroom`` command line: thin commands over :class:`sitroom.Workspace`; the only code that prints.

Commands live in modules by subject; importing them registers them on the one Typer ``app``.
"""

from sitroom.cli import documents  # noqa: F401, I001  (registers the commands, in help order)
from sitroom.cli import analysis  # noqa: F401, E402
from sitroom.cli import exchange  # noqa: F401, E402
from sitroom.cli import corrections  # noqa: F401, E402
from sitroom.cli import report  # noqa: F401, E402
from sitroom.cli import serve  # noqa: F401, E402
from sitroom.cli.common import app

__all__ = ["app"]
