"""Cross-document analysis: stories, stance, corroboration and contradiction between reports."""
