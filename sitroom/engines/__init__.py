"""Execution engines: run the same per-document analysis in one process or in worker processes."""
