import pytest
from cryptography.exceptions import InvalidTag

from raksa.core import pii


def test_encryption_round_trip_and_fresh_nonce():
    a = pii.encrypt("1101700230708", context=b"citizen.cid")
    b = pii.encrypt("1101700230708", context=b"citizen.cid")
    assert a != b  # random nonce: equal IDs do not give equal ciphertexts
    assert b"1101700230708" not in a
    assert pii.decrypt(a, context=b"citizen.cid") == "1101700230708"


def test_ciphertext_is_bound_to_its_context_and_tamper_evident():
    token = pii.encrypt("1101700230708", context=b"citizen.cid")
    with pytest.raises(InvalidTag):
        pii.decrypt(token, context=b"other")
    tampered = token[:-1] + bytes([token[-1] ^ 1])
    with pytest.raises(InvalidTag):
        pii.decrypt(tampered, context=b"citizen.cid")


def test_lookup_hash_is_keyed(settings):
    before = pii.lookup_hash("1101700230708")
    assert before == pii.lookup_hash("1101700230708")
    settings.RAKSA_PII_HMAC_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="  # another 32-byte key
    pii.reset_key_cache()
    try:
        assert pii.lookup_hash("1101700230708") != before
    finally:
        settings.RAKSA_PII_HMAC_KEY = ""
        pii.reset_key_cache()
