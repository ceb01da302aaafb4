"""The workbench's routes, one small module per subject; ``ROUTERS`` in navigation order."""

from sitroom.present.web.routes import (
    corrections,
    documents,
    geo,
    items,
    overview,
    questions,
    stories,
    subjects,
)

ROUTERS = [
    overview.router, documents.router, items.router, geo.router, subjects.router, stories.router,
    questions.router, corrections.router,
]  # fmt: skip
