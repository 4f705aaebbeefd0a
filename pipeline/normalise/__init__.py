"""Normalisation stage: typed values, resolved places, cross-checks."""
