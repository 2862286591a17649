import pytest

from raksa.core import pii
from raksa.core.errors import InvalidInput
from raksa.people import laser_code as laser


@pytest.mark.parametrize("typed", ["ME1-2345678-90", "me1 2345678 90", "ME1234567890", " Me1-2345678-90 ",
                                   "ME๑-๒๓๔๕๖๗๘-๙๐", "ME1–2345678–90"])
def test_what_people_type_is_read_as_the_printed_code(typed):
    assert laser.normalize(typed) == "ME1234567890"
    assert laser.format_code(laser.normalize(typed)) == "ME1-2345678-90"


@pytest.mark.parametrize("typed", ["", "ME123456789", "ME12345678901", "M11234567890", "1E1234567890",
                                   "MEX234567890", "ME1-2345678-9O", "ฟห1-2345678-90", "ME1_2345678_90", None])
def test_other_shapes_are_refused_naming_the_field(typed):
    with pytest.raises(InvalidInput) as err:
        laser.normalize(typed)
    assert err.value.code == "INVALID_INPUT"
    assert err.value.field == "laser_code"
    assert err.value.message_th and err.value.message_en


def test_thai_letters_get_the_keyboard_hint():
    with pytest.raises(InvalidInput) as err:
        laser.normalize("ฟห1-2345678-90")
    assert "แป้นพิมพ์" in err.value.message_th and "keyboard" in err.value.message_en


def test_digest_is_keyed_and_never_equals_an_id_digest():
    code = laser.normalize("ME1-2345678-90")
    assert laser.digest(code) == laser.digest("ME1234567890") != laser.digest("ME1234567891")
    assert code.encode() not in laser.digest(code)
    assert laser.digest(code) != pii.lookup_hash(code)  # domain-separated from the ID's (same key)
