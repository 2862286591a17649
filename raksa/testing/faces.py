"""Test faces: the shipped photos (raksa.integrations.face.samples) changed as a counter webcam would change them,
synthetic head turns and held-up photos for liveness, and YUV4MPEG2 files for Chromium's fake webcam.

Everything is numpy and Pillow, made at run time from the shipped photos (nothing downloaded, nothing stored).
Frames for the webcam are 640 × 480 (``WEBCAM``), the size the counter's page asks the camera for.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from raksa.integrations.face.engine import FaceEngine, get_engine
from raksa.integrations.face.samples import SampleName, sample_photo

WEBCAM = (640, 480)  # width, height
BACKGROUND = (128, 128, 128)  # what is around a photo held up in front of the camera


# --- one photo, changed -----------------------------------------------------------------------------------------

def flip(rgb: np.ndarray) -> np.ndarray:
    """Mirror image (a selfie camera's preview)."""
    return np.ascontiguousarray(rgb[:, ::-1])


def brightness(rgb: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(rgb.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def jpeg(rgb: np.ndarray, quality: int = 60) -> np.ndarray:
    """Encoded as JPEG at ``quality`` and decoded again."""
    return np.asarray(Image.open(io.BytesIO(jpeg_bytes(rgb, quality))).convert("RGB"))


def jpeg_bytes(rgb: np.ndarray, quality: int = 85) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=quality)
    return out.getvalue()


def png_bytes(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "PNG")
    return out.getvalue()


def crop(rgb: np.ndarray, margin: float = 0.1) -> np.ndarray:
    """``margin`` of the width and of the height cut from each side."""
    height, width = rgb.shape[:2]
    dy, dx = int(height * margin), int(width * margin)
    return np.ascontiguousarray(rgb[dy:height - dy, dx:width - dx])


def rotate(rgb: np.ndarray, degrees: float) -> np.ndarray:
    """Turned ``degrees`` counter-clockwise about the centre (bilinear), same size, grey corners."""
    return np.asarray(Image.fromarray(rgb).rotate(degrees, resample=Image.Resampling.BILINEAR,
                                                  fillcolor=BACKGROUND))


def dark(rgb: np.ndarray) -> np.ndarray:
    """A face in a badly lit room: a fifth of the light (the engine says TOO_DARK)."""
    return brightness(rgb, 0.2)


def blurred(rgb: np.ndarray, sigma: float = 3.0) -> np.ndarray:
    """Out of focus: Gaussian blur of ``sigma`` px (the engine says BLURRED)."""
    return np.asarray(Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(sigma)))


# The changes under which a face must still match itself (tests and scripts/face_calibrate.py).
SAME_FACE_CHANGES = {
    "flip": flip,
    "brightness ×0.6": lambda rgb: brightness(rgb, 0.6),
    "brightness ×1.4": lambda rgb: brightness(rgb, 1.4),
    "JPEG q=60": jpeg,
    "crop 10%": crop,
    "rotate +8°": lambda rgb: rotate(rgb, 8),
    "rotate −8°": lambda rgb: rotate(rgb, -8),
}


# --- frames like the webcam's -----------------------------------------------------------------------------------

def face_box(rgb: np.ndarray, engine: FaceEngine | None = None) -> tuple[int, int, int, int]:
    """(top, right, bottom, left) of the largest face the engine finds; AssertionError when there is none."""
    result = (engine or get_engine()).analyse(rgb, encode=False)
    assert result.box is not None, f"no face found ({result.quality})"
    return result.box


def fit(rgb: np.ndarray, size: tuple[int, int] = WEBCAM) -> np.ndarray:
    """The whole image, scaled to fit ``size`` (width, height) and centred on grey (a QR must stay whole)."""
    width, height = size
    image = Image.fromarray(rgb)
    scale = min(width / image.width, height / image.height)
    image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                         Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", size, BACKGROUND)
    canvas.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    return np.asarray(canvas)


def webcam_frame(photo: np.ndarray, *, face_width: int = 160, engine: FaceEngine | None = None,
                 centre: tuple[float, float] = (0.5, 0.45)) -> np.ndarray:
    """A 640 × 480 frame of ``photo`` scaled so that its face is ``face_width`` px wide, the face at ``centre``
    (fractions of the frame); where the photo does not reach, grey (the photo held up in front of a wall)."""
    top, right, bottom, left = face_box(photo, engine)
    scale = face_width / (right - left)
    # Scaled by Pillow (antialiased: a bilinear sampler alone aliases fine detail when shrinking, and the
    # landmarks then jitter from frame to frame), then placed on the grey frame at whole pixels.
    image = Image.fromarray(photo)
    image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                         Image.Resampling.LANCZOS)
    fx, fy = (left + right) / 2 * scale, (top + bottom) / 2 * scale
    canvas = Image.new("RGB", WEBCAM, BACKGROUND)
    canvas.paste(image, (round(centre[0] * WEBCAM[0] - fx), round(centre[1] * WEBCAM[1] - fy)))
    return np.asarray(canvas)


def sample_frame(name: SampleName, *, face_width: int = 160) -> np.ndarray:
    """A 640 × 480 webcam frame of a shipped photo."""
    return webcam_frame(sample_photo(name), face_width=face_width)


def two_faces(face_width: int = 150) -> np.ndarray:
    """Both shipped photos side by side in one 640 × 480 frame, faces the same size (SEVERAL_FACES)."""
    halves = [webcam_frame(sample_photo(name), face_width=face_width, centre=(0.5, 0.45))[:, 160:480]
              for name in ("astronaut", "grace_hopper")]
    return np.ascontiguousarray(np.concatenate(halves, axis=1))


def no_face() -> np.ndarray:
    """scikit-image's coffee cup (a shipped photo with no face), 640 × 480."""
    import importlib.resources

    with Image.open(importlib.resources.files("skimage.data") / "coffee.png") as image:
        return fit(np.asarray(image.convert("RGB")))


def gradient() -> np.ndarray:
    """A plain 640 × 480 grey-to-white gradient (an empty wall)."""
    row = np.linspace(60, 230, WEBCAM[0], dtype=np.float32)
    return np.repeat(np.repeat(row[None, :, None], WEBCAM[1], axis=0), 3, axis=2).astype(np.uint8)


# --- liveness: a head that turns, a photo that does not ----------------------------------------------------------

def head_turn_frames(photo: np.ndarray, n: int = 8, *, amplitude: float = 0.2, spread: float = 0.7,
                     face_width: int = 160, engine: FaceEngine | None = None) -> list[np.ndarray]:
    """A synthetic live head turn to one side and back, ``n`` 640 × 480 frames.

    A flat photo cannot turn, so the face is warped in a way no affine change of a photo can imitate: a smooth
    Gaussian displacement field centred on the nose (width ``spread`` × the distance between the eyes) pushes
    the nose sideways by up to ``amplitude`` × that distance, the eyes about half as far and the ends of the jaw
    a quarter as far: the nose moves against the eyes as in a small real turn (the default reads like a turn of
    about 15°). The displacement rises and falls as a half sine over the frames (0 in the first and last)."""
    frame = webcam_frame(photo, face_width=face_width, engine=engine)
    points = (engine or get_engine()).analyse(frame, encode=False).landmarks
    assert points is not None, "no face found in the webcam frame"
    nose = points[30:36].mean(axis=0)
    eyes = float(np.linalg.norm(points[42:48].mean(axis=0) - points[36:42].mean(axis=0)))
    sigma = spread * eyes
    ys, xs = np.mgrid[0:frame.shape[0], 0:frame.shape[1]].astype(np.float32)
    bump = np.exp(-((xs - nose[0]) ** 2 + (ys - nose[1]) ** 2) / (2 * sigma**2))
    frames = []
    for i in range(n):
        shift = amplitude * eyes * math.sin(math.pi * i / max(n - 1, 1))
        # output pixel (x, y) shows the frame's pixel (x - shift·bump, y): the nose moves by +shift
        frames.append(_sample(frame, xs - shift * bump, ys))
    return frames


def still_frames(photo: np.ndarray, n: int = 8, *, seed: int = 0, face_width: int = 160,
                 engine: FaceEngine | None = None) -> list[np.ndarray]:
    """A photo (or a phone showing it) held up to the camera by a hand that is not quite still: each frame the
    same picture shifted up to 12 px, scaled ±5 % and turned ±4° (affine jitter only). Must fail liveness."""
    rng = random.Random(seed)
    frame = webcam_frame(photo, face_width=face_width, engine=engine)
    return [_similar(frame, dx=rng.uniform(-12, 12), dy=rng.uniform(-12, 12), scale=rng.uniform(0.95, 1.05),
                     degrees=rng.uniform(-4, 4)) for _ in range(n)]


def moved_photo_frames(photo: np.ndarray, n: int = 8, *, squeeze: float = 0.85, face_width: int = 160,
                       engine: FaceEngine | None = None) -> list[np.ndarray]:
    """A photo deliberately moved to fake a turn: swept 80 px sideways and back, turned up to 10°, brought 15 %
    closer, and tilted about its vertical axis so that it looks up to ``squeeze`` as wide (0.85: a tilt of
    about 30°; 0.7: 45°). All affine: the nose keeps its place between the eyes, so this must fail liveness."""
    frame = webcam_frame(photo, face_width=face_width, engine=engine)
    frames = []
    for i in range(n):
        phase = math.sin(math.pi * i / max(n - 1, 1))
        frames.append(_similar(frame, dx=80 * phase, dy=0, scale=1 + 0.15 * phase, degrees=10 * phase,
                               squeeze=1 - (1 - squeeze) * phase))
    return frames


def _similar(frame: np.ndarray, *, dx: float, dy: float, scale: float, degrees: float,
             squeeze: float = 1.0) -> np.ndarray:
    """``frame`` turned ``degrees`` and scaled about its centre (x scaled again by ``squeeze``), then shifted."""
    height, width = frame.shape[:2]
    cx, cy = width / 2, height / 2
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    # forward: p' = c + R·S·(p - c) + d, with S = diag(scale·squeeze, scale); the sampler wants the inverse
    a, b = cos * scale * squeeze, -sin * scale
    c, d = sin * scale * squeeze, cos * scale
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    ox, oy = cx + dx, cy + dy
    return _affine(frame, (ia, ib, cx - ia * ox - ib * oy, ic, id_, cy - ic * ox - id_ * oy), (width, height))


def _affine(rgb: np.ndarray, inverse: Sequence[float], size: tuple[int, int]) -> np.ndarray:
    """An image of ``size`` (width, height) whose pixel (x, y) is ``rgb`` at (a·x + b·y + c, d·x + e·y + f)."""
    a, b, c, d, e, f = inverse
    ys, xs = np.mgrid[0:size[1], 0:size[0]].astype(np.float32)
    return _sample(rgb, a * xs + b * ys + c, d * xs + e * ys + f)


def _sample(rgb: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``rgb`` at float coordinates; outside the image, BACKGROUND."""
    height, width = rgb.shape[:2]
    inside = (x >= 0) & (x <= width - 1) & (y >= 0) & (y <= height - 1)
    x = np.clip(x, 0, width - 1)
    y = np.clip(y, 0, height - 1)
    x0 = np.minimum(np.floor(x).astype(np.intp), width - 2)
    y0 = np.minimum(np.floor(y).astype(np.intp), height - 2)
    fx = (x - x0)[..., None]
    fy = (y - y0)[..., None]
    src = rgb.astype(np.float32)
    top = src[y0, x0] * (1 - fx) + src[y0, x0 + 1] * fx
    bottom = src[y0 + 1, x0] * (1 - fx) + src[y0 + 1, x0 + 1] * fx
    out = top * (1 - fy) + bottom * fy
    out[~inside] = BACKGROUND
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


# --- Chromium's fake webcam ---------------------------------------------------------------------------------------

def fake_webcam_args(y4m: str | Path) -> list[str]:
    """Chromium's switches to use ``y4m`` as its camera, with the permission granted (no prompt)."""
    return ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={Path(y4m).resolve()}"]


def write_y4m(frames: Iterable[np.ndarray], path: str | Path, fps: int = 10) -> Path:
    """Write RGB frames as a YUV4MPEG2 file (4:2:0, JPEG chroma siting) that Chromium plays as its camera, looping:
    ``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE.y4m`` (fake_webcam_args). The
    samples are BT.601 video range (Y 16..235), which is how Chromium reads them: written full range, the page's
    frames came out with more contrast (grey 60 read as 51, 208 as 223). Frames not 640 × 480 are fitted into it
    (``fit``)."""
    path = Path(path)
    width, height = WEBCAM
    count = 0
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for rgb in frames:
            if rgb.shape[:2] != (height, width):
                rgb = fit(rgb)
            ycbcr = np.asarray(Image.fromarray(np.ascontiguousarray(rgb)).convert("YCbCr"), dtype=np.float32)
            luma = 16 + ycbcr[..., 0] * (219 / 255)  # full range (JPEG) to video range, as Chromium reads it
            chroma = [128 + (ycbcr[..., k].reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)) - 128)
                      * (224 / 255) for k in (1, 2)]
            out.write(b"FRAME\n")
            for plane in (luma, *chroma):
                out.write(np.clip(np.rint(plane), 0, 255).astype(np.uint8).tobytes())
            count += 1
    if not count:
        raise ValueError("write_y4m() needs at least one frame")
    return path


def y4m_from_image(rgb: np.ndarray, path: str | Path, *, frames: int = 10, fps: int = 10) -> Path:
    """A still fake-webcam file showing ``rgb`` whole (fitted to 640 × 480 on grey), e.g. a QR code."""
    frame = fit(rgb)
    return write_y4m((frame for _ in range(frames)), path, fps=fps)


def read_y4m(path: str | Path) -> list[np.ndarray]:
    """The frames of a file write_y4m wrote, as RGB (for tests of the writer)."""
    data = Path(path).read_bytes()
    header, _, body = data.partition(b"\n")
    fields = {token[:1]: token[1:] for token in header.split()[1:]}
    width, height = int(fields[b"W"]), int(fields[b"H"])
    luma_size, chroma_size = width * height, (width // 2) * (height // 2)
    frame_size = len(b"FRAME\n") + luma_size + 2 * chroma_size
    frames = []
    for offset in range(0, len(body), frame_size):
        chunk = body[offset:offset + frame_size]
        assert chunk.startswith(b"FRAME\n"), "not a frame"
        planes = np.frombuffer(chunk[6:], dtype=np.uint8)
        y = planes[:luma_size].reshape(height, width)
        cb, cr = (planes[luma_size + k * chroma_size:luma_size + (k + 1) * chroma_size]
                  .reshape(height // 2, width // 2).repeat(2, axis=0).repeat(2, axis=1) for k in (0, 1))
        full = np.stack([(y - 16.0) * (255 / 219), 128 + (cb - 128.0) * (255 / 224), 128 + (cr - 128.0) * (255 / 224)],
                        axis=2)
        frames.append(np.asarray(Image.fromarray(np.clip(np.rint(full), 0, 255).astype(np.uint8), "YCbCr")
                                 .convert("RGB")))
    return frames
