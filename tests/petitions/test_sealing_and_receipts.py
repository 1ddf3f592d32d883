"""Identities are sealed with Fernet keys from the environment (rotation with MultiFernet,
fail loudly in production without a key); receipt codes are random, 20 digits, and stored
only as an HMAC under a server key."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from giamsat.petitions import receipts, sealing
from giamsat.petitions.models import SealedIdentity
from giamsat.petitions.services import IdentityData

SECRET = {"full_name": "Trần Thị Bí Mật", "phone": "0912345678"}


def test_seal_round_trip_and_the_token_hides_the_content():
    token = sealing.seal(SECRET)
    assert "Bí Mật" not in token and "0912345678" not in token
    assert sealing.unseal(token) == SECRET


def test_key_rotation_reads_old_tokens_and_reseals_with_the_new_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GIAMSAT_SEAL_KEYS = [old]
    token = sealing.seal(SECRET)
    settings.GIAMSAT_SEAL_KEYS = [new, old]
    assert sealing.unseal(token) == SECRET
    rotated = sealing.reseal(token)
    settings.GIAMSAT_SEAL_KEYS = [new]
    assert sealing.unseal(rotated) == SECRET
    with pytest.raises(sealing.SealError):
        sealing.unseal(token)


def test_production_without_a_key_fails_loudly(settings):
    settings.GIAMSAT_SEAL_KEYS = []
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(ImproperlyConfigured):
        sealing.seal(SECRET)


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.GIAMSAT_SEAL_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        sealing.fernet()


def test_settings_refuse_to_start_in_production_without_keys(tmp_path):
    """Importing the settings with DEBUG off and no seal/receipt key raises."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIAMSAT_", "DEBUG"))} | {
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "giamsat.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode != 0
    assert "GIAMSAT_RECEIPT_KEY" in out.stderr or "GIAMSAT_SEAL_KEYS" in out.stderr


def test_sealed_rows_and_identity_data_never_print_their_content(db):
    row = SealedIdentity.objects.create(ciphertext=sealing.seal(SECRET))
    assert "Bí Mật" not in str(row) and "Bí Mật" not in repr(row)
    data = IdentityData(full_name="Trần Thị Bí Mật")
    assert "Bí Mật" not in repr(data) and "Bí Mật" not in str(data)


def test_receipt_codes_are_20_random_digits():
    codes = {receipts.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 20 and c.isdigit() for c in codes)
    # Leading digits vary (no fixed prefix an attacker could use).
    assert len({c[:2] for c in codes}) > 50


def test_receipt_hash_is_keyed(settings):
    code = "12345678901234567890"
    settings.GIAMSAT_RECEIPT_KEY = "key-one"
    first = receipts.hash_code(code)
    settings.GIAMSAT_RECEIPT_KEY = "key-two"
    second = receipts.hash_code(code)
    assert first != second
    assert first != hashlib.sha256(code.encode()).hexdigest()
    assert first == hmac.new(b"key-one", code.encode(), hashlib.sha256).hexdigest()


def test_typed_codes_are_normalised():
    assert receipts.normalise("1234 5678-9012 3456 7890") == "12345678901234567890"
    assert receipts.normalise("1234") is None
    assert receipts.format_code("12345678901234567890") == "1234 5678 9012 3456 7890"
