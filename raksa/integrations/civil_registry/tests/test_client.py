"""The civil-registry client against the real stand-in process (civil_registry_standin/) over HTTP."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from raksa.integrations.civil_registry.client import photo_fetch
from raksa.integrations.civil_registry.errors import PersonUnknown, RegistryRefused, RegistryUnavailable
from raksa.integrations.face.samples import sample_photo
from raksa.testing.line_standin import free_port

SOMSRI, ARUNEE = "3109900000335", "1109900000665"  # the demo citizens the stand-in holds photos of


def _picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_registry_answers_the_citizen_s_photo_as_jpeg(civil_registry):
    grace, astronaut = _picture(photo_fetch(SOMSRI)), _picture(photo_fetch(ARUNEE))
    assert (grace.format, grace.size) == ("JPEG", (512, 600))
    assert (astronaut.format, astronaut.size) == ("JPEG", (512, 512))  # the shipped PNG, as a registry's JPEG
    assert grace.size[::-1] == sample_photo("grace_hopper").shape[:2]


def test_a_person_the_registry_does_not_know_is_person_unknown(civil_registry):
    with pytest.raises(PersonUnknown) as caught:
        photo_fetch("1101700230708")
    assert caught.value.status == 404


def test_a_wrong_token_is_refused_not_retried(civil_registry):
    with pytest.raises(RegistryRefused) as caught:
        photo_fetch(SOMSRI, token="not-the-token")
    assert caught.value.status == 401


def test_a_registry_that_is_down_is_unavailable(settings):
    settings.RAKSA_CIVIL_REGISTRY_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(RegistryUnavailable) as caught:
        photo_fetch(SOMSRI)
    assert caught.value.status is None


def test_a_registry_error_is_unavailable(civil_registry_factory, settings):
    settings.RAKSA_CIVIL_REGISTRY_URL = civil_registry_factory(args=("--broken",)).base_url
    with pytest.raises(RegistryUnavailable) as caught:
        photo_fetch(SOMSRI)
    assert caught.value.status == 503


def test_a_slow_registry_times_out_after_the_setting(civil_registry_factory, settings):
    settings.RAKSA_CIVIL_REGISTRY_URL = civil_registry_factory(args=("--delay", "3")).base_url
    settings.RAKSA_CIVIL_REGISTRY_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable):
        photo_fetch(SOMSRI)
    assert time.monotonic() - started < 2


def test_an_extra_record_is_served_from_its_file(civil_registry_factory, tmp_path, settings):
    path = tmp_path / "grace.png"
    Image.fromarray(sample_photo("grace_hopper")).save(path)
    standin = civil_registry_factory(args=("--photo", f"1101700230708={path}"))
    assert _picture(photo_fetch("1101700230708", base_url=standin.base_url)).format == "JPEG"
