"""Seed the national catalog of commemorations (idempotent: update_or_create by code)."""

from django.db import migrations


def seed(apps, schema_editor):
    from phoihop.almanac.catalog import seed as seed_catalog

    seed_catalog(apps.get_model("almanac", "Commemoration"))


class Migration(migrations.Migration):
    dependencies = [("almanac", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
