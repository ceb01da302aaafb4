"""A report as Markdown (CommonMark with GitHub tables), article text escaped.

Article-derived text could carry Markdown or HTML (a title ``<script>…``, a claim ``[click](javascript:…)``,
a sentence starting ``# ``): :func:`escape` turns every character that Markdown or inline HTML would
read as markup into a literal, and collapses line breaks so a text stays inside its table cell or
list item. Figures are PNG files written beside the Markdown file (``images`` maps each figure to its
relative path); without them (a report printed to standard output) the figures are named, not shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sitroom.present.reports.contents import (
    Coverage,
    Figure,
    QuestionSection,
    Report,
    StorySection,
    Table,
)
from sitroom.present.reports.judgments import load_estimative
from sitroom.present.text import neutralise

# Backslash-escapable ASCII punctuation that Markdown may read as markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]{}()#!|~])")
# Markup only at the start of a line (after the table pipe or list bullet we put first, a leading
# "- ", "+ ", "1. " or "> " would still open a nested block).
# "- " and "+ " open a list, "1. " an ordered list (escape the dot, not the digit): only when followed
# by a space or the end, so "-5 °C" and "0.1.0" stay as they are. (">" is already an entity.)
_LEADING = re.compile(r"^(\s*)([-+])(?=\s|$)")
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def escape(text: str | None, width: int | None = None) -> str:
    """Article-derived text as a literal Markdown inline: no markup, no HTML, one line."""
    text = neutralise(" ".join((text or "").split()))
    if width and len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _destination(url: str) -> str:
    """A link destination that no character of the URL can end early: <…> with <, > and spaces encoded."""
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = [_row(*header), _row(*("---" for _ in header))]
    lines += [_row(*row) for row in rows]
    return lines + [""]


def _figure(figure: Figure, images: Mapping[str, str] | None, key: str) -> list[str]:
    path = (images or {}).get(key)
    shown = (
        f"![{escape(figure.title)}]({path})"
        if path
        else f"*({escape(figure.title)}: see the HTML or PDF report)*"
    )
    return [shown, "", f"*{escape(figure.title)}.* {escape(figure.caption)}", ""]


def _claims(table: Table) -> list[str]:
    lines = [f"{table.notice} claims.", ""]
    if table.rows:
        lines += _table(
            ("speaker", "claim", "modality", "outlet", "date"),
            [
                (
                    escape(c.speaker or "—") + "".join(f" via {escape(v)}" for v in c.via),
                    escape(c.content, 320),
                    escape(
                        c.modality
                        + ("" if c.polarity == "affirm" else f", {c.polarity}")
                        + (f"; analyst set {', '.join(c.corrected)}" if c.corrected else "")
                    ),
                    escape(c.outlet or "—"),
                    escape(c.published or "—"),
                )
                for c in table.rows
            ],
        )
    return lines


def _events(table: Table) -> list[str]:
    lines = [f"{table.notice} events.", ""]
    if table.rows:
        lines += _table(
            ("type", "actors", "place", "when", "sentence", "outlet"),
            [
                (
                    escape(
                        e.type.replace("_", " ")
                        + f" ({e.modality})"
                        + (f"; analyst set {', '.join(e.corrected)}" if e.corrected else "")
                    ),
                    escape(", ".join(e.actors) or "—"),
                    escape(e.place or "—"),
                    escape(e.when or "—"),
                    escape(e.sentence, 260),
                    escape(e.outlet or "—"),
                )
                for e in table.rows
            ],
        )
    return lines


def _contradictions(table: Table) -> list[str]:
    lines = [f"{table.notice} contradiction links touching these documents (dismissed links left out).", ""]
    if table.rows:
        lines += _table(
            ("#", "one report", "the other", "score", "status"),
            [
                (
                    c.id,
                    f"{escape(c.a_text, 220)} ({escape(c.a_outlet or 'unknown outlet')})",
                    f"{escape(c.b_text, 220)} ({escape(c.b_outlet or 'unknown outlet')})",
                    f"{c.score:.2f}",
                    escape(c.status + ("" if c.independent else ", same origin")),
                )
                for c in table.rows
            ],
        )
    return lines


def _sources(sources) -> list[str]:
    if not sources:
        return ["No outlets.", ""]
    return _table(
        ("outlet", "grade", "documents", "claims", "corroborated", "contradicted"),
        [
            (
                escape(s.name),
                escape(f"{s.grade} — {s.grade_label}"),
                s.documents,
                s.claims,
                f"{s.corroboration_rate:.0%}",
                f"{s.contradiction_rate:.0%}",
            )
            for s in sources
        ],
    )


def _coverage(c: Coverage) -> list[str]:
    text = (
        f"{c.documents} documents from {len(c.outlets)} outlets ({escape(', '.join(c.outlets)) or 'none'}), "
        f"dated {escape(c.earliest or '?')} to {escape(c.latest or '?')}"
    )
    if c.since:
        text += f"; evidence and items dated from {escape(c.since)} on only"
        if c.undated_left_out:
            text += f" ({c.undated_left_out} undated pieces of evidence left out)"
    return [text + ".", ""]


def _question(q: QuestionSection, images, *, heading: str | None) -> list[str]:
    anchor = f"q-{q.slug}"
    lines = [f"{heading} {escape(q.text)}", ""] if heading else []  # a one-question report's title is it
    window = f", window {escape(q.window[0] or '…')} to {escape(q.window[1] or '…')}" if any(q.window) else ""
    lines += [f"Question `{q.slug}`{window}.", ""]
    lines += ["### Key judgments", ""]
    if q.judgment:
        j = q.judgment
        lines += [f"**{escape(j.likelihood_sentence)}**", "", escape(j.basis_sentence), ""]
        lines += [f"**{escape(j.confidence_sentence)}**", ""]
        for r in j.confidence.reasons:
            mark = "+" if r.score > 0 else "−" if r.score < 0 else "·"
            lines.append(f"- {mark} {escape(r.factor)}: {escape(r.text)}.")
        lines.append("")
    else:
        lines += ["The question has no hypotheses to judge.", ""]
    since = (
        f" since the previous report ({escape(q.changes.previous_at)} UTC)" if q.changes.previous_at else ""
    )
    lines += [f"**What changed{since}**", ""]
    lines += [f"- {escape(s)}" for s in q.changes.sentences] + [""]
    lines += ["### Hypotheses", ""]
    lines += _table(
        ("rank", "hypothesis", "weighted inconsistency", "weighted support"),
        [
            (h.rank, f"**{escape(h.id)}** {escape(h.text)}", f"{h.inconsistency:.2f}", f"{h.support:.2f}")
            for h in sorted(q.hypotheses, key=lambda h: h.rank)
        ],
    )
    for figure in q.figures:
        lines += _figure(figure, images, f"{anchor}-{figure.name}")
    lines += ["### Indicator board", ""]
    lines += _table(
        ("indicator", "bears on", "hits", "by month", "latest"),
        [
            (
                escape(i.label),
                escape(
                    "; ".join(
                        filter(
                            None,
                            (
                                f"supports {', '.join(i.supports)}" if i.supports else "",
                                f"weakens {', '.join(i.weakens)}" if i.weakens else "",
                            ),
                        )
                    )
                ),  # fmt: skip
                i.hits,
                escape(", ".join(f"{p}: {n}" for p, n in i.periods) or "—"),
                f"{escape(i.latest, 160)} ({escape(i.latest_when or 'undated')})" if i.latest else "—",
            )
            for i in q.indicators
        ],
    )
    lines += ["### ACH matrix", "", f"{q.evidence.notice} pieces of evidence, most diagnostic first.", ""]
    if q.evidence.rows:
        lines += _table(
            ("#", "evidence", *(h.id for h in q.hypotheses), "weight"),
            [
                (
                    f"E{n}",
                    escape(e.text, 140),
                    *(e.rating(h.id) + ("\\*" if h.id in e.corrected else "") for h in q.hypotheses),
                    f"{e.weight:.2f}",
                )
                for n, e in enumerate(q.evidence.rows, 1)
            ],
        )
    if q.corrections:
        lines += [f"\\* a rating set by an analyst. Analyst corrections in force ({len(q.corrections)}):", ""]
        lines += _table(
            ("evidence · hypothesis", "rating", "analyst", "why"),
            [
                (
                    f"`{c.target}`",
                    escape(
                        f"{c.before or '—'} → {c.after or '—'}"
                        + ("" if c.state == "active" else f" ({c.state})")
                    ),
                    escape(f"{c.analyst}, {c.at[:16]}"),
                    escape(c.why or "—"),
                )
                for c in q.corrections
            ],
        )
    lines += ["### Evidence and provenance", ""]
    for n, e in enumerate(q.evidence.rows, 1):
        p = e.provenance
        title = escape(p.title or p.document_id)
        article = f"[{title}]({_destination(p.url)})" if p.url else title
        lines += [
            f"**E{n}**{' (new)' if e.new else ''} · {e.layer} · source {e.grade} ({escape(e.grade_label)}) · "
            f"credibility {e.credibility} ({escape(e.credibility_label)})",
            "",
            f"> {escape(p.sentence, 600)}",
            "",
            f"{escape(p.chain)} · {article} · {escape(p.published or 'undated')} · "
            f"{escape(e.indicator_label)} · {escape(e.modality)} · reports {escape(e.when or 'no date')} · "
            f"`{p.offsets}`",
            "",
        ]
    if not q.evidence.rows:
        lines += ["No evidence matches the question's indicators.", ""]
    lines += ["### Claims", ""] + _claims(q.claims)
    lines += ["### Events", ""] + _events(q.events)
    lines += ["### Contradictions", ""] + _contradictions(q.contradictions)
    lines += ["### Sources", ""] + _sources(q.sources)
    lines += ["### Coverage", ""] + _coverage(q.coverage)
    return lines


def _story(s: StorySection, images, *, heading: str | None) -> list[str]:
    anchor = f"s-{s.id}"
    lines = [f"{heading} {escape(s.title or s.id)}", ""] if heading else []
    lines += [f"Story `{s.id}`, seen {escape(s.first_seen or '?')} to {escape(s.last_seen or '?')}.", ""]
    lines += ["**What changed**", ""] + [f"- {escape(x)}" for x in s.changes.sentences] + [""]
    for figure in s.figures:
        lines += _figure(figure, images, f"{anchor}-{figure.name}")
    lines += ["### Documents", ""]
    lines += _table(
        ("document", "title", "outlet", "date"),
        [(f"`{i[:12]}`", escape(t or "—"), escape(o or "—"), escape(d or "—")) for i, t, o, d in s.documents],
    )
    lines += ["### Claims", ""] + _claims(s.claims)
    lines += ["### Events", ""] + _events(s.events)
    lines += ["### Contradictions", ""] + _contradictions(s.contradictions)
    lines += ["### Sources", ""] + _sources(s.sources)
    lines += ["### Coverage", ""] + _coverage(s.coverage)
    return lines


def render_md(report: Report, *, images: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; ``images`` maps "q-SLUG-map" (and the like) to a relative image path."""
    lines = [f"# {escape(report.title)}", ""]
    since = f" · evidence from {escape(report.since)} on" if report.since else ""
    lines += [
        f"*Generated {escape(report.generated_at)} from {escape(report.workspace)}{since} · "
        f"sitroom {escape(report.sitroom_version)}*",
        "",
    ]
    if report.overview:
        o = report.overview
        lines += ["## Workspace overview", ""]
        lines += _table(
            ("", ""),
            [
                ("documents", f"{o.documents} ({o.originals} originals, {o.duplicates} duplicates)"),
                ("outlets", o.sources),
                ("published", f"{escape(o.earliest or '?')} to {escape(o.latest or '?')} (trusted dates)"),
                ("claims · events · places", f"{o.claims} · {o.events} · {o.places}"),
                ("stories · questions", f"{o.stories} · {o.questions}"),
                ("links", " · ".join(f"{k} {n}" for k, n in o.links.items()) or "none"),
            ],
        )
        if report.story_list:
            lines += ["### Largest stories", ""]
            lines += _table(
                ("story", "title", "documents", "first seen", "last seen"),
                [
                    (f"`{i}`", escape(t or "—"), n, escape(f or "?"), escape(last or "?"))
                    for i, t, n, f, last in report.story_list
                ],
            )
    many = report.subject == "all"
    for q in report.questions:
        lines += _question(q, images, heading="##" if many else None)
    for s in report.stories:
        lines += _story(s, images, heading="##" if many else None)
    scale = ", ".join(f"{b.term} ({b.range_text})" for b in load_estimative().scale)
    lines += [
        "## Method and versions",
        "",
        f"Likelihood terms follow the estimative scale of ICD 203: {scale}. The probability of the leading "
        "hypothesis grows with its margin over the runner-up in the ACH matrix and with the weight of the "
        "evidence separating them (sitroom/data/estimative.yaml). Confidence is judged apart from the "
        "likelihood, from the outlets' grades, the independence of corroboration, contradictions, and the "
        "amount and recency of evidence.",
        "",
        f"Generated {escape(report.generated_at)} by sitroom {escape(report.sitroom_version)}; components "
        f"{escape(', '.join(report.components))}.",
        "",
    ]
    return "\n".join(lines)
