# The import job, moved here from core: the table core renamed is taken over as it is.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0002_move_importjob_to_imports'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                name='ImportJob',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=40, verbose_name='kind')),
                    ('file', models.FileField(max_length=255, upload_to='imports/%Y/%m/', verbose_name='file')),
                    ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                    ('dry_run', models.BooleanField(default=False, verbose_name='dry run only')),
                    ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                    ('status', models.CharField(choices=[('pending', 'Waiting'), ('validating', 'Checking'), ('invalid', 'Invalid'), ('importing', 'Importing'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=12, verbose_name='status')),
                    ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                    ('processed_rows', models.PositiveIntegerField(default=0, verbose_name='rows checked')),
                    ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                    ('error_count', models.PositiveIntegerField(default=0, verbose_name='number of errors')),
                    ('counts', models.JSONField(blank=True, default=dict, verbose_name='counts')),
                    ('message', models.TextField(blank=True, verbose_name='message')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='import_jobs', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ('instansi', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.instansi', verbose_name='instansi')),
                ],
                options={
                    'verbose_name': 'import job',
                    'verbose_name_plural': 'import jobs',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['instansi', '-created_at'], name='core_importjob_recent_idx')],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
