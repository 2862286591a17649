"""Uploaded bytes (a webcam frame, a photo) into an RGB array the engine can read, or a clear refusal.

Only JPEG, PNG and WebP are opened (what a browser's canvas sends; fewer decoders, less to attack). Sizes are
checked before any pixel is decoded: the bytes against ``max_bytes``, the declared width × height against
``max_pixels`` (a decompression bomb declares a huge canvas in a few KB). Animated images and images with more
than 8 bits per channel are refused. EXIF orientation is applied (a phone's photo stands up the right way), the
image becomes RGB, and it is shrunk to at most ``MAX_SIDE`` px on its long side: the counter webcam's frames are
640 × 480, at that size a face at the counter is well over the engine's 80 px minimum, and the detector's time
grows with the pixels (a 12-megapixel phone photo would take seconds).
"""

from __future__ import annotations

import io
import warnings

import numpy as np

MAX_SIDE = 640
FORMATS = ("JPEG", "PNG", "WEBP")
MODES = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr"}  # 8 bits per channel or fewer


class ImageRejected(Exception):
    """An upload that is not an image Raksa reads. ``code``: NOT_AN_IMAGE or IMAGE_TOO_LARGE."""

    def __init__(self, code: str, message_en: str, message_th: str) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_en = message_en
        self.message_th = message_th


def _not_an_image(detail_en: str = "", detail_th: str = "") -> ImageRejected:
    return ImageRejected(
        "NOT_AN_IMAGE",
        f"This is not a photo Raksa can read{detail_en}. Send one still JPEG, PNG or WebP photo.",
        f"ไฟล์นี้ไม่ใช่ภาพที่ระบบอ่านได้{detail_th} กรุณาส่งภาพนิ่งหนึ่งภาพเป็น JPEG, PNG หรือ WebP",
    )


def _too_large(limit_en: str, limit_th: str) -> ImageRejected:
    return ImageRejected(
        "IMAGE_TOO_LARGE",
        f"The photo is too large ({limit_en}). Send a smaller photo.",
        f"ภาพมีขนาดใหญ่เกินไป ({limit_th}) กรุณาส่งภาพที่เล็กลง",
    )


def decode_image(data: bytes, *, max_bytes: int, max_pixels: int) -> np.ndarray:
    """The image in ``data`` as an H×W×3 uint8 RGB array, at most MAX_SIDE px on its long side.
    ImageRejected when it is not one (NOT_AN_IMAGE) or is over a limit (IMAGE_TOO_LARGE)."""
    from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

    # Libraries flip this process-wide switch on import (face_recognition, WeasyPrint for the statements' PDFs);
    # Raksa never wants a truncated frame decoded, so it is set back before every decode.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("decode_image() takes bytes")
    if len(data) > max_bytes:
        raise _too_large(f"over {max_bytes // 1024} KB", f"เกิน {max_bytes // 1024} KB")
    if not data:
        raise _not_an_image(" (the file is empty)", " (ไฟล์ว่าง)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(bytes(data)), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large(f"over {max_pixels:,} pixels", f"เกิน {max_pixels:,} พิกเซล") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_an_image() from error
    with image:
        width, height = image.size
        if width < 1 or height < 1:
            raise _not_an_image()
        if width * height > max_pixels:
            raise _too_large(f"{width} × {height} px, over {max_pixels:,} pixels",
                             f"{width} × {height} พิกเซล เกิน {max_pixels:,} พิกเซล")
        if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
            raise _not_an_image(" (it is animated)", " (เป็นภาพเคลื่อนไหว)")
        if image.mode not in MODES:
            raise _not_an_image(f" (colour mode {image.mode})", f" (โหมดสี {image.mode})")
        try:
            if image.format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 when that is still ≥ 640
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
            rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        except (OSError, SyntaxError, ValueError, EOFError) as error:  # truncated or corrupt pixel data
            raise _not_an_image(" (the file is damaged)", " (ไฟล์เสียหาย)") from error
    return np.asarray(rgb, dtype=np.uint8)
