"""The unit of each change (for scoping the audit page), append-only like the rest of the trail.

On PostgreSQL the trigger function of migration 0003 also guards the new table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TABLE = "audit_changeunit"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION giamsat_append_only()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_triggers'),
        ('auditlog', '0017_add_actor_email'),
        ('units', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeUnit',
            fields=[
                ('log_entry', models.OneToOneField(on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to=settings.AUDITLOG_LOGENTRY_MODEL)),
                ('unit', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit', verbose_name='party organisation')),
            ],
            options={
                'verbose_name': 'unit of a change',
                'verbose_name_plural': 'units of changes',
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
