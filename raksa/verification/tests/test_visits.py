"""Visits and authen codes: issued only with identity and rights, one open visit per person, closing and lapsing."""

import datetime as dt
import re

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.core.errors import DomainError
from raksa.testing.factories import CoverageFactory, UnitFactory, UnitServiceFactory, make_eligible_case
from raksa.units.models import UnitStatus
from raksa.verification.models import VerifyMethod, Visit, VisitStatus
from raksa.verification.selectors import authen_status
from raksa.verification.visits import new_authen_code, visit_close, visit_open, visits_lapse

pytestmark = pytest.mark.django_db


def refused(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        visit_open(**kwargs)
    return err.value


@pytest.fixture
def case():
    _, citizen, unit, service = make_eligible_case()
    return {"citizen": citizen, "unit": unit, "service": service}


def open_at(case, unit=None, **extra):
    return visit_open(actor=None, unit=unit or case["unit"], citizen=case["citizen"], service=case["service"],
                      method=VerifyMethod.FACE, now=NOW, **extra)


def test_authen_codes_are_pp_and_ten_digits_and_differ():
    codes = {new_authen_code() for _ in range(1000)}
    assert len(codes) == 1000 and all(re.fullmatch(r"PP[0-9]{10}", c) for c in codes)


def test_a_visit_opens_with_a_code_the_rights_snapshot_and_an_audit_row(case):
    opened = open_at(case, face_distance=0.31)
    visit = opened.visit
    assert opened.created and re.fullmatch(r"PP[0-9]{10}", visit.authen_code)
    assert (visit.status, visit.day, visit.method, visit.face_distance) == ("open", NOW.date(), "face", 0.31)
    assert visit.rights["eligible"] is True and visit.rights["scheme"] == "UCS"
    entry = AuditEntry.objects.get(action="visit.open")
    assert entry.after["authen_code"] == visit.authen_code and entry.object_id == str(visit.pk)


def test_verifying_again_at_the_same_unit_gives_the_same_code(case):
    first = open_at(case).visit
    again = open_at(case)
    assert not again.created and again.visit.pk == first.pk and Visit.objects.count() == 1


def test_another_unit_is_refused_with_the_holders_name_and_nothing_is_written(case):
    open_at(case)
    other = UnitFactory(unit_type=case["unit"].unit_type, name="คลินิกอื่น")
    UnitServiceFactory(unit=other, service=case["service"])
    before = AuditEntry.objects.count()
    err = refused(actor=None, unit=other, citizen=case["citizen"], service=case["service"], method="face", now=NOW)
    assert err.code == "VISIT_OPEN_ELSEWHERE" and err.status == 409
    assert case["unit"].name in err.message_th and "ส่งเคลม" in err.message_th
    assert Visit.objects.count() == 1 and AuditEntry.objects.count() == before


def test_no_code_without_rights(case):
    case["citizen"].coverages.all().delete()
    CoverageFactory(citizen=case["citizen"], scheme="SSS")
    err = refused(actor=None, unit=case["unit"], citizen=case["citizen"], service=case["service"], method="face",
                  now=NOW)
    assert err.code == "NOT_ELIGIBLE" and Visit.objects.count() == 0


def test_an_unverified_unit_cannot_open_visits(case):
    case["unit"].status = UnitStatus.PENDING
    case["unit"].save()
    err = refused(actor=None, unit=case["unit"], citizen=case["citizen"], service=case["service"], method="face",
                  now=NOW)
    assert err.status == 403 and Visit.objects.count() == 0


def test_closing_without_service_frees_the_person_for_another_unit(case):
    visit = open_at(case).visit
    closed = visit_close(actor=None, unit=case["unit"], visit_id=visit.pk, reason="ผู้ป่วยเปลี่ยนใจ",
                         now=NOW + dt.timedelta(minutes=5))
    assert (closed.status, closed.close_reason) == ("no_service", "ผู้ป่วยเปลี่ยนใจ")
    with pytest.raises(DomainError) as err:
        visit_close(actor=None, unit=case["unit"], visit_id=visit.pk, now=NOW)
    assert err.value.code == "VISIT_NOT_OPEN"
    other = UnitFactory(unit_type=case["unit"].unit_type)
    UnitServiceFactory(unit=other, service=case["service"])
    assert open_at(case, unit=other).created


def test_another_unit_cannot_close_a_visit(case):
    visit = open_at(case).visit
    with pytest.raises(DomainError) as err:
        visit_close(actor=None, unit=UnitFactory(), visit_id=visit.pk, now=NOW)
    assert err.value.code == "VISIT_NOT_FOUND" and Visit.objects.get().status == "open"


def test_open_visits_lapse_when_the_bangkok_day_ends(case):
    visit = open_at(case).visit
    assert visits_lapse(now=NOW + dt.timedelta(hours=15, minutes=59)) == 0  # 23:59 the same day
    assert visits_lapse(now=NOW + dt.timedelta(hours=16)) == 1  # 00:00 the next day
    visit.refresh_from_db()
    assert visit.status == VisitStatus.LAPSED and visit.closed_at is not None
    assert AuditEntry.objects.filter(action="visit.lapse", object_id=str(visit.pk)).count() == 1


def test_authen_status_shows_other_units_without_their_codes(case):
    visit = open_at(case).visit
    other = UnitFactory()
    mine = authen_status(citizen=case["citizen"], asking_unit=case["unit"], now=NOW)
    theirs = authen_status(citizen=case["citizen"], asking_unit=other, now=NOW)
    assert mine.has_open_visit and mine.visits[0].authen_code == visit.authen_code
    assert theirs.open_at_unit == case["unit"].name and theirs.visits[0].authen_code is None


def test_the_minute_sweep_lapses_yesterdays_open_visits(case, capsys):
    from django.core.management import call_command

    visit = open_at(case).visit  # NOW is a day in the past
    call_command("booking_sweep")
    assert '"visits_lapsed": 1' in capsys.readouterr().out
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.LAPSED


def test_a_visit_left_open_yesterday_blocks_nobody_today_and_its_code_is_not_reused(case):
    yesterday = open_at(case).visit  # 08:00 on NOW's day; no sweep runs before the next morning
    next_morning = NOW + dt.timedelta(days=1)
    assert authen_status(citizen=case["citizen"], asking_unit=case["unit"], now=next_morning).has_open_visit is False
    other = UnitFactory(unit_type=case["unit"].unit_type)
    UnitServiceFactory(unit=other, service=case["service"])
    today = visit_open(actor=None, unit=other, citizen=case["citizen"], service=case["service"], method="face",
                       now=next_morning)
    assert today.created and today.visit.authen_code != yesterday.authen_code
    yesterday.refresh_from_db()
    assert yesterday.status == VisitStatus.LAPSED and yesterday.close_reason == "สิ้นวันโดยไม่ได้ส่งเคลม"
    assert AuditEntry.objects.filter(action="visit.lapse", object_id=str(yesterday.pk)).count() == 1
