"""The admin shows planning rows but writes none: every write goes through the services."""

from django.urls import reverse

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent


def test_the_admin_is_read_only_for_planning(plan, world, client):
    root = User.objects.create_superuser(
        username="root", password="x", email="root@example.org", instansi=world.instansi
    )
    client.force_login(root)
    url = reverse("admin:performance_goal_change", args=[plan.mission.pk])
    events = AuditEvent.objects.count()

    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "M1", "name": "Diubah", "level": "mission"})

    assert response.status_code == 403
    plan.mission.refresh_from_db()
    assert plan.mission.name == "Mewujudkan SDM unggul"
    assert client.get(reverse("admin:performance_target_add")).status_code == 403
    assert AuditEvent.objects.count() == events
