"""Face verification at the counter with the real engine on the shipped photos: a live head turn of the enrolled
face opens the visit; another face, a held photo, no face, bad images and a broken engine do not."""

import datetime as dt
from functools import cache

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.core.errors import DomainError
from raksa.integrations.face.engine import get_engine
from raksa.integrations.face.matching import match_threshold
from raksa.integrations.face.samples import sample_photo
from raksa.people.faces import face_template_of, face_template_set
from raksa.testing.faces import head_turn_frames, jpeg_bytes, no_face, still_frames, two_faces
from raksa.testing.factories import make_eligible_case
from raksa.verification.face import line_fallback_offered, visit_open_by_face
from raksa.verification.line_confirm import line_confirmation_issue
from raksa.verification.models import VerificationAttempt, Visit

pytestmark = pytest.mark.django_db


@cache
def clip(name: str, kind: str = "live") -> tuple[bytes, ...]:
    photo = sample_photo(name)
    frames = head_turn_frames(photo, n=6) if kind == "live" else still_frames(photo, n=6)
    return tuple(jpeg_bytes(frame) for frame in frames)


@pytest.fixture
def enrolled():
    """An adult (so the face scan comes first) enrolled with the astronaut's face."""
    _, citizen, unit, service = make_eligible_case()
    citizen.birth_date = dt.date(1985, 5, 21)
    citizen.save()
    face_template_set(actor=None, citizen=citizen, source="test",
                      encoding=get_engine().analyse(sample_photo("astronaut")).encoding)
    return citizen, unit, service


def verify(case, frames, **kwargs):
    citizen, unit, service = case
    return visit_open_by_face(actor=None, unit=unit, citizen=citizen, service=service, frames=list(frames), now=NOW,
                              **kwargs)


def test_the_template_is_encrypted_and_reads_back(enrolled):
    citizen, *_ = enrolled
    stored = bytes(citizen.face_template.encoding_encrypted)
    encoding = face_template_of(citizen.pk)
    assert encoding.shape == (128,) and encoding.tobytes() not in stored


def test_the_enrolled_person_turning_their_head_is_verified(enrolled):
    verdict = verify(enrolled, clip("astronaut"))
    assert verdict.verified and verdict.code == "VERIFIED", verdict
    assert verdict.distance < match_threshold()
    visit = Visit.objects.get()
    assert (visit.method, visit.authen_code) == ("face", verdict.visit.authen_code)
    assert abs(visit.face_distance - verdict.distance) < 1e-3
    attempt = VerificationAttempt.objects.get()
    assert (attempt.outcome, attempt.visit) == ("verified", visit)


def test_another_persons_face_is_refused_and_after_three_tries_line_is_offered(enrolled):
    citizen, unit, _ = enrolled
    for tries in (1, 2, 3):
        verdict = verify(enrolled, clip("grace_hopper"))
        assert (verdict.code, verdict.failed_tries, verdict.visit) == ("NO_MATCH", tries, None)
        assert verdict.distance > match_threshold() and "ไม่ตรง" in verdict.message
        assert verdict.line_fallback is (tries >= 3)
    assert line_fallback_offered(citizen=citizen, unit=unit, now=NOW) and Visit.objects.count() == 0


def test_a_photo_held_to_the_camera_fails_liveness(enrolled):
    verdict = verify(enrolled, clip("astronaut", "still"))
    assert (verdict.code, verdict.outcome, verdict.visit) == ("NOT_LIVE", "not_live", None)
    assert "หันศีรษะ" in verdict.message and Visit.objects.count() == 0


def test_a_single_picture_cannot_show_liveness(enrolled):
    assert verify(enrolled, clip("astronaut")[:1]).code == "NOT_LIVE"


@pytest.mark.parametrize(("frame", "code", "hint"), [(no_face, "NO_FACE", "ไม่พบใบหน้า"),
                                                      (two_faces, "SEVERAL_FACES", "หลายใบหน้า")])
def test_pictures_without_one_usable_face_get_a_hint_and_count_as_a_try(enrolled, frame, code, hint):
    verdict = verify(enrolled, [jpeg_bytes(frame())] * 4)
    assert (verdict.code, verdict.outcome, verdict.failed_tries) == (code, "poor_image", 1)
    assert hint in verdict.message


@pytest.mark.parametrize(("frames", "code"), [([b"not an image"], "NOT_AN_IMAGE"), ([], "NO_FRAMES"),
                                              ([b"x"] * 9, "TOO_MANY_FRAMES")])
def test_bad_images_are_refused_and_nothing_is_recorded(enrolled, frames, code):
    with pytest.raises(DomainError) as err:
        verify(enrolled, frames)
    assert (err.value.code, err.value.status) == (code, 422)
    assert VerificationAttempt.objects.count() == 0 and Visit.objects.count() == 0


def test_a_broken_engine_answers_503_and_the_line_fallback_still_works(enrolled, settings):
    citizen, unit, service = enrolled
    settings.RAKSA_FACE_ENGINE = "raksa.integrations.face.no_such_module.Engine"
    with pytest.raises(DomainError) as err:
        verify(enrolled, clip("astronaut"))
    assert (err.value.code, err.value.status) == ("FACE_ENGINE_UNAVAILABLE", 503) and "LINE" in err.value.message_th
    assert VerificationAttempt.objects.get().outcome == "engine_down"
    citizen.line_user_id = "U" + "e" * 32
    citizen.save()
    issued = line_confirmation_issue(actor=None, unit=unit, citizen=citizen, purpose="identity", service=service,
                                     now=NOW)
    assert issued.token.startswith("LC1.")


def test_without_a_reference_face_line_is_offered_at_once(enrolled):
    citizen, *_ = enrolled
    citizen.face_template.delete()
    verdict = verify(enrolled, clip("astronaut"))
    assert (verdict.code, verdict.line_fallback) == ("NO_REFERENCE", True)


def test_people_aged_60_and_over_may_use_line_at_once(enrolled):
    citizen, unit, _ = enrolled
    citizen.birth_date = dt.date(1966, 11, 26)  # 60 on NOW's day
    citizen.save()
    assert line_fallback_offered(citizen=citizen, unit=unit, now=NOW)
    citizen.birth_date = dt.date(1966, 11, 27)  # 59 for one more day
    citizen.save()
    assert not line_fallback_offered(citizen=citizen, unit=unit, now=NOW)


def test_another_units_open_visit_is_refused_before_any_face_work(enrolled):
    from raksa.testing.factories import UnitFactory, UnitServiceFactory

    citizen, unit, service = enrolled
    verify(enrolled, clip("astronaut"))
    other = UnitFactory(unit_type=unit.unit_type)
    UnitServiceFactory(unit=other, service=service)
    with pytest.raises(DomainError) as err:
        visit_open_by_face(actor=None, unit=other, citizen=citizen, service=service, frames=list(clip("astronaut")),
                           now=NOW)
    assert err.value.code == "VISIT_OPEN_ELSEWHERE" and Visit.objects.count() == 1
    refused = VerificationAttempt.objects.get(outcome="refused")
    assert (refused.unit, refused.citizen, refused.code) == (other, citizen, "VISIT_OPEN_ELSEWHERE")


def test_a_booked_person_verified_by_face_is_checked_in():
    from raksa.booking.models import Booking, BookingStatus
    from raksa.booking.services import booking_create
    from raksa.booking.tests.helpers import T10, make_schedule, slot_at

    schedule, citizen = make_schedule()
    citizen.birth_date = dt.date(1985, 5, 21)
    citizen.save()
    face_template_set(actor=None, citizen=citizen, source="test",
                      encoding=get_engine().analyse(sample_photo("astronaut")).encoding)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW, channel="portal")
    verdict = visit_open_by_face(actor=None, unit=schedule.unit, citizen=citizen, service=schedule.service,
                                 frames=list(clip("astronaut")), booking=booking, now=NOW + dt.timedelta(hours=1))
    assert verdict.verified and verdict.visit.ticket.label == "B-001"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN


def test_a_cancelled_booking_is_not_carried_into_a_visit(enrolled):
    from raksa.booking.services import booking_cancel, booking_create
    from raksa.booking.tests.helpers import T10, make_schedule, slot_at

    schedule, citizen = make_schedule()
    citizen.birth_date = dt.date(1985, 5, 21)
    citizen.save()
    face_template_set(actor=None, citizen=citizen, source="test",
                      encoding=get_engine().analyse(sample_photo("astronaut")).encoding)
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    booking_cancel(actor=None, booking_id=booking.pk, now=NOW)
    booking.refresh_from_db()
    with pytest.raises(DomainError) as err:
        visit_open_by_face(actor=None, unit=schedule.unit, citizen=citizen, service=schedule.service,
                           frames=list(clip("astronaut")), booking=booking, now=NOW + dt.timedelta(hours=1))
    assert err.value.code == "BOOKING_NOT_ACTIVE" and Visit.objects.count() == 0


def test_frames_are_kept_only_when_a_folder_is_set(enrolled, settings, tmp_path):
    verify(enrolled, clip("astronaut")[:1])
    assert not any(tmp_path.iterdir())
    settings.RAKSA_FACE_KEEP_IMAGES_DIR = str(tmp_path)
    verify(enrolled, clip("astronaut")[:1])
    verify(enrolled, clip("astronaut")[:1])  # the same second: a folder each
    assert len(list(tmp_path.iterdir())) == 2
