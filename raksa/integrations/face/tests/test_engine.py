"""The face engine on the shipped photos: the same face still matches after what a webcam does to it, two people
do not, and each bad frame gets its quality code. Distances are printed (pytest -s) to compare with the figures in
docs/face-verification.md."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from raksa.integrations.face import engine as engine_module
from raksa.integrations.face.engine import (
    MIN_FACE_WIDTH,
    DlibFaceEngine,
    FaceEngineUnavailable,
    FaceQuality,
    FrameResult,
    get_engine,
)
from raksa.integrations.face.matching import MATCH_THRESHOLD, is_match
from raksa.integrations.face.samples import SAMPLE_NAMES, sample_path, sample_photo
from raksa.testing import faces

CHANGES = list(faces.SAME_FACE_CHANGES)


@pytest.fixture(scope="module")
def engine():
    return get_engine()


@pytest.fixture(scope="module")
def reference(engine):
    """Each photo's encoding as taken (what enrolment stores)."""
    encodings = {}
    for name in SAMPLE_NAMES:
        result = engine.analyse(sample_photo(name))
        assert result.quality is FaceQuality.OK, (name, result.quality)
        encodings[name] = result.encoding
    return encodings


def test_the_test_photos_ship_inside_the_installed_packages():
    import matplotlib
    import skimage

    assert sample_path("astronaut").is_relative_to(Path(skimage.__file__).parent)
    assert sample_path("grace_hopper").is_relative_to(Path(matplotlib.__file__).parent)
    assert sample_photo("astronaut").shape == (512, 512, 3)
    assert sample_photo("grace_hopper").shape == (600, 512, 3)
    photo = sample_photo("astronaut")
    photo[:] = 0  # a copy: the next caller gets the photo again
    assert sample_photo("astronaut").any()


def test_a_photo_as_taken_is_one_ok_face_with_an_encoding_and_a_pose(engine, reference):
    result = engine.analyse(sample_photo("grace_hopper"))
    assert result.quality is FaceQuality.OK and result.ok
    assert result.encoding.shape == (128,) and result.encoding.dtype == np.float64
    top, right, bottom, left = result.box
    assert 150 < right - left < 260 and 100 < top < bottom < 450 and 100 < left < right < 450
    assert result.faces == 1 and result.score > 1.0
    assert result.landmarks.shape == (68, 2)
    assert -0.3 < result.yaw < 0.3 and result.aspect > 0.5
    assert engine.distance(result.encoding, reference["grace_hopper"]) == 0.0


@pytest.mark.parametrize("name", SAMPLE_NAMES)
@pytest.mark.parametrize("change", CHANGES)
def test_the_same_face_matches_after_a_webcam_change(engine, reference, name, change):
    result = engine.analyse(faces.SAME_FACE_CHANGES[change](sample_photo(name)))
    assert result.quality is FaceQuality.OK, result
    distance = engine.distance(result.encoding, reference[name])
    print(f"{name} {change}: {distance:.3f}")
    assert distance < MATCH_THRESHOLD and is_match(distance)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_same_face_matches_in_a_640_by_480_webcam_frame(engine, reference, name):
    result = engine.analyse(faces.sample_frame(name))
    distance = engine.distance(result.encoding, reference[name])
    print(f"{name} webcam frame: {distance:.3f}")
    assert result.quality is FaceQuality.OK and distance < MATCH_THRESHOLD


def test_two_different_people_do_not_match_under_any_change(engine, reference):
    astronaut = [engine.analyse(change(sample_photo("astronaut"))).encoding
                 for change in faces.SAME_FACE_CHANGES.values()]
    distances = [engine.distance(a, reference["grace_hopper"]) for a in astronaut]
    distances.append(engine.distance(reference["astronaut"], reference["grace_hopper"]))
    print("astronaut vs grace_hopper: " + " ".join(f"{d:.3f}" for d in distances))
    assert min(distances) > MATCH_THRESHOLD
    assert not is_match(min(distances))


@pytest.mark.parametrize("frame", [faces.no_face, faces.gradient], ids=["coffee", "gradient"])
def test_a_frame_without_a_face_is_no_face(engine, frame):
    result = engine.analyse(frame())
    assert result.quality is FaceQuality.NO_FACE
    assert result.box is None and result.encoding is None and result.yaw is None


def test_two_faces_of_a_size_are_several_faces_and_nothing_is_encoded(engine):
    result = engine.analyse(faces.two_faces())
    assert result.quality is FaceQuality.SEVERAL_FACES
    assert result.faces == 2 and result.encoding is None and result.box is not None


def test_a_much_smaller_face_behind_the_citizen_is_ignored_and_the_largest_is_encoded(engine, reference):
    frame = Image.fromarray(faces.sample_frame("grace_hopper", face_width=200))
    small = Image.fromarray(faces.sample_frame("astronaut", face_width=90)).crop((180, 60, 460, 300))
    frame.paste(small, (400, 0))  # a face 90 px wide top right, under half the 200 px face
    result = engine.analyse(np.asarray(frame))
    assert result.faces == 2
    assert result.quality is FaceQuality.OK
    assert engine.distance(result.encoding, reference["grace_hopper"]) < MATCH_THRESHOLD


def test_a_face_far_from_the_camera_is_too_small(engine):
    result = engine.analyse(faces.sample_frame("grace_hopper", face_width=55))
    assert result.quality is FaceQuality.TOO_SMALL
    top, right, bottom, left = result.box
    assert right - left < MIN_FACE_WIDTH and result.encoding is None


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_dark_face_is_too_dark(engine, name):
    result = engine.analyse(faces.dark(sample_photo(name)))
    assert result.quality is FaceQuality.TOO_DARK and result.encoding is None
    assert result.box is not None  # the face was found: the message can say "more light", not "no face"


def test_a_dark_frame_where_no_face_is_found_is_too_dark_rather_than_no_face(engine):
    result = engine.analyse(faces.brightness(faces.gradient(), 0.1))
    assert result.quality is FaceQuality.TOO_DARK and result.box is None


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_blurred_face_is_blurred(engine, name):
    result = engine.analyse(faces.blurred(sample_photo(name)))
    assert result.quality is FaceQuality.BLURRED and result.encoding is None


def test_encode_false_checks_quality_and_pose_without_encoding(engine):
    result = engine.analyse(faces.sample_frame("astronaut"), encode=False)
    assert result.quality is FaceQuality.OK and result.encoding is None and result.yaw is not None


@pytest.mark.parametrize("array", [
    np.zeros((10, 10), dtype=np.uint8),
    np.zeros((10, 10, 4), dtype=np.uint8),
    np.zeros((10, 10, 3), dtype=np.float32),
    [[0, 0, 0]],
], ids=["grey", "rgba", "float", "list"])
def test_analyse_takes_only_rgb_uint8_arrays(engine, array):
    with pytest.raises(ValueError):
        engine.analyse(array)


def test_distance_takes_two_encodings(engine, reference):
    assert engine.distance(reference["astronaut"], reference["astronaut"]) == 0.0
    with pytest.raises(ValueError):
        engine.distance(reference["astronaut"], np.zeros(64))


def test_get_engine_gives_one_loaded_dlib_engine_per_process():
    assert isinstance(get_engine(), DlibFaceEngine)
    assert get_engine() is get_engine()


class StandInEngine:
    """Another engine a setting may name: it finds no face in anything (what a replacement model must answer
    for an empty wall)."""

    def analyse(self, rgb, *, encode=True):
        return FrameResult(quality=FaceQuality.NO_FACE, encoding=None, box=None, yaw=None,
                           brightness=float(rgb.mean()), sharpness=0.0)

    def distance(self, a, b):
        return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))


def test_the_setting_names_the_engine_class(settings):
    settings.RAKSA_FACE_ENGINE = f"{__name__}.StandInEngine"
    assert isinstance(get_engine(), StandInEngine)
    assert get_engine().analyse(np.zeros((48, 64, 3), np.uint8)).quality == FaceQuality.NO_FACE
    settings.RAKSA_FACE_ENGINE = f"{__name__}.NoSuchEngine"
    with pytest.raises(FaceEngineUnavailable):
        get_engine()
    settings.RAKSA_FACE_ENGINE = "no_such_module.Engine"
    with pytest.raises(FaceEngineUnavailable):
        get_engine()


def test_a_missing_model_file_makes_the_engine_unavailable_and_not_the_process_exit(monkeypatch, tmp_path):
    import face_recognition_models

    monkeypatch.setattr(engine_module._Models, "_loaded", None)
    monkeypatch.setattr(engine_module, "_engines", {})
    monkeypatch.setattr(face_recognition_models, "face_recognition_model_location",
                        lambda: str(tmp_path / "dlib_face_recognition_resnet_model_v1.dat"))
    with pytest.raises(FaceEngineUnavailable, match="missing"):
        get_engine()
    with pytest.raises(FaceEngineUnavailable):
        DlibFaceEngine().analyse(faces.gradient())


def test_loading_the_engine_leaves_pillow_refusing_truncated_images():
    from PIL import ImageFile

    get_engine()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_frames_analysed_from_several_threads_give_what_they_give_one_at_a_time(engine):
    from concurrent.futures import ThreadPoolExecutor

    frames = [faces.sample_frame("astronaut"), faces.sample_frame("grace_hopper")] * 2
    alone = [engine.analyse(frame).encoding for frame in frames]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda frame: DlibFaceEngine().analyse(frame).encoding, frames))
    assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))
