"""How close two face encodings must be to be taken as the same person."""

from __future__ import annotations

# Euclidean distance between dlib ResNet encodings. face_recognition's 0.6 is the point where its authors' test
# set (LFW) splits same and different people best: a tolerance for ranking, too lenient for handing a person's
# health rights to whoever stands at the counter. Measured on the shipped photos (scripts/face_calibrate.py):
#   same person, each photo against itself after flip, brightness ×0.6 and ×1.4, JPEG q=60, crop, rotation ±8°:
#       0.020 .. 0.232 (largest: the astronaut brightened ×1.4, its highlights clipped);
#   same person, the frames of a synthetic head turn: 0.048 .. 0.195; through Chromium's fake camera: 0.047;
#   different people, every change of one photo against every change of the other (90 pairs): 0.612 .. 0.706.
# 0.45 sits 0.218 above the farthest same-person frame and 0.162 under the closest pair of different people, and
# 0.15 under face_recognition's 0.6. It is not set lower because a citizen's reference and their face at the
# counter differ more than a photo and its altered copy do (years, glasses, light): that 0.6 is LFW's best split
# says that real same-person pairs reach well past our synthetic 0.23, and each refusal sends the citizen to the
# LINE fallback. Two people are a thin sample, and face_recognition's own documentation warns that the model is
# less accurate for Asian faces (different people come closer), so the threshold is a setting
# (RAKSA_FACE_MATCH_THRESHOLD) to recalibrate on consented pilot data from Thai counters.
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
