from django.db import migrations

from phoihop.programs.content_areas import CONTENT_AREAS


def seed(apps, schema_editor):
    ContentArea = apps.get_model("programs", "ContentArea")
    for order, (code, name) in enumerate(CONTENT_AREAS, start=1):
        ContentArea.objects.update_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
