"""Find the faces in one frame, check the largest one's quality, encode it; compare two encodings.

``DlibFaceEngine`` uses face_recognition's models (dlib, weights from face_recognition_models): the HOG
frontal-face detector, the 68-point landmark predictor and the ResNet encoder (128 floats per face). The models
are loaded once per process, on first use, under a lock; each analysis runs under a second lock because dlib's
detector and network keep scratch state in the object (dlib's documentation: not safe for concurrent use), so a
process analyses one frame at a time (about 0.15 s; see bench/face.py).

How a frame is read, in order (the first that applies is the answer):

* detection: HOG at the frame's own size (no upsampling). The detector's window is 80 × 80 px, so it finds
  faces from about 80 px wide, which is our ``MIN_FACE_WIDTH`` anyway; upsampling once would find faces from
  40 px but costs four times as long and finds more false faces (the mission patch on the astronaut's suit).
  Only when nothing is found is the frame searched once more upsampled, to tell "come closer" (``TOO_SMALL``)
  from "no face". Detections scoring under ``MIN_DETECTION_SCORE`` are not faces.
* ``NO_FACE`` (or ``TOO_DARK`` when the whole frame is under ``MIN_BRIGHTNESS``: the face may be there, unseen);
* ``TOO_SMALL``: the largest face is narrower than ``MIN_FACE_WIDTH``;
* ``SEVERAL_FACES``: another face is at least ``SEVERAL_FACES_RATIO`` as wide as the largest (someone beside
  the citizen). Smaller faces (people further back, a face on a poster) are ignored: the largest face is the
  one encoded, and a face under half its size is not the one the camera is pointed at;
* ``TOO_DARK`` / ``BLURRED``: the largest face's box is darker than ``MIN_BRIGHTNESS`` or less sharp than
  ``MIN_SHARPNESS``;
* ``OK``: the encoding is computed (unless ``encode=False``).

``yaw`` and ``aspect`` (for liveness.py) are measured when the quality is OK, from the face's 68 landmarks
(pose.py says how they are fitted); the encoder aligns the face with the same landmarks.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

import numpy as np

from .pose import face_aspect, face_yaw, fit_landmarks, pose_landmarks

# Quality thresholds. Chosen on the shipped photos (scripts/face_calibrate.py prints the figures) so that the
# transformations a counter webcam produces (brightness ×0.6..×1.4, JPEG q=60, ±8° rotation, crop, flip) stay OK
# and the clearly bad frames (brightness ×0.2, Gaussian blur σ=3 px on a 512 px photo) do not:
MIN_FACE_WIDTH = 80  # px, the detector's box (about eyebrows to chin). The HOG window is 80 px; the encoder
#                      works on a 150 px chip, so a narrower face is blown up to nearly twice its size.
MIN_DETECTION_SCORE = 0.3  # HOG score. Real faces scored 0.45..1.67 (0.45: Grace Hopper rotated 8°); the false
#                            faces seen scored 0.26 (the astronaut's mission patch after JPEG q=60) and 0.01.
SEVERAL_FACES_RATIO = 0.5  # another face at least half as wide as the largest counts as a second person
MIN_BRIGHTNESS = 40.0  # mean luma (0..255) of the face box. The photos' faces: 170 and 129; ×0.6: 102 and 77;
#                        ×0.25: 42 and 32 (distance to the original 0.20/0.21); ×0.15: 25 and 19 (0.27/0.26).
#                        Under 40 the encoding has drifted 0.2 and more: almost half the match threshold.
MIN_SHARPNESS = 0.02  # variance of the Laplacian over the variance of the pixels, on the face box resized to
#                       SHARPNESS_SIZE (so it is the same for a near or far face, and for a dim or bright one).
#                       Originals 0.067 (astronaut, a soft scan) and 0.43; rotated 8° (bilinear) 0.039 and
#                       0.32; JPEG q=60 0.060 and 0.46; blur σ=1 px 0.010 (distance 0.22) and 0.14 (0.09; her
#                       face is 215 px wide, so 1 px is little); σ=2 px 0.003 (0.39) and 0.034 (0.17); σ=3 px
#                       0.002 (0.48) and 0.013 (0.27).
SHARPNESS_SIZE = 128  # px: the face box is resampled to this square before the Laplacian
DETECT_UPSAMPLE = 0
SMALL_FACE_UPSAMPLE = 1  # the second pass, only when the first found nothing
ENCODE_JITTERS = 1  # dlib's num_jitters: 1 = the face once (more = slower, barely better)

DEFAULT_ENGINE = "raksa.integrations.face.engine.DlibFaceEngine"


class FaceQuality(StrEnum):
    OK = "ok"
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_SMALL = "too_small"
    TOO_DARK = "too_dark"
    BLURRED = "blurred"


# eq=False: the encoding is an array, and a generated __eq__ would compare arrays (ambiguous truth value).
@dataclass(frozen=True, eq=False)
class FrameResult:
    quality: FaceQuality
    encoding: np.ndarray | None  # 128 floats, only when quality is OK and encode=True
    box: tuple[int, int, int, int] | None  # (top, right, bottom, left) of the largest face, None when none found
    yaw: float | None  # liveness pose measure (pose.face_yaw), only when quality is OK
    brightness: float  # mean luma 0..255 of the face box (of the whole frame when no face was found)
    sharpness: float  # see MIN_SHARPNESS (0.0 when no face was found)
    faces: int = 0  # faces found (MIN_DETECTION_SCORE and over), before the size rules
    score: float | None = None  # the largest face's detection score
    aspect: float | None = None  # pose.face_aspect, for liveness (a tilted picture), only when quality is OK
    # the largest face's 68 landmarks (x, y) in dlib's order; for tests and drawing, never to be stored
    landmarks: np.ndarray | None = None

    @property
    def ok(self) -> bool:
        return self.quality is FaceQuality.OK


@runtime_checkable
class FaceEngine(Protocol):
    def analyse(self, rgb: np.ndarray, *, encode: bool = True) -> FrameResult: ...

    def distance(self, a: np.ndarray, b: np.ndarray) -> float: ...


class FaceEngineUnavailable(Exception):
    """The face engine cannot run here (dlib or a model file missing, or the configured engine unknown): the
    domain answers 503 and offers the LINE fallback."""


def luma(rgb: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma of an RGB array, as floats 0..255."""
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def sharpness(gray: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian over the variance of the pixels (numpy only): high for crisp edges,
    near 0 for a blurred or flat patch, and unchanged when the patch is made darker or brighter."""
    g = np.asarray(gray, dtype=np.float64)
    if g.shape[0] < 3 or g.shape[1] < 3:
        return 0.0
    lap = g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4.0 * g[1:-1, 1:-1]
    spread = g.var()
    return float(lap.var() / spread) if spread > 1e-6 else 0.0


def _face_box_stats(rgb: np.ndarray, box: tuple[int, int, int, int]) -> tuple[float, float]:
    from PIL import Image

    top, right, bottom, left = box
    patch = np.ascontiguousarray(rgb[max(top, 0):max(bottom, 0), max(left, 0):max(right, 0)])
    if patch.size == 0:
        return 0.0, 0.0
    gray = luma(patch.astype(np.float32))
    brightness = float(gray.mean())
    small = Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8)).resize(
        (SHARPNESS_SIZE, SHARPNESS_SIZE), Image.Resampling.BILINEAR)
    return brightness, sharpness(np.asarray(small))


class _Models:
    """face_recognition's HOG detector, 68-point predictor and ResNet encoder, loaded once per process."""

    _lock = threading.Lock()
    _loaded: tuple | None = None
    in_use = threading.Lock()  # held while a frame is analysed with them (shared by every engine instance)

    @classmethod
    def get(cls) -> tuple:
        if cls._loaded is None:
            with cls._lock:
                if cls._loaded is None:
                    cls._loaded = _load_models()
        return cls._loaded


def _load_models() -> tuple:
    try:
        import dlib  # noqa: F401  (dlib-bin: a wheel, never compiled here)
        import face_recognition_models
    except Exception as error:  # ImportError, or pkg_resources missing (setuptools>=81)
        raise FaceEngineUnavailable(f"dlib or face_recognition_models cannot be imported: {error}") from error
    from pathlib import Path

    for locate in (face_recognition_models.pose_predictor_model_location,
                   face_recognition_models.face_recognition_model_location,
                   face_recognition_models.pose_predictor_five_point_model_location,
                   face_recognition_models.cnn_face_detector_model_location):
        if not Path(locate()).is_file():  # face_recognition.api loads all four at import
            raise FaceEngineUnavailable(f"face model file missing: {locate()}")
    try:
        # face_recognition.api calls quit() (SystemExit) when it cannot import face_recognition_models: checked
        # above, and caught here all the same so that a worker never exits over it.
        import face_recognition.api as api
    except (Exception, SystemExit) as error:
        raise FaceEngineUnavailable(f"face_recognition cannot be loaded: {error!r}") from error
    # face_recognition.api sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process on import; Raksa refuses
    # truncated uploads (image.decode_image), so it is put back.
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return api.face_detector, api.pose_predictor_68_point, api.face_encoder


class DlibFaceEngine:
    """The engine of face_recognition (dlib): see the module's docstring for how a frame is read."""

    def load(self) -> None:
        """Load the models now (they are otherwise loaded by the first analysis); FaceEngineUnavailable if not."""
        _Models.get()

    def analyse(self, rgb: np.ndarray, *, encode: bool = True) -> FrameResult:
        if not (isinstance(rgb, np.ndarray) and rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.uint8):
            raise ValueError("analyse() takes an H×W×3 uint8 RGB array")
        rgb = np.ascontiguousarray(rgb)
        detector, predictor, encoder = _Models.get()
        with _Models.in_use:
            return self._analyse(rgb, encode, detector, predictor, encoder)

    def _analyse(self, rgb, encode, detector, predictor, encoder) -> FrameResult:
        faces = self._detect(detector, rgb, DETECT_UPSAMPLE) or self._detect(detector, rgb, SMALL_FACE_UPSAMPLE)
        if not faces:
            brightness = float(luma(rgb.astype(np.float32)).mean())
            quality = FaceQuality.TOO_DARK if brightness < MIN_BRIGHTNESS else FaceQuality.NO_FACE
            return FrameResult(quality, None, None, None, brightness, 0.0)
        faces.sort(key=lambda face: face[0].width(), reverse=True)
        rect, score = faces[0]
        box = (rect.top(), rect.right(), rect.bottom(), rect.left())
        shape, points = fit_landmarks(detector, predictor, rgb, rect)
        brightness, sharp = _face_box_stats(rgb, box)
        width = rect.width()
        if width < MIN_FACE_WIDTH:
            quality = FaceQuality.TOO_SMALL
        elif any(other.width() >= SEVERAL_FACES_RATIO * width for other, _ in faces[1:]):
            quality = FaceQuality.SEVERAL_FACES
        elif brightness < MIN_BRIGHTNESS:
            quality = FaceQuality.TOO_DARK
        elif sharp < MIN_SHARPNESS:
            quality = FaceQuality.BLURRED
        else:
            quality = FaceQuality.OK
        encoding = yaw = aspect = None
        if quality is FaceQuality.OK:
            upright = pose_landmarks(detector, predictor, rgb, shape)
            yaw, aspect = face_yaw(upright), face_aspect(upright)
            if encode:
                encoding = np.array(encoder.compute_face_descriptor(rgb, shape, ENCODE_JITTERS), dtype=np.float64)
        return FrameResult(quality, encoding, box, yaw, brightness, sharp, faces=len(faces), score=score,
                           aspect=aspect, landmarks=points)

    @staticmethod
    def _detect(detector, rgb: np.ndarray, upsample: int) -> list:
        rects, scores, _ = detector.run(rgb, upsample, 0.0)
        return [(rect, float(score)) for rect, score in zip(rects, scores, strict=True)
                if score >= MIN_DETECTION_SCORE]

    def distance(self, a: np.ndarray, b: np.ndarray) -> float:
        """Euclidean distance between two encodings (face_recognition's face_distance): 0 = the same image."""
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a.shape != (128,) or b.shape != (128,):
            raise ValueError("face encodings are 128 floats")
        return float(np.linalg.norm(a - b))


_engines: dict[str, FaceEngine] = {}
_engines_lock = threading.Lock()


def get_engine() -> FaceEngine:
    """The configured engine (settings.RAKSA_FACE_ENGINE, a dotted path to a class; DlibFaceEngine by default),
    one instance per process, models loaded. FaceEngineUnavailable when it cannot run here."""
    path = DEFAULT_ENGINE
    try:
        from django.conf import settings

        if settings.configured:
            path = getattr(settings, "RAKSA_FACE_ENGINE", DEFAULT_ENGINE) or DEFAULT_ENGINE
    except ImportError:
        pass
    with _engines_lock:
        engine = _engines.get(path)
        if engine is None:
            module_name, _, class_name = path.rpartition(".")
            try:
                engine = getattr(importlib.import_module(module_name), class_name)()
            except (ImportError, AttributeError, ValueError) as error:
                raise FaceEngineUnavailable(f"RAKSA_FACE_ENGINE {path!r} cannot be loaded: {error}") from error
            load = getattr(engine, "load", None)
            if load is not None:
                load()  # FaceEngineUnavailable passes through; nothing is cached, the next call tries again
            _engines[path] = engine
    return engine
