from django.db import migrations, models
from django.db.models import F


def from_the_last_event(apps, schema_editor):
    """An existing chain's access state starts at its last event: every scope kept before is
    worked out again once."""
    AuditChain = apps.get_model("audit", "AuditChain")
    AuditChain.objects.update(access_sequence=F("last_sequence"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_chain_without_key_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchain",
            name="access_sequence",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(from_the_last_event, migrations.RunPython.noop),
    ]
