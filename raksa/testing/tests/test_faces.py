"""The test-face tools: the YUV4MPEG2 files hold the frames we wrote (a QR in one still decodes), and the frames
are what they claim to be. test_faces_browser.py plays the files in Chromium."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from raksa.integrations.face.samples import sample_photo
from raksa.testing import faces

FRAME_BYTES = len(b"FRAME\n") + 640 * 480 * 3 // 2


def test_write_y4m_writes_a_420_header_and_frames_that_read_back(tmp_path):
    frames = faces.head_turn_frames(sample_photo("astronaut"), 4)
    path = faces.write_y4m(frames, tmp_path / "turn.y4m", fps=10)
    data = path.read_bytes()
    header = data.split(b"\n", 1)[0]
    assert header == b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg"
    assert len(data) == len(header) + 1 + 4 * FRAME_BYTES
    back = faces.read_y4m(path)
    assert len(back) == 4
    for original, read in zip(frames, back, strict=True):
        assert np.abs(original.astype(int) - read).mean() < 4  # 4:2:0 keeps a quarter of the colour


def test_write_y4m_fits_other_sizes_into_the_webcam_frame_and_refuses_nothing_to_write(tmp_path):
    path = faces.write_y4m([sample_photo("grace_hopper")], tmp_path / "photo.y4m")
    (frame,) = faces.read_y4m(path)
    assert frame.shape == (480, 640, 3)
    assert tuple(frame[240, 10]) == pytest.approx(faces.BACKGROUND, abs=3)  # grey beside the portrait photo
    with pytest.raises(ValueError):
        faces.write_y4m([], tmp_path / "empty.y4m")


def test_y4m_from_image_shows_a_qr_code_whole(tmp_path):
    import segno
    import zxingcpp

    out = io.BytesIO()
    segno.make("RAKSA-TEST-1234", error="m").save(out, kind="png", scale=12, border=4)
    qr = np.asarray(Image.open(out).convert("RGB"))
    path = faces.y4m_from_image(qr, tmp_path / "qr.y4m", frames=3)
    frames = faces.read_y4m(path)
    assert len(frames) == 3
    assert [r.text for r in zxingcpp.read_barcodes(frames[0])] == ["RAKSA-TEST-1234"]


def test_the_transforms_keep_the_size_except_crop_and_make_what_they_say():
    photo = sample_photo("astronaut")
    for name, change in faces.SAME_FACE_CHANGES.items():
        changed = change(photo)
        assert changed.dtype == np.uint8 and changed.ndim == 3, name
        assert changed.shape == ((410, 410, 3) if name == "crop 10%" else photo.shape), name
    assert faces.dark(photo).mean() == pytest.approx(photo.mean() * 0.2, rel=0.02)
    assert faces.two_faces().shape == faces.no_face().shape == faces.gradient().shape == (480, 640, 3)
    assert not np.array_equal(faces.still_frames(photo, 2)[0], faces.still_frames(photo, 2)[1])


def test_a_webcam_frame_puts_the_face_where_and_as_large_as_asked():
    top, right, bottom, left = faces.face_box(faces.sample_frame("grace_hopper", face_width=160))
    assert 0.8 < (right - left) / 160 < 1.25  # the detector's boxes come in steps of 1.2
    assert abs((left + right) / 2 - 320) < 25 and abs((top + bottom) / 2 - 216) < 30
