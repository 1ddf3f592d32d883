"""Every public endpoint is rate-limited per client and globally, with a clear Vietnamese
message (HTTP 429 and Retry-After), and size-limited (HTTP 413) before the body is parsed.
The counters live in Django's cache, so the file cache shares them across processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from giamsat.petitions import ratelimit
from giamsat.petitions.models import Petition
from tests.petitions.test_hotline import _form

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hotline(settings, tree):
    settings.GIAMSAT_HOTLINE_UNITS = [tree.city.code]
    return tree.city


def _client(ip="203.0.113.7"):
    return Client(REMOTE_ADDR=ip)


def test_submissions_are_limited_per_client(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_SUBMITS_PER_HOUR = 2
    client = _client()
    for _ in range(2):
        assert client.post(reverse("hotline:home"), _form(hotline)).status_code == 200
    refused = client.post(reverse("hotline:home"), _form(hotline))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Bạn đã gửi quá nhiều yêu cầu từ kết nối này" in refused.content.decode()
    assert Petition.objects.count() == 2
    # Another client is not affected.
    assert _client("198.51.100.9").post(reverse("hotline:home"), _form(hotline)).status_code == 200


def test_the_limit_resets_after_the_window(hotline, settings):
    settings.GIAMSAT_HOTLINE_SUBMITS_PER_HOUR = 1
    client = _client()
    with time_machine.travel(dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC), tick=False) as t:
        assert client.post(reverse("hotline:home"), _form(hotline)).status_code == 200
        assert client.post(reverse("hotline:home"), _form(hotline)).status_code == 429
        t.shift(dt.timedelta(hours=1, minutes=1))
        assert client.post(reverse("hotline:home"), _form(hotline)).status_code == 200


def test_receipt_code_lookups_are_limited(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_LOOKUPS_PER_HOUR = 3
    client = _client()
    statuses = [
        client.post(reverse("hotline:status"), {"code": f"{i:020d}"}).status_code for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_global_limit_stops_distributed_guessing(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_LOOKUPS_PER_HOUR = 100
    settings.GIAMSAT_HOTLINE_GLOBAL_LOOKUPS_PER_HOUR = 4
    statuses = [
        _client(f"192.0.2.{i}").post(reverse("hotline:status"), {"code": f"{i:020d}"}).status_code
        for i in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_follow_ups_are_limited(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_FOLLOWUPS_PER_HOUR = 1
    client = _client()
    assert client.post(reverse("hotline:follow_up"), {"code": "1" * 20}).status_code == 200
    assert client.post(reverse("hotline:follow_up"), {"code": "1" * 20}).status_code == 429


def test_page_views_are_limited(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_PAGES_PER_MINUTE = 3
    client = _client()
    codes = [client.get(reverse("hotline:home")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(reverse("hotline:status")).status_code == 429


def test_oversized_requests_are_refused_before_parsing(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_MAX_REQUEST_MB = 1
    body = b"x" * (1024 * 1024 + 10)
    response = _client().generic(
        "POST",
        reverse("hotline:home"),
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert response.status_code == 413
    assert "tối đa 1 MB" in response.content.decode()
    assert not Petition.objects.exists()


def test_oversized_file_is_refused_with_its_name(hotline, settings, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.GIAMSAT_HOTLINE_MAX_FILE_MB = 1
    big = SimpleUploadedFile("bien_ban.pdf", b"%PDF" + b"0" * (1024 * 1024 + 1), "application/pdf")
    response = _client().post(reverse("hotline:home"), {**_form(hotline), "files": [big]})
    assert "bien_ban.pdf" in response.content.decode()
    assert not Petition.objects.exists()


def test_client_addresses_are_not_kept_in_clear(rf, settings):
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    key = ratelimit.client_id(request)
    assert "203.0.113.7" not in key and len(key) == 24


def test_counters_are_shared_across_processes_with_the_file_cache(tmp_path, rf):
    """Another process (another gunicorn worker) counts against the same limit."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    moment = dt.datetime(2024, 3, 4, 2, 10, tzinfo=dt.UTC)
    with override_settings(CACHES=caches), time_machine.travel(moment, tick=False):
        child = f"""
import datetime as dt, os, django, time_machine
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
django.setup()
from django.conf import settings
settings.CACHES = {caches!r}
from django.test import RequestFactory
from giamsat.petitions import ratelimit
with time_machine.travel(dt.datetime(2024, 3, 4, 2, 10, tzinfo=dt.UTC), tick=False):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    limit = ratelimit.Limit("submit", 2, 3600)
    print([ratelimit.hit(request, limit) for _ in range(2)])
"""
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", child], capture_output=True, text=True, env=env, cwd=ROOT
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "[None, None]"
        request = rf.post("/", REMOTE_ADDR="203.0.113.7")
        assert ratelimit.hit(request, ratelimit.Limit("submit", 2, 3600)) is not None
