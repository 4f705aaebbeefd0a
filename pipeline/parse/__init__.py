"""Parse stage: a spaCy pipeline of rule components reads every fact kind."""
