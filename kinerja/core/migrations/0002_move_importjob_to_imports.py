# The import job moved to the imports app; its table is renamed there, its rows are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_add_importjob'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='ImportJob', table='imports_importjob'),
            ],
            state_operations=[
                migrations.DeleteModel(name='ImportJob'),
            ],
        ),
    ]
