"""A report as one self-contained HTML file: Jinja2 with autoescape, inline CSS, images as data: URIs.

Every article-derived string reaches the page through autoescaping; the only markup not escaped is our
own stylesheet. Nothing outside the file is referenced: no stylesheet, font, script or image links; the
only links out are article URLs (http/https only, see ``assemble._http``) with ``rel="noopener"``.
The same HTML feeds WeasyPrint for the PDF, whose ``@page`` rules live in the same stylesheet.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from sitroom.present.reports.contents import Report
from sitroom.present.reports.judgments import load_estimative
from sitroom.present.text import neutralise

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


def _finalize(value):
    """Every printed value: control characters and bidi overrides written out, not obeyed (an
    article's U+202E would otherwise reorder what the reader sees); our own Markup passes as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return neutralise(value)
    return value


def _short(text: str | None, width: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sitroom.present.reports", "templates"),
        autoescape=True,  # every template here is HTML: escape everything, always
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        finalize=_finalize,
    )
    env.filters["short"] = _short
    env.filters["words"] = lambda code: str(code).replace("_", " ")  # air_strike → air strike
    return env


def stylesheet() -> str:
    env = environment()
    source, _, _ = env.loader.get_source(env, STYLESHEET)
    return source


def render_html(report: Report) -> str:
    """The report as an HTML document (a string)."""
    template = environment().get_template(TEMPLATE)
    # Markup only for our own packaged stylesheet; every document-derived value is autoescaped.
    return template.render(report=report, css=Markup(stylesheet()), scale=load_estimative().scale)
