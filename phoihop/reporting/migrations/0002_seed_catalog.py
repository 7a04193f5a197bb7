from django.db import migrations

from phoihop.reporting.catalog import seed


def forwards(apps, schema_editor):
    seed(
        apps.get_model("reporting", "Indicator"), apps.get_model("programs", "ContentArea"),
        apps.get_model("reporting", "Disaggregation"), apps.get_model("reporting", "DisaggregationOption"),
        apps.get_model("reporting", "ValidationRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("programs", "0002_seed_content_areas")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
