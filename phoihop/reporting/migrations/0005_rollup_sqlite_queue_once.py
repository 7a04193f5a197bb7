"""SQLite: the rollup's triggers queue each (organisation, period) once (INSERT OR IGNORE on a
unique index). Dropping the old triggers here makes `rollup.ensure_triggers` (run after every
migrate) install the new ones and the index. The index has been created by migration 0007 since,
not at run time."""

from django.db import migrations


def drop_sqlite_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup_%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_rollup_version")]
    operations = [migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop)]
