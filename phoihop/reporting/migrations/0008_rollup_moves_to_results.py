"""The rollup's models now belong to `results` (its migration 0001 adds them to its state with
the same tables); reporting forgets them. State only: the tables, their rows and the triggers
are untouched. See docs/adr/0006-read-side.md."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0007_rollup_dirty_once_index"),
        ("results", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Rollup"),
                migrations.DeleteModel(name="RollupDirty"),
                migrations.DeleteModel(name="RollupVersion"),
            ],
            database_operations=[],
        ),
    ]
