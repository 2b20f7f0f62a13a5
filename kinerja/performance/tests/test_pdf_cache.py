"""A signed document's PDF is rendered once and served again from the cache; a draft, a new
version or a changed page renders anew."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from kinerja.core import pdf
from kinerja.performance.models import Agreement

from .test_documents_pdf import signed  # noqa: F401  (the signed agreement fixture)
from .test_skp import s  # noqa: F401  (the employee plan fixtures)
from .test_skp_extra import team  # noqa: F401


@pytest.fixture
def t(team):  # noqa: F811
    return team


@pytest.fixture
def renders():
    """Counts WeasyPrint's runs (each one answers fixed bytes)."""
    cache.clear()
    with mock.patch.object(pdf, "_write_pdf", return_value=b"%PDF-1.7 test") as write:
        yield write
    cache.clear()


def test_a_signed_agreement_is_rendered_once(signed, login, world, renders):  # noqa: F811
    client = login(world.users["opd_admin"])
    page = reverse("performance:agreement_pdf", args=[signed.pk])
    api = f"/api/v1/agreements/{signed.pk}/pdf/"
    assert client.get(page).content == b"%PDF-1.7 test"
    assert renders.call_count == 1
    assert client.get(page).status_code == 200
    assert client.get(api, HTTP_ACCEPT="application/pdf").status_code == 200
    assert renders.call_count == 1
    # A new version is another document.
    Agreement.objects.filter(pk=signed.pk).update(version=F("version") + 1)
    assert client.get(page).status_code == 200
    assert renders.call_count == 2
    assert client.get(page).status_code == 200
    assert renders.call_count == 2


def test_a_changed_page_renders_anew(signed, login, world, renders):  # noqa: F811
    client = login(world.users["opd_admin"])
    page = reverse("performance:agreement_pdf", args=[signed.pk])
    client.get(page)
    # The unit renamed: same version, but the page reads otherwise.
    signed.unit.name = "Dinas Pendidikan dan Kebudayaan"
    signed.unit.save(update_fields=["name"])
    client.get(page)
    assert renders.call_count == 2


def test_a_draft_renders_every_time(signed, login, world, renders):  # noqa: F811
    Agreement.objects.filter(pk=signed.pk).update(status="draft", signed_at=None)
    client = login(world.users["opd_admin"])
    page = reverse("performance:agreement_pdf", args=[signed.pk])
    client.get(page)
    client.get(page)
    assert renders.call_count == 2


def test_a_signed_skp_is_rendered_once(t, client, renders):
    from django.utils import timezone

    from kinerja.performance.models import Plan

    client.force_login(t.siti_user)
    page = reverse("performance:plan_pdf", args=[t.siti_plan.pk])
    client.get(page)
    client.get(page)
    assert renders.call_count == 2  # a draft: every time
    Plan.objects.filter(pk=t.siti_plan.pk).update(status="signed", signed_at=timezone.now())
    client.get(page)
    client.get(page)
    assert renders.call_count == 3
    Plan.objects.filter(pk=t.siti_plan.pk).update(version=F("version") + 1)
    assert client.get(page).content == b"%PDF-1.7 test"
    assert renders.call_count == 4
