import pytest

from raksa.booking.display import display_token_for, unit_from_display_token
from raksa.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_display_token_names_its_unit_and_cannot_be_forged():
    unit, other = UnitFactory(), UnitFactory()
    token = display_token_for(unit)
    assert unit_from_display_token(token) == unit
    assert display_token_for(unit) == token  # stable: the TV's link does not change
    assert unit_from_display_token(token[:-2] + "xx") is None
    assert unit_from_display_token(display_token_for(other)) == other
