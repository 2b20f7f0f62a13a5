from django.db import migrations


def load(apps, schema_editor):
    from kinerja.training.reference import load_reference

    load_reference(apps.get_model("training", "Competency"), apps.get_model("training", "TrainingType"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_foundation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
