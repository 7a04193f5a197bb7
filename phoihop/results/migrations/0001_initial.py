"""The rollup's models move from `reporting` to `results` in Django's state only.

Their tables keep their names (`reporting_rollup`, `reporting_rollupdirty`,
`reporting_rollupversion`): the rollup triggers write to them by name, and existing rows stay
where they are. Nothing is done to the database except renaming the models' content types (and
so their permissions) where they already exist. `reporting.0008_rollup_moves_to_results` removes
the models from reporting's state after this. See docs/adr/0006-read-side.md.
"""

from django.db import migrations, models

MODELS = ["rollup", "rollupdirty", "rollupversion"]


def rename_content_types(apps, schema_editor, old="reporting", new="results"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label=old, model__in=MODELS).exclude(
        model__in=ContentType.objects.using(db).filter(app_label=new).values("model"),
    ).update(app_label=new)


def rename_content_types_back(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="results", new="reporting")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reporting", "0007_rollup_dirty_once_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RollupDirty",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("organization_id", models.BigIntegerField()),
                        ("period_id", models.BigIntegerField()),
                    ],
                    options={"db_table": "reporting_rollupdirty"},
                ),
                migrations.CreateModel(
                    name="Rollup",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("organization_id", models.BigIntegerField()),
                        ("indicator_id", models.BigIntegerField()),
                        ("period_type", models.CharField(max_length=12)),
                        ("year", models.PositiveIntegerField()),
                        ("approved", models.BooleanField()),
                        ("total", models.DecimalField(decimal_places=2, max_digits=24)),
                        ("count", models.PositiveIntegerField()),
                        ("top", models.DecimalField(decimal_places=2, max_digits=24)),
                        ("last_end", models.DateField()),
                        ("last_value", models.DecimalField(decimal_places=2, max_digits=24)),
                    ],
                    options={
                        "db_table": "reporting_rollup",
                        "indexes": [models.Index(fields=["year", "indicator_id"], name="rollup_year_indicator")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organization_id", "indicator_id", "period_type", "year", "approved"),
                                name="one_rollup_row",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RollupVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=20, unique=True)),
                        ("token", models.CharField(max_length=32)),
                    ],
                    options={"db_table": "reporting_rollupversion"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, rename_content_types_back),
    ]
