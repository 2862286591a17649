"""The 68 landmarks of a face, fitted so that they follow the face rather than the detector's box, and the two
pose measures liveness reads from them (``face_yaw``, ``face_aspect``).

dlib's predictor starts from a mean face placed in the box it is given, and HOG boxes come in coarse steps (×1.2:
a face 5 % larger often gets the very same box). Three things follow, all seen on the shipped photos:

* from a box a step too large, the fit can settle on a face a size too large (on Grace Hopper: eyes on the rims
  of her glasses, mouth on her chin); the encoding is then someone else's (distance 0.50 to her own photo).
  ``fit_landmarks`` tries the detector's box, then 15 % smaller and larger, and takes the first fit whose
  aligned face chip the detector finds as one whole face;
* the fit moves by a pixel or two between two frames of the same still photo. The taken fit is fitted again from
  ``STARTS`` boxes around it (a little smaller, larger, to each side, higher, lower) and averaged;
* a photo turned 10° in the hand moves the landmarks relative to each other a little (the predictor was
  trained on upright faces). The pose is therefore read in the face's aligned chip (``pose_landmarks``: the face
  turned upright and scaled to a fixed size, as the encoder sees it), where a held photo always looks the same.

The figures (spreads of the yaw over held photos and synthetic turns, with and without each step) are in
docs/face-verification.md.
"""

from __future__ import annotations

import numpy as np

START_SCALES = (1.0, 0.85, 1.15)  # first box tried, then one HOG step smaller and larger
STARTS = ((1.0, 0.0, 0.0), (0.93, 0.0, 0.0), (1.07, 0.0, 0.0), (1.0, 0.07, 0.0), (1.0, -0.07, 0.0),
          (1.0, 0.0, 0.07), (1.0, 0.0, -0.07))  # (scale, dx, dy) of the averaged fits' boxes
BOX_WIDTH_EM = 2.3  # a HOG box is 2.1..2.7 eyes-to-mouth distances wide (the shipped photos at three sizes)
WHOLE_FACE_CHIP = (150, 0.25)  # the encoder's chip (size, padding): a good fit's face is 125 px wide in it
WHOLE_FACE_MIN_WIDTH = 110  # a fit a size too large leaves an 87 px face in that chip
POSE_CHIP = (200, 0.4)  # the chip the pose is read in: larger than the encoder's, with room around the face
POSE_CHIP_BOX = (37, 37, 162, 162)  # where the detector finds the face in every such chip (left, top, right, bottom)


def face_yaw(points: np.ndarray) -> float:
    """Where the nose (the mean of landmarks 30..35: its tip and the base below it) sits along the line from the
    left eye's centre (mean of 36..41) to the right eye's (42..47), as -1..1 (0 = midway: a frontal face; the
    sign says which way). The nose stands out of the face in front of the eyes, so turning the head moves it
    along that line (about 0.1 for a 10° turn, 0.2 for 20°); moving, turning, scaling or tilting a flat photo in
    front of the camera is an affine change of the picture, which keeps a point's position along a line.

    Chosen over the nose between the jaw ends (the first idea): both move alike in a synthetic turn, but on Grace
    Hopper the jaw ends jump to the arms of her glasses from one frame to the next."""
    left, right, nose = points[36:42].mean(axis=0), points[42:48].mean(axis=0), points[30:36].mean(axis=0)
    axis = right - left
    length = float(axis @ axis)
    if length < 1.0:
        return 0.0
    return float(2.0 * ((nose - left) @ axis) / length - 1.0)


def face_aspect(points: np.ndarray) -> float:
    """The distance between the eyes' centres over the distance from their midpoint to the mouth's centre. A
    photo tilted about its vertical axis looks narrower (×0.85 at 30°, ×0.7 at 45°); a real turn of the head
    barely changes the ratio (×0.97 at 15°)."""
    left, right = points[36:42].mean(axis=0), points[42:48].mean(axis=0)
    mouth = points[48:68].mean(axis=0)
    return float(np.linalg.norm(right - left) / max(float(np.linalg.norm(mouth - (left + right) / 2)), 1e-6))


def fit_landmarks(detector, predictor, rgb: np.ndarray, rect) -> tuple:
    """The face's 68 landmarks in ``rgb`` as (dlib shape for the encoder, array of (x, y)); see the module's
    docstring. About ten predictor runs (2 ms each) and one detection in a 150 px chip."""
    import dlib

    def fit(box) -> np.ndarray:
        return np.array([(p.x, p.y) for p in predictor(rgb, box).parts()], dtype=np.float64)

    cx, cy, half = (rect.left() + rect.right()) / 2, (rect.top() + rect.bottom()) / 2, rect.width() / 2
    first = None
    for scale in START_SCALES:
        start = dlib.rectangle(round(cx - scale * half), round(cy - scale * half),
                               round(cx + scale * half), round(cy + scale * half))
        points = fit(box_from_landmarks(fit(start)))
        first = points if first is None else first
        if _is_whole_face(detector, rgb, shape_of(points, rect)):
            break
    else:
        points = first  # no fit passed: keep the one from the detector's own box, as dlib would
    points = np.mean([fit(box_from_landmarks(points, *start)) for start in STARTS], axis=0)
    return shape_of(points, rect), points


def pose_landmarks(detector, predictor, rgb: np.ndarray, shape) -> np.ndarray:
    """The 68 landmarks fitted again in the face's aligned POSE_CHIP (upright, fixed size), in chip pixels."""
    import dlib

    size, padding = POSE_CHIP
    chip = np.ascontiguousarray(dlib.get_face_chip(rgb, shape, size=size, padding=padding))
    _, points = fit_landmarks(detector, predictor, chip, dlib.rectangle(*POSE_CHIP_BOX))
    return points


def shape_of(points: np.ndarray, rect):
    import dlib

    return dlib.full_object_detection(rect, [dlib.point(round(x), round(y)) for x, y in points])


def box_from_landmarks(points: np.ndarray, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0):
    """Where the HOG detector's box sits on a frontal face, from its landmarks: centred half the eyes-to-mouth
    distance (em) below the eyes' midpoint, BOX_WIDTH_EM em wide; then scaled by ``scale``, moved (dx, dy) em."""
    import dlib

    eyes = (points[36:42].mean(axis=0) + points[42:48].mean(axis=0)) / 2
    em = float(np.linalg.norm(points[48:68].mean(axis=0) - eyes))
    half = BOX_WIDTH_EM * em * scale / 2
    cx, cy = eyes[0] + dx * em, eyes[1] + (0.5 + dy) * em
    return dlib.rectangle(round(cx - half), round(cy - half), round(cx + half), round(cy + half))


def _is_whole_face(detector, rgb: np.ndarray, shape) -> bool:
    """The encoder's aligned chip of this fit holds one whole face where a good fit puts it."""
    import dlib

    size, padding = WHOLE_FACE_CHIP
    chip = np.ascontiguousarray(dlib.get_face_chip(rgb, shape, size=size, padding=padding))
    rects, _, _ = detector.run(chip, 0, 0.0)
    return any(rect.width() >= WHOLE_FACE_MIN_WIDTH for rect in rects)
