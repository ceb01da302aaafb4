"""Language processing: spaCy loading and sitroom components (entities, places, time, quantities)."""
