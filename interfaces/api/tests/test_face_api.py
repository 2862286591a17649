"""Face verification over the API (multipart), with the real engine on the shipped photos: a live head turn of the
enrolled face opens the visit (201); another face, a held photo and pictures without a face get a 422 with the Thai
hint and the try count, LINE offered after three; bad images are refused and recorded nowhere; a broken engine is
503; unknown people, services and bookings are 404."""

import datetime as dt
import re
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from interfaces.api.tests.helpers import make_api_unit
from raksa.booking.models import Slot
from raksa.booking.services import booking_create
from raksa.core.timeutil import service_day
from raksa.integrations.face.engine import get_engine
from raksa.integrations.face.samples import sample_photo
from raksa.people.faces import face_template_set
from raksa.people.selectors import citizen_get_by_national_id
from raksa.testing.faces import head_turn_frames, jpeg_bytes, no_face, still_frames
from raksa.testing.factories import StaffMembershipFactory, make_national_id
from raksa.verification.models import VerificationAttempt, Visit

pytestmark = pytest.mark.django_db
PATH = "/api/v1/visits/face"
THAI = re.compile("[\u0e00-\u0e7f]")


@cache
def clip(name: str, kind: str = "live") -> tuple[bytes, ...]:
    photo = sample_photo(name)
    frames = head_turn_frames(photo, n=6) if kind == "live" else still_frames(photo, n=6)
    return tuple(jpeg_bytes(frame) for frame in frames)


@pytest.fixture
def counter(bangkok_morning):
    """A unit with its key, and an adult citizen enrolled with the astronaut's face."""
    data = make_api_unit()
    citizen = citizen_get_by_national_id(data["national_id"])
    citizen.birth_date = dt.date(1985, 5, 21)
    citizen.save()
    face_template_set(actor=None, citizen=citizen, source="test",
                      encoding=get_engine().analyse(sample_photo("astronaut")).encoding)
    return {**data, "citizen": citizen, "auth": {"HTTP_AUTHORIZATION": f"Bearer {data['key']}"}}


def scan(client, counter, frames, **fields):
    data = {"national_id": counter["national_id"], "service": counter["service"].code, **fields,
            "frame": [SimpleUploadedFile(f"frame{i}.jpg", f, content_type="image/jpeg") for i, f in enumerate(frames)]}
    return client.post(PATH, data, **counter["auth"])


def refused(response, status, code):
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    assert THAI.search(body["message"]) and not THAI.search(body["message_en"].replace("LINE", "")), body
    return body


def test_a_live_head_turn_of_the_enrolled_face_opens_the_visit(client, counter):
    slot = Slot.objects.filter(unit=counter["unit"], day=service_day()).order_by("-starts_at").first()
    booking = booking_create(actor=None, citizen=counter["citizen"], slot_id=slot.pk)
    response = scan(client, counter, clip("astronaut"), booking=booking.reference.lower())
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"PP[0-9]{10}", body["authen_code"])
    assert (body["method"], body["status"], body["hcode"], body["service"], body["booking"]) == (
        "face", "open", counter["unit"].hcode, counter["service"].code, booking.reference)
    visit = Visit.objects.get()
    assert visit.authen_code == body["authen_code"] and visit.face_distance is not None
    assert visit.verified_by_label == f"api:{counter['api_key'].prefix}"
    assert VerificationAttempt.objects.get().outcome == "verified"


def test_another_face_is_refused_with_a_hint_and_line_is_offered_after_three_tries(client, counter):
    for tries in (1, 2, 3):
        body = refused(scan(client, counter, clip("grace_hopper")), 422, "NO_MATCH")
        assert (body["failed_tries"], body["line_fallback"], body["outcome"]) == (tries, tries >= 3, "no_match")
        assert "ไม่ตรง" in body["message"] and body["distance"] > 0 and body["field"] == "frame"
    assert Visit.objects.count() == 0 and VerificationAttempt.objects.filter(outcome="no_match").count() == 3


def test_a_photo_held_to_the_camera_and_a_picture_without_a_face_are_tries(client, counter):
    body = refused(scan(client, counter, clip("astronaut", "still")), 422, "NOT_LIVE")
    assert "หันศีรษะ" in body["message"] and body["failed_tries"] == 1
    body = refused(scan(client, counter, [jpeg_bytes(no_face())] * 4), 422, "NO_FACE")
    assert body["outcome"] == "poor_image" and body["failed_tries"] == 2 and Visit.objects.count() == 0


@pytest.mark.parametrize(("frames", "code"), [([b"not an image"], "NOT_AN_IMAGE"), ([], "NO_FRAMES"),
                                              ([b"x"] * 9, "TOO_MANY_FRAMES"), ("big", "IMAGE_TOO_LARGE")])
def test_bad_images_are_refused_and_nothing_is_recorded(client, counter, settings, frames, code):
    if frames == "big":
        settings.RAKSA_FACE_MAX_FRAME_BYTES = 1000
        frames = list(clip("astronaut"))
    body = refused(scan(client, counter, frames), 422, code)
    assert body["field"] == "frame" and body.get("failed_tries") is None
    assert VerificationAttempt.objects.count() == 0 and Visit.objects.count() == 0


def test_a_broken_engine_is_503(client, counter, settings):
    settings.RAKSA_FACE_ENGINE = "raksa.integrations.face.no_such_module.Engine"
    body = refused(scan(client, counter, clip("astronaut")), 503, "FACE_ENGINE_UNAVAILABLE")
    assert "LINE" in body["message"] and VerificationAttempt.objects.get().outcome == "engine_down"


def test_unknown_people_services_and_bookings_are_404_and_a_missing_field_is_422(client, counter):
    frames = clip("astronaut")[:1]
    refused(scan(client, counter, frames, national_id=make_national_id()), 404, "CITIZEN_NOT_FOUND")
    refused(scan(client, counter, frames, service="NO-SUCH"), 404, "UNKNOWN_SERVICE")
    assert refused(scan(client, counter, frames, booking="ZZZZ9999"), 404, "BOOKING_NOT_FOUND")["field"] == "booking"
    response = client.post(PATH, {"service": counter["service"].code}, **counter["auth"])
    assert refused(response, 422, "INVALID_INPUT")["field"] == "national_id"
    assert VerificationAttempt.objects.count() == 0


def test_staff_in_the_portal_name_their_unit(client, counter):
    client.force_login(StaffMembershipFactory(unit=counter["unit"]).user)
    frames = clip("astronaut")
    data = {"national_id": counter["national_id"], "service": counter["service"].code,
            "frame": [SimpleUploadedFile(f"f{i}.jpg", f, content_type="image/jpeg") for i, f in enumerate(frames)]}
    assert refused(client.post(PATH, data), 422, "HCODE_REQUIRED")["field"] == "hcode"
    data["frame"] = [SimpleUploadedFile(f"f{i}.jpg", f, content_type="image/jpeg") for i, f in enumerate(frames)]
    response = client.post(PATH, {**data, "hcode": counter["unit"].hcode})
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(("status", "code"), [("pending", "UNIT_NOT_VERIFIED"), ("suspended", "UNIT_SUSPENDED")])
def test_a_unit_not_verified_or_suspended_cannot_verify_faces(client, counter, status, code):
    counter["unit"].status = status
    counter["unit"].save()
    refused(scan(client, counter, clip("astronaut")), 403, code)
    assert not Visit.objects.exists() and not VerificationAttempt.objects.exists()
