"""The demo step: through the services, deterministic, wiped."""

from types import SimpleNamespace

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.risks import demo
from kinerja.risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db


def test_demo_registers_the_same_risks_every_run_and_wipes_them(world, plan):
    ctx = SimpleNamespace(instansi=world.instansi)
    first_summary = demo.demo_risks_run(ctx)
    rows = list(Risk.objects.order_by("pk").values_list("title", "level", "status", "source"))
    # Agency A's PK holds DIK-02 (a generic risk) and no keyword indicator.
    assert rows == [
        (
            "Data realisasi capaian Persentase lulusan SMK yang bekerja terlambat atau tidak valid",
            9,
            "mitigating",
            "manual",
        )
    ]
    assert Mitigation.objects.get().status == "done"
    assert AuditEvent.objects.filter(action="risk.create").count() == 1
    assert demo.demo_risks_run(ctx).startswith("dipertahankan")  # kept
    assert demo.demo_risks_wipe(ctx) == "1 risiko dihapus"
    assert not Risk.objects.exists() and not Mitigation.objects.exists()
    assert demo.demo_risks_run(ctx) == first_summary
    again = list(Risk.objects.order_by("pk").values_list("title", "level", "status", "source"))
    assert again == rows
