"""Presentation: turning workspace data into tables, reports and exports (no printing here)."""
