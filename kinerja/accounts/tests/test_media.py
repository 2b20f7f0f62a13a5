"""Uploaded files are never served by a static route, not even with DEBUG on."""

import importlib

import pytest
from django.urls import clear_url_caches

import config.urls


@pytest.fixture
def debug_urls(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "pegawai.xlsx").write_bytes(b"PK\x03\x04 personal data")
    importlib.reload(config.urls)  # the URLconf as a DEBUG process builds it
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.parametrize("signed_in", [False, True])
def test_media_files_are_404_with_debug_on(world, client, debug_urls, signed_in):
    if signed_in:
        client.force_login(world.users["system_admin"])

    response = client.get("/media/imports/pegawai.xlsx")

    assert response.status_code == 404
    assert b"personal data" not in b"".join(getattr(response, "streaming_content", [b""]))
