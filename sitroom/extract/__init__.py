"""Claims (attributed statements), their modality and polarity, and events read from parsed text."""
