"""Settings for the test suite: the product's settings with test-friendly environment."""

import os

os.environ.setdefault("GIAMSAT_TESTING", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
os.environ.setdefault("GIAMSAT_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from giamsat.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
AXES_ENABLED = False  # lockout has its own tests, which switch it on
GIAMSAT_SEAL_KEYS = GIAMSAT_SEAL_KEYS or ["ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg="]  # noqa: F405
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
