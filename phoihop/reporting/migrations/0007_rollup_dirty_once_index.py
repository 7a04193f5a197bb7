"""SQLite: the rollup's queue holds each (organisation, period) once — the unique index the
SQLite triggers' INSERT OR IGNORE relies on (row triggers would otherwise queue one row per value
written). Safe because a refresh holds the write lock from its claim to its commit, so no write
can be folded into a row being claimed.

`rollup.ensure_triggers` created this index at run time until now; existing databases have it
(IF NOT EXISTS). PostgreSQL is left alone: its statement triggers queue once per statement and a
refresh claims with DELETE … RETURNING, duplicates included.

The index is not in Django's model state (it must not exist on PostgreSQL), so a later migration
that makes SQLite rebuild `reporting_rollupdirty` must create it again (the test
`test_a_fresh_migrate_has_the_sqlite_queue_index` fails otherwise)."""

from django.db import migrations

DIRTY = "reporting_rollupdirty"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"DELETE FROM {DIRTY} WHERE id NOT IN (SELECT MIN(id) FROM {DIRTY} GROUP BY organization_id, period_id)"
    )
    schema_editor.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS rollup_dirty_once ON {DIRTY} (organization_id, period_id)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS rollup_dirty_once")


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0006_submission_submitted_by'),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
