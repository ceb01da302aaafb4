"""``/entities/{key}`` and ``/places/{id}``: everything that mentions one actor or place."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
