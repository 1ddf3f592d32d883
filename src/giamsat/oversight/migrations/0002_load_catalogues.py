"""Load the catalogues (27 manifestations, 19 prohibitions, violation groups) from the data
files ``oversight/data/catalogues.csv`` and ``catalogue_items.csv``, each row with its source.
Items the research could not read verbatim are loaded with their topic and flagged.

The loader lives next to the data (``oversight.catalogue_data``) and takes the historical
models, so it never imports the app's models."""

from django.db import migrations

from giamsat.oversight.catalogue_data import load_catalogues


def load(apps, schema_editor):
    load_catalogues(apps.get_model("oversight", "Catalogue"), apps.get_model("oversight", "CatalogueItem"))


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
