"""Liveness: is there a real head in front of the counter's camera, or a picture of one?

The challenge the counter's page gives is "turn your head slightly to one side and back" while it sends a few
frames (``MIN_FRAMES`` or more, OK quality). Each frame's ``yaw`` (pose.face_yaw: where the nose sits on the
line between the eyes) changes when a real head turns, because the nose stands in front of the eyes; it does not
change when a flat picture is moved, turned, brought closer or tilted in front of the camera, because all of
that is (near enough) an affine change of the picture, and an affine change keeps a point's place along a line.
The check passes when the yaw's spread over the frames reaches ``MIN_YAW_RANGE``; when the frames carry
encodings, they must also all be the same face (``MATCH_THRESHOLD`` from the first usable frame), so that a
real head cannot turn in some frames while a photo of someone else fills the others.

What it stops:

* a printed photo or an ID card held up to the camera, held still or shaking in the hand;
* a photo or a phone screen showing a photo, moved sideways, turned, brought nearer or tilted to fake a turn
  (tilted a little, the yaw does not change; tilted far, the face's proportions do: ``LIVENESS_TILTED``);
* swapping faces between frames (when the frames are encoded).

What it does not stop, written plainly so that nobody counts on it:

* a video of the person turning their head, replayed on a screen held up to the camera (a replay has the turn);
* a 3-D mask, or a photo bent or folded in 3-D (the nose part can then move relative to the eyes);
* someone who holds the real person's face in front of the camera (a coerced or unconscious person);
* a camera feed replaced by software before it reaches the browser (a virtual webcam), which is a replay too.

These need the person's presence to be vouched for by the staff member at the counter, who sees the person; the
check only makes the cheapest attack (a photo from social media) fail. On the shipped photos a held photo's yaw
spreads up to 0.015, one swept, turned and tilted to ×0.7 up to 0.064, and a synthetic turn of about 11° 0.113
(docs/face-verification.md has the table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .engine import FaceQuality, FrameResult
from .matching import match_threshold

MIN_FRAMES = 4  # usable (OK) frames needed: two at each end of the turn (see yaw_range)
MIN_YAW_RANGE = 0.10  # about a 10° turn: over pictures' 0.064, under turns' 0.113 (7 % of the eyes' distance)
MAX_ASPECT_SPREAD = 1.15  # pose.face_aspect's spread; a real 25° turn narrows the eyes' distance by cos 25° (1.10)

PASSED = "LIVENESS_PASSED"
TOO_FEW_FRAMES = "LIVENESS_TOO_FEW_FRAMES"  # fewer than MIN_FRAMES frames with a usable face
STILL = "LIVENESS_STILL"  # the face did not turn (or it is a picture)
TILTED = "LIVENESS_TILTED"  # the face's proportions changed as a picture's do when it is tilted
FACE_CHANGED = "LIVENESS_FACE_CHANGED"  # the frames do not all show the same face


@dataclass(frozen=True)
class LivenessResult:
    passed: bool
    code: str
    yaw_range: float
    frames: int = 0  # usable frames seen


def yaw_range(yaws: Sequence[float]) -> float:
    """The spread of the yaws with the single highest and single lowest left out (each end of the turn must be
    seen in two frames): one frame whose landmarks slipped cannot make a still photo pass. 0.0 under 4 values."""
    if len(yaws) < 4:
        return 0.0
    ordered = sorted(yaws)
    return float(ordered[-2] - ordered[1])


def liveness_check(frames: list[FrameResult]) -> LivenessResult:
    """Did the face in ``frames`` (in any order) turn? See the module's docstring for what this does and does
    not stop. Frames whose quality is not OK are left out."""
    usable = [frame for frame in frames if frame.quality is FaceQuality.OK and frame.yaw is not None]
    spread = yaw_range([frame.yaw for frame in usable])
    if len(usable) < MIN_FRAMES:
        return LivenessResult(False, TOO_FEW_FRAMES, spread, len(usable))
    encodings = [frame.encoding for frame in usable if frame.encoding is not None]
    if encodings:
        first, threshold = encodings[0], match_threshold()
        if any(float(np.linalg.norm(encoding - first)) > threshold for encoding in encodings[1:]):
            return LivenessResult(False, FACE_CHANGED, spread, len(usable))
    if spread < MIN_YAW_RANGE:
        return LivenessResult(False, STILL, spread, len(usable))
    aspects = sorted(frame.aspect for frame in usable if frame.aspect is not None)
    if len(aspects) >= MIN_FRAMES and aspects[-2] / aspects[1] > MAX_ASPECT_SPREAD:
        return LivenessResult(False, TILTED, spread, len(usable))
    return LivenessResult(True, PASSED, spread, len(usable))
