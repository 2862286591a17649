"""Uploaded bytes become an upright RGB array of at most 640 px, or a refusal with a code and a message in Thai
and in English."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from raksa.integrations.face.image import MAX_SIDE, ImageRejected, decode_image
from raksa.integrations.face.samples import sample_photo
from raksa.testing import faces

LIMITS = {"max_bytes": 2_000_000, "max_pixels": 20_000_000}


def encoded(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **params)
    return out.getvalue()


def rejected(data: bytes, **limits) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        decode_image(data, **{**LIMITS, **limits})
    return caught.value


def test_a_webcam_jpeg_becomes_the_same_rgb_frame():
    frame = faces.sample_frame("astronaut")
    rgb = decode_image(faces.jpeg_bytes(frame, 90), **LIMITS)
    assert rgb.shape == (480, 640, 3) and rgb.dtype == np.uint8
    assert np.abs(rgb.astype(int) - frame).mean() < 3


@pytest.mark.parametrize("format", ["PNG", "WEBP"])
def test_png_and_webp_are_read(format):
    photo = sample_photo("grace_hopper")
    rgb = decode_image(encoded(Image.fromarray(photo), format, lossless=True) if format == "WEBP"
                       else encoded(Image.fromarray(photo), format), **LIMITS)
    assert rgb.shape == (600, 512, 3)
    assert np.abs(rgb.astype(int) - photo).mean() < 1


@pytest.mark.parametrize("size", [(2000, 1500), (1500, 2000), (4000, 3000)])
def test_a_large_photo_is_shrunk_to_640_px_on_its_long_side(size):
    image = Image.fromarray(faces.sample_frame("grace_hopper")).resize(size)
    rgb = decode_image(encoded(image, "JPEG", quality=80), **{**LIMITS, "max_bytes": 10_000_000})
    assert max(rgb.shape[:2]) == MAX_SIDE
    assert rgb.shape[1] / rgb.shape[0] == pytest.approx(size[0] / size[1], rel=0.01)


def test_exif_orientation_stands_a_phone_photo_upright():
    image = Image.new("RGB", (200, 100), "white")
    image.paste((255, 0, 0), (0, 0, 20, 20))  # red mark at the stored image's top left
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the stored image is to be turned 90° clockwise to be seen
    rgb = decode_image(encoded(image, "JPEG", quality=95, exif=exif.tobytes()), **LIMITS)
    assert rgb.shape == (200, 100, 3)  # now portrait
    assert rgb[5, 95, 0] > 200 and rgb[5, 95, 1] < 60  # the mark is at the top right after the turn
    assert rgb[195, 5].min() > 200


@pytest.mark.parametrize("mode", ["L", "LA", "P", "RGBA", "1"])
def test_other_8_bit_modes_become_rgb(mode):
    image = Image.fromarray(faces.sample_frame("astronaut")).convert(mode)
    rgb = decode_image(encoded(image, "PNG"), **LIMITS)
    assert rgb.shape == (480, 640, 3) and rgb.dtype == np.uint8


def test_a_cmyk_jpeg_becomes_rgb():
    image = Image.fromarray(faces.sample_frame("astronaut")).convert("CMYK")
    assert decode_image(encoded(image, "JPEG"), **LIMITS).shape == (480, 640, 3)


@pytest.mark.parametrize("data", [
    b"",
    b"hello",
    b"%PDF-1.7\n1 0 obj <<>> endobj",
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature and nothing readable
], ids=["empty", "text", "pdf", "svg", "broken-png"])
def test_what_is_not_an_image_is_refused(data):
    error = rejected(data)
    assert error.code == "NOT_AN_IMAGE"


@pytest.mark.parametrize("format", ["GIF", "BMP", "TIFF"])
def test_image_formats_a_browser_camera_does_not_send_are_refused(format):
    assert rejected(encoded(Image.new("RGB", (64, 64)), format)).code == "NOT_AN_IMAGE"


def test_an_animated_image_is_refused():
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    data = encoded(frames[0], "PNG", save_all=True, append_images=frames[1:])  # APNG
    error = rejected(data)
    assert error.code == "NOT_AN_IMAGE" and "animated" in error.message_en


def test_a_16_bit_image_is_refused():
    image = Image.fromarray(np.full((32, 32), 40000, dtype=np.uint16))
    assert rejected(encoded(image, "PNG")).code == "NOT_AN_IMAGE"


def test_a_truncated_jpeg_is_refused_even_once_the_face_engine_is_loaded():
    from raksa.integrations.face.engine import get_engine

    get_engine()  # face_recognition sets LOAD_TRUNCATED_IMAGES on import; the engine puts it back
    data = faces.jpeg_bytes(faces.sample_frame("astronaut"), 90)
    assert rejected(data[: len(data) // 2]).code == "NOT_AN_IMAGE"


def test_too_many_bytes_are_refused_before_reading():
    data = faces.jpeg_bytes(faces.sample_frame("astronaut"), 90)
    error = rejected(data, max_bytes=len(data) - 1)
    assert error.code == "IMAGE_TOO_LARGE"


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes that declares a width × height canvas (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(30_000, 30_000), (100_000, 100_000), (5_000, 5_000)])
def test_a_decompression_bomb_is_refused_from_its_header(size):
    data = png_declaring(*size)
    assert len(data) < 200
    error = rejected(data)
    assert error.code == "IMAGE_TOO_LARGE"


def test_a_real_image_over_the_pixel_limit_is_refused():
    image = Image.new("L", (3000, 3000))  # 9 megapixels of black: about 9 KB as PNG
    assert rejected(encoded(image, "PNG"), max_pixels=8_000_000).code == "IMAGE_TOO_LARGE"


def test_refusals_say_what_to_do_in_thai_and_in_english_separately():
    for error in (rejected(b"hello"), rejected(png_declaring(30_000, 30_000))):
        assert any("\u0e00" <= c <= "\u0e7f" for c in error.message_th)
        assert not any("\u0e00" <= c <= "\u0e7f" for c in error.message_en)
        assert error.message_en.endswith(".") and str(error).startswith(error.code)


def test_decode_image_takes_bytes():
    with pytest.raises(TypeError):
        decode_image("not bytes", **LIMITS)
