"""Messages never mix languages: a choice's label is split into its Thai and its English part."""

import re

import pytest
from django.apps import apps
from django.db.models import Choices

from raksa.booking import errors
from raksa.booking.models import BookingStatus, TicketStatus
from raksa.core.choices import choice_labels, split_label
from raksa.core.errors import InvalidInput
from raksa.testing.factories import ServiceFactory, UnitFactory
from raksa.units.services import unit_service_contract

THAI = re.compile("[\u0e00-\u0e7f]")
ENGLISH_WORD = re.compile("[A-Za-z]{3,}")


def _model_choices() -> list[type[Choices]]:
    """Every choices class defined in the domain's models modules."""
    found = set()
    for config in apps.get_app_configs():
        module = config.models_module
        if module is None or not module.__name__.startswith("raksa."):
            continue
        found |= {v for v in vars(module).values()
                  if isinstance(v, type) and issubclass(v, Choices) and v.__module__ == module.__name__}
    return sorted(found, key=lambda c: c.__qualname__)


CHOICES = _model_choices()


def test_the_choices_are_found():
    assert BookingStatus in CHOICES and TicketStatus in CHOICES and len(CHOICES) >= 10


@pytest.mark.parametrize("choices", CHOICES, ids=lambda c: c.__name__)
def test_every_label_splits_into_thai_and_english(choices):
    for value, label in choices.choices:
        th, en = split_label(label)
        assert not THAI.search(en), (value, label)
        if THAI.search(label):
            assert THAI.search(th) and not ENGLISH_WORD.search(th.replace("UCS", "")), (value, label)


def test_examples():
    assert split_label("ยกเลิก (Cancelled)") == ("ยกเลิก", "Cancelled")
    assert split_label("หลักประกันสุขภาพแห่งชาติ (บัตรทอง) — Universal Coverage") == \
        ("หลักประกันสุขภาพแห่งชาติ (บัตรทอง)", "Universal Coverage")
    assert split_label("LINE") == ("LINE", "LINE")
    assert choice_labels(BookingStatus, "nonsense") == ("nonsense", "nonsense")


@pytest.mark.parametrize("status", BookingStatus.values)
def test_booking_not_active_speaks_one_language_per_message(status):
    exc = errors.booking_not_active(status)
    assert not THAI.search(exc.message_en) and not ENGLISH_WORD.search(exc.message_th)


@pytest.mark.parametrize("status", TicketStatus.values)
@pytest.mark.parametrize("wanted", TicketStatus.values)
def test_ticket_state_speaks_one_language_per_message(status, wanted):
    exc = errors.ticket_state("A-001", status, wanted)
    assert not THAI.search(exc.message_en) and not ENGLISH_WORD.search(exc.message_th)


@pytest.mark.django_db
def test_a_service_for_another_unit_type_is_refused_in_one_language_per_message():
    unit = UnitFactory(unit_type="pharmacy")
    service = ServiceFactory(unit_type="dental")
    with pytest.raises(InvalidInput) as refused:
        unit_service_contract(actor=None, unit=unit, service=service, valid_from=unit.created_at.date())
    assert "Dental units" in refused.value.message_en and "คลินิกทันตกรรม" in refused.value.message_th
    assert not THAI.search(refused.value.message_en) and not ENGLISH_WORD.search(refused.value.message_th)
