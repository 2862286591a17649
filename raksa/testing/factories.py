"""factory_boy factories for tests. Citizens are made through the real service (encryption, HMAC)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from raksa.people import laser_code as laser
from raksa.people import national_id as nid
from raksa.people.models import Citizen, Coverage, Scheme, Sex
from raksa.people.services import citizen_fields_for_id
from raksa.units.models import FeeRate, Province, Service, StaffMembership, Unit, UnitService, UnitStatus, UnitType
from raksa.units.roles import officers_group_ensure

PASSWORD = "raksa-test-pass"
_ids = itertools.count(1)


def make_national_id(n: int | None = None) -> str:
    """A valid national ID, distinct for each call in a test run."""
    first12 = f"1{n if n is not None else next(_ids):011d}"
    return first12 + str(nid.check_digit(first12))


def make_laser_code(n: int | None = None) -> str:
    """A laser code as printed on the card (``JT1-0000042-07``), distinct for each call in a test run."""
    digits = f"{n if n is not None else next(_ids):010d}"
    return f"JT{digits[0]}-{digits[1:8]}-{digits[8:]}"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "10"
    name_th = "กรุงเทพมหานคร"
    name_en = "Bangkok"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    hcode = factory.Sequence(lambda n: f"{90000 + n % 10000:05d}")
    name = factory.Sequence(lambda n: f"ร้านยาทดสอบ {n}")
    unit_type = UnitType.PHARMACY
    province = factory.SubFactory(ProvinceFactory)
    district = "เขตพระนคร"
    status = UnitStatus.VERIFIED


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name_th = factory.Sequence(lambda n: f"บริการทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test service {n}")
    unit_type = UnitType.PHARMACY


class UnitServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitService

    unit = factory.SubFactory(UnitFactory)
    service = factory.SubFactory(ServiceFactory)
    valid_from = dt.date(2020, 1, 1)


class FeeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeRate

    service = factory.SubFactory(ServiceFactory)
    amount_baht = "180.00"
    effective_from = dt.date(2020, 1, 1)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    national_id = factory.LazyFunction(make_national_id)  # turned into cid_hash/encrypted/masked below
    laser_code = factory.LazyFunction(make_laser_code)  # turned into laser_hash below (None: no code on file)
    title_th = "นาง"
    first_name_th = "สมศรี"
    last_name_th = "ใจดี"
    birth_date = dt.date(1956, 3, 14)
    sex = Sex.FEMALE

    @classmethod
    def _create(cls, model_class, *args, national_id, laser_code, **kwargs):
        return super()._create(model_class, *args, **kwargs, **_stored_ids(national_id, laser_code))

    @classmethod
    def _build(cls, model_class, *args, national_id, laser_code, **kwargs):
        return super()._build(model_class, *args, **kwargs, **_stored_ids(national_id, laser_code))


def _stored_ids(national_id: str, laser_code: str | None) -> dict:
    laser_hash = laser.digest(laser.normalize(laser_code)) if laser_code else None
    return {**citizen_fields_for_id(national_id), "laser_hash": laser_hash}


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    citizen = factory.SubFactory(CitizenFactory)
    scheme = Scheme.UCS
    subtype = "WEL"
    valid_from = dt.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "clinician"


def make_officer(username: str = "officer") -> object:
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(officers_group_ensure(Group, Permission))
    return user


def make_eligible_case(*, national_id: str | None = None):
    """A verified pharmacy contracted for one service, and a UCS citizen: the happy path."""
    unit = UnitFactory()
    service = ServiceFactory(unit_type=unit.unit_type)
    UnitServiceFactory(unit=unit, service=service)
    national_id = national_id or make_national_id()
    citizen = CitizenFactory(national_id=national_id)
    CoverageFactory(citizen=citizen)
    return national_id, citizen, unit, service
