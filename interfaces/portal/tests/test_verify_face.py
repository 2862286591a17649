"""The face scan's view (what the verify page's script posts) with the real face engine on the shipped photos:
the astronaut turning her head opens the visit; another face, a held photo, bad images, a broken engine and a
person without a reference face each get their answer, and the LINE fallback comes after the tries allowed."""

import datetime as dt
import io

import pytest

from raksa.integrations.face.engine import FaceEngineUnavailable
from raksa.integrations.face.samples import sample_photo
from raksa.people.faces import face_template_set
from raksa.testing import faces
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitServiceFactory,
    make_national_id,
)
from raksa.verification.models import VerificationAttempt, Visit

from .verify_helpers import VERIFY, VERIFY_FACE, person_ref, text_of, verification_state

pytestmark = pytest.mark.django_db


def turn(photo, n: int = 5) -> list:
    """``n`` frames of a head turning to one side and back, as the page takes them over ~2 s: the start, the turn
    held (about 11°, the face helper's synthetic turn) and back; each end of the turn is in two frames or more."""
    frames = faces.head_turn_frames(photo, 9)
    straight, turned = frames[0], frames[4]
    return [straight, straight, turned, turned, straight][:n]


@pytest.fixture(scope="module")
def clips():
    """JPEG frames as the page sends them (5 over ~2 s): a live head turn of each photo, and a held photo."""
    astronaut, grace = sample_photo("astronaut"), sample_photo("grace_hopper")
    jpeg = faces.jpeg_bytes
    return {"astronaut": [jpeg(f) for f in turn(astronaut)],
            "grace_hopper": [jpeg(f) for f in turn(grace)],
            "held": [jpeg(f) for f in faces.still_frames(astronaut, 5)]}


@pytest.fixture
def adult_id(unit, service):
    """An adult (face first) whose reference face is the astronaut's."""
    from raksa.integrations.face.engine import get_engine

    national_id = make_national_id()
    adult = CitizenFactory(national_id=national_id, title_th="นาย", first_name_th="สมศักดิ์", last_name_th="มั่นคง",
                           birth_date=dt.date(1985, 6, 1))
    CoverageFactory(citizen=adult)
    face_template_set(actor=None, citizen=adult, encoding=get_engine().analyse(sample_photo("astronaut")).encoding,
                      source="test")
    return national_id


def scan(client, ref, frames, service="PH001"):
    files = []
    for i, data in enumerate(frames):
        upload = io.BytesIO(data)
        upload.name = f"frame{i}.jpg"
        files.append(upload)
    return client.post(VERIFY_FACE, {"p": ref, "service": service, "frames": files}, HTTP_ACCEPT="application/json")


def test_the_right_face_turning_opens_the_visit(staff_client, adult_id, clips):
    ref = person_ref(staff_client, adult_id)
    response = scan(staff_client, ref, clips["astronaut"])
    body = response.json()
    visit = Visit.objects.get()
    assert response.status_code == 200 and body["verified"] is True, body
    assert body["visit_url"] == f"/portal/visits/{visit.pk}/" and body["text"] == "ยืนยันตัวตนด้วยใบหน้าสำเร็จ"
    assert visit.method == "face" and visit.face_distance is not None and visit.face_distance < 0.45
    assert VerificationAttempt.objects.get().outcome == "verified"


def test_another_face_is_refused_then_the_line_confirmation_is_offered(staff_client, adult_id, clips, settings):
    ref = person_ref(staff_client, adult_id)
    answers = [scan(staff_client, ref, clips["grace_hopper"]).json() for _ in range(settings.RAKSA_FACE_MAX_TRIES)]
    assert [a["code"] for a in answers] == ["NO_MATCH"] * 3
    assert [a["failed_tries"] for a in answers] == [1, 2, 3]
    assert [a["line_fallback"] for a in answers] == [False, False, True]
    assert answers[0]["text"].startswith("ใบหน้าไม่ตรงกับภาพอ้างอิงของบุคคลนี้")
    assert not Visit.objects.exists()
    page = text_of(staff_client.get(f"{VERIFY}?p={ref}&service=PH001"))
    assert "จำนวนครั้งที่ไม่สำเร็จ: 3 / 3" in page


def test_a_held_photo_fails_liveness(staff_client, adult_id, clips):
    body = scan(staff_client, person_ref(staff_client, adult_id), clips["held"]).json()
    assert (body["verified"], body["code"]) == (False, "NOT_LIVE")
    assert body["text"].startswith("ไม่พบการหันศีรษะ")
    assert not Visit.objects.exists()


def test_bad_images_are_refused_and_not_counted(staff_client, adult_id, clips, settings):
    ref = person_ref(staff_client, adult_id)
    before = verification_state()
    not_image = scan(staff_client, ref, [b"GIF89a not really"] * 5)
    assert not_image.status_code == 422 and not_image.json()["code"] == "NOT_AN_IMAGE"
    too_many = scan(staff_client, ref, clips["astronaut"] * 2)  # 10 frames
    assert too_many.status_code == 422 and too_many.json()["code"] == "TOO_MANY_FRAMES"
    none = scan(staff_client, ref, [])
    assert none.status_code == 422 and none.json()["code"] == "NO_FRAMES"
    settings.RAKSA_FACE_MAX_FRAME_BYTES = 2000
    large = scan(staff_client, ref, clips["astronaut"])
    assert large.status_code == 422 and large.json()["code"] == "IMAGE_TOO_LARGE"
    assert verification_state() == before and not VerificationAttempt.objects.exists()


def test_the_face_engine_down_is_a_503_and_the_line_confirmation_still_works(staff_client, adult_id, clips,
                                                                             monkeypatch):
    from raksa.integrations.face import engine

    def broken():
        raise FaceEngineUnavailable("model files missing")

    monkeypatch.setattr(engine, "get_engine", broken)
    response = scan(staff_client, person_ref(staff_client, adult_id), clips["astronaut"])
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "FACE_ENGINE_UNAVAILABLE" and body["text"].startswith("ระบบสแกนใบหน้าใช้งานไม่ได้")
    assert not Visit.objects.exists()


def test_a_person_without_a_reference_face_goes_to_line(staff_client, unit, service, clips):
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id, birth_date=dt.date(1990, 1, 1)))
    body = scan(staff_client, person_ref(staff_client, national_id), clips["astronaut"]).json()
    assert (body["code"], body["line_fallback"]) == ("NO_REFERENCE", True)
    assert body["text"] == "บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิงในทะเบียน กรุณาใช้การยืนยันผ่าน LINE"


def test_a_face_scan_needs_the_service_when_the_unit_has_several(staff_client, unit, adult_id, clips):
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH002", unit_type=unit.unit_type))
    response = scan(staff_client, person_ref(staff_client, adult_id), clips["astronaut"], service="")
    assert response.status_code == 422 and response.json()["code"] == "SERVICE_REQUIRED"
    assert not Visit.objects.exists()
