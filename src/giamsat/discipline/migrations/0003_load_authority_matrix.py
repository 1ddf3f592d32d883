"""Load the default authority matrix (QĐ 30 / QĐ 22 / QĐ 296) from
``discipline/data/authority_matrix.csv``; unread and post-2025 values are flagged unconfirmed
for an administrator to correct. The loader takes the historical model."""

from django.db import migrations

from giamsat.discipline.authority_data import load_authority_matrix


def load(apps, schema_editor):
    load_authority_matrix(apps.get_model("discipline", "AuthorityRule"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0002_relations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
