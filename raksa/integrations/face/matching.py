"""How close two face encodings must be to be taken as the same person."""

from __future__ import annotations

# Calibrated by scripts/face_calibrate.py on the shipped photos (placeholder until measured).
MATCH_THRESHOLD = 0.45


def match_threshold() -> float:
    """settings.RAKSA_FACE_MATCH_THRESHOLD when set, else MATCH_THRESHOLD."""
    try:
        from django.conf import settings

        if settings.configured:
            return float(getattr(settings, "RAKSA_FACE_MATCH_THRESHOLD", MATCH_THRESHOLD))
    except ImportError:
        pass
    return MATCH_THRESHOLD


def is_match(distance: float) -> bool:
    """The same person: the distance is at or under the threshold."""
    return distance <= match_threshold()
