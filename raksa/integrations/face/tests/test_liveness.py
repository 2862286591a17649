"""Liveness on the shipped photos: a (synthetic) head turn passes; a held photo, one moved about to fake a turn,
one tilted, too few frames and a face swapped between frames do not. Spreads are printed (pytest -s)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from raksa.integrations.face import liveness
from raksa.integrations.face.engine import FaceQuality, FrameResult, get_engine
from raksa.integrations.face.liveness import MIN_YAW_RANGE, liveness_check, yaw_range
from raksa.integrations.face.samples import SAMPLE_NAMES, sample_photo
from raksa.testing import faces


@pytest.fixture(scope="module")
def engine():
    return get_engine()


@pytest.fixture(scope="module")
def turns(engine):
    return {name: [engine.analyse(frame) for frame in faces.head_turn_frames(sample_photo(name), 8)]
            for name in SAMPLE_NAMES}


def check(label: str, results: list[FrameResult]) -> liveness.LivenessResult:
    result = liveness_check(results)
    print(f"{label}: {result.code} yaw range {result.yaw_range:.3f} over {result.frames} frames")
    return result


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_head_turn_passes(turns, name):
    result = check(f"{name} head turn", turns[name])
    assert result.passed and result.code == liveness.PASSED
    assert result.yaw_range >= MIN_YAW_RANGE and result.frames == 8


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_head_turn_frames_still_match_the_enrolled_face(engine, turns, name):
    reference = engine.analyse(sample_photo(name)).encoding
    distances = [engine.distance(frame.encoding, reference) for frame in turns[name]]
    print(f"{name} head turn distances: " + " ".join(f"{d:.3f}" for d in distances))
    from raksa.integrations.face.matching import MATCH_THRESHOLD

    assert max(distances) < MATCH_THRESHOLD


@pytest.mark.parametrize("name", SAMPLE_NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_a_photo_held_up_to_the_camera_fails_as_still(engine, name, seed):
    frames = faces.still_frames(sample_photo(name), 8, seed=seed)
    result = check(f"{name} held photo seed {seed}", [engine.analyse(frame) for frame in frames])
    assert not result.passed and result.code == liveness.STILL and result.frames == 8


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_photo_swept_turned_and_tilted_to_fake_a_turn_fails(engine, name):
    frames = faces.moved_photo_frames(sample_photo(name), 8)
    result = check(f"{name} photo moved", [engine.analyse(frame) for frame in frames])
    assert not result.passed and result.code == liveness.STILL


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_photo_tilted_far_fails(engine, name):
    frames = faces.moved_photo_frames(sample_photo(name), 8, squeeze=0.7)
    result = check(f"{name} photo tilted to ×0.7", [engine.analyse(frame) for frame in frames])
    assert not result.passed and result.code in (liveness.STILL, liveness.TILTED)


def test_too_few_usable_frames_fail(turns):
    assert check("3 frames", turns["astronaut"][1:4]).code == liveness.TOO_FEW_FRAMES
    assert check("no frames", []).code == liveness.TOO_FEW_FRAMES


def test_frames_of_bad_quality_do_not_count(engine, turns):
    dark = engine.analyse(faces.dark(faces.sample_frame("astronaut")))
    assert dark.quality is FaceQuality.TOO_DARK
    result = check("3 turn frames and 5 dark ones", turns["astronaut"][2:5] + [dark] * 5)
    assert result.code == liveness.TOO_FEW_FRAMES and result.frames == 3


def test_a_face_swapped_between_frames_fails(turns):
    mixed = turns["astronaut"][:5] + turns["grace_hopper"][3:5]
    assert check("astronaut then grace_hopper", mixed).code == liveness.FACE_CHANGED


def test_the_order_of_the_frames_does_not_matter(turns):
    frames = list(turns["grace_hopper"])
    forward = liveness_check(frames)
    assert liveness_check(frames[::-1]) == forward
    assert liveness_check(frames[1::2] + frames[::2]) == forward


def frame(yaw: float, aspect: float = 1.0) -> FrameResult:
    return FrameResult(FaceQuality.OK, None, (0, 100, 100, 0), yaw, 120.0, 0.3, faces=1, aspect=aspect)


def test_one_frame_whose_landmarks_slipped_cannot_make_a_still_face_pass():
    assert yaw_range([0.0, 0.01, 0.0, 0.3, 0.01]) == pytest.approx(0.01)
    assert check("one outlier", [frame(y) for y in (0.0, 0.01, 0.0, 0.3, 0.01)]).code == liveness.STILL
    assert check("two at the end", [frame(y) for y in (0.0, 0.01, 0.3, 0.3, 0.01)]).passed


def test_a_face_whose_proportions_change_like_a_tilted_picture_fails_as_tilted():
    turning = [frame(y, a) for y, a in ((0.0, 1.0), (0.1, 1.0), (0.2, 0.8), (0.2, 0.8), (0.0, 1.0))]
    assert check("tilted", turning).code == liveness.TILTED
    upright = [dataclasses.replace(f, aspect=0.97) for f in turning]
    assert check("turning", upright).passed


def test_frames_without_encodings_are_checked_for_the_turn_only():
    results = [frame(y) for y in (0.0, 0.0, 0.2, 0.2)]
    assert all(r.encoding is None for r in results)
    assert liveness_check(results).passed
    assert np.isclose(liveness_check(results).yaw_range, 0.2)
