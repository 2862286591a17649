"""A reference face fetched from the civil registry (the real stand-in process, the real face engine, PostgreSQL):
only the encrypted encoding is kept and audited; it then verifies the same person and refuses another; a
registry that does not know the person, is down, or holds an unusable photo stores nothing."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.apps import apps
from django.db import connection

from raksa.audit.models import AuditEntry
from raksa.core.errors import DomainError
from raksa.integrations.civil_registry.client import photo_fetch
from raksa.integrations.face.engine import get_engine
from raksa.integrations.face.matching import match_threshold
from raksa.integrations.face.samples import sample_photo
from raksa.people.face_fetch import face_template_fetch
from raksa.people.faces import face_template_of
from raksa.people.models import FaceTemplate
from raksa.testing.faces import head_turn_frames, jpeg_bytes, no_face, two_faces
from raksa.testing.factories import UserFactory, make_eligible_case
from raksa.testing.line_standin import free_port
from raksa.verification.face import visit_open_by_face

pytestmark = pytest.mark.django_db

ARUNEE = "1109900000665"  # the stand-in holds the astronaut's photo for this demo citizen
STRANGER = "1101700230708"  # a valid national ID the stand-in does not know


@pytest.fixture
def case():
    _, citizen, unit, service = make_eligible_case(national_id=ARUNEE)
    citizen.birth_date = dt.date(1985, 5, 21)  # an adult: the face scan comes first
    citizen.save()
    return citizen, unit, service


def _tables() -> list[str]:
    return sorted({model._meta.db_table for model in apps.get_models()})


def _rows_holding(fragment: str) -> dict[str, int]:
    """Rows of every table whose text form (bytea as hex, text and JSON as they are) contains ``fragment``."""
    found = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f'SELECT count(*) FROM "{table}" t WHERE strpos(t::text, %s) > 0', [fragment])
            if count := cursor.fetchone()[0]:
                found[table] = count
    return found


def test_the_fetched_reference_is_only_an_encrypted_encoding_and_is_audited(case, civil_registry):
    citizen, *_ = case
    staff = UserFactory(username="counter")
    template = face_template_fetch(actor=staff, citizen=citizen)

    assert template.source == "civil_registry"
    encoding = face_template_of(citizen.pk)
    assert encoding.shape == (128,)
    assert get_engine().distance(encoding, get_engine().analyse(sample_photo("astronaut")).encoding) < 0.1
    assert encoding.tobytes() not in bytes(template.encoding_encrypted)  # encrypted, not the plain floats

    stored = bytes(template.encoding_encrypted)[8:40].hex()  # the search finds bytea columns...
    assert _rows_holding(stored) == {FaceTemplate._meta.db_table: 1}
    photo = photo_fetch(ARUNEE)  # ...and no piece of what the registry sent is anywhere in the database
    middle = photo[len(photo) // 2: len(photo) // 2 + 48]
    assert _rows_holding(middle.hex()) == {}
    assert _rows_holding(base64.b64encode(photo).decode()[1000:1064]) == {}
    assert _rows_holding(photo[:16].hex()) == {}  # the JPEG header

    actions = list(AuditEntry.objects.filter(actor=staff).order_by("id").values_list("action", "after"))
    assert actions == [("citizen.national_id.read", {"purpose": "reference face from the civil registry"}),
                       ("face_template.enrol", {"citizen": citizen.pk, "source": "civil_registry"})]


def test_fetching_again_replaces_the_reference(case, civil_registry):
    citizen, *_ = case
    face_template_fetch(actor=None, citizen=citizen)
    face_template_fetch(actor=None, citizen=citizen)
    assert FaceTemplate.objects.filter(citizen=citizen).count() == 1
    assert AuditEntry.objects.filter(action="face_template.replace").count() == 1


def test_a_fetched_reference_verifies_the_same_person_and_refuses_another(case, civil_registry):
    citizen, unit, service = case
    face_template_fetch(actor=None, citizen=citizen)

    def verify(name: str):
        frames = [jpeg_bytes(frame) for frame in head_turn_frames(sample_photo(name), n=6)]
        return visit_open_by_face(actor=None, unit=unit, citizen=citizen, service=service, frames=frames)

    other = verify("grace_hopper")
    assert (other.code, other.visit) == ("NO_MATCH", None) and other.distance > match_threshold()
    same = verify("astronaut")
    assert same.verified and same.code == "VERIFIED" and same.distance < match_threshold()


def _refusal(citizen) -> DomainError:
    with pytest.raises(DomainError) as caught:
        face_template_fetch(actor=None, citizen=citizen)
    assert not FaceTemplate.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="face_template").exists()
    return caught.value


def test_a_person_the_registry_does_not_know_gets_a_clear_error(civil_registry):
    _, citizen, _, _ = make_eligible_case(national_id=STRANGER)
    error = _refusal(citizen)
    assert (error.status, error.code) == (404, "REGISTRY_NO_PHOTO")
    assert error.message_th.startswith("ทะเบียนราษฎร์ไม่มีภาพใบหน้าของบุคคลนี้")
    assert error.message_en.startswith("The civil registry has no photo of this person.")


def test_a_registry_that_cannot_be_reached_gets_a_clear_error(case, settings):
    settings.RAKSA_CIVIL_REGISTRY_URL = f"http://127.0.0.1:{free_port()}"
    error = _refusal(case[0])
    assert (error.status, error.code) == (503, "REGISTRY_UNAVAILABLE")
    assert "ติดต่อทะเบียนราษฎร์ไม่ได้" in error.message_th and "cannot be reached" in error.message_en


def test_a_wrong_token_is_an_error_for_the_administrator(case, civil_registry, settings):
    settings.RAKSA_CIVIL_REGISTRY_TOKEN = "not-the-token"
    error = _refusal(case[0])
    assert (error.status, error.code) == (502, "REGISTRY_REFUSED")
    assert "ผู้ดูแลระบบ" in error.message_th and "administrator" in error.message_en


@pytest.mark.parametrize(("picture", "code", "th"), [
    (two_faces, "REFERENCE_PHOTO_SEVERAL_FACES", "มากกว่าหนึ่งใบหน้า"),
    (no_face, "REFERENCE_PHOTO_NO_FACE", "ไม่พบใบหน้า"),
], ids=["two faces", "no face"])
def test_a_registry_photo_without_exactly_one_face_is_refused(picture, code, th, case, civil_registry_factory,
                                                             settings, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_bytes(picture()))
    settings.RAKSA_CIVIL_REGISTRY_URL = civil_registry_factory(args=("--photo", f"{ARUNEE}={path}")).base_url
    error = _refusal(case[0])
    assert (error.status, error.code) == (422, code)
    assert th in error.message_th and "LINE" in error.message_en
