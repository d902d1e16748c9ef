"""The SQLite FTS5 index of lesson sections (PostgreSQL searches the table itself)."""

from django.db import migrations

FTS_TABLE = "studyapp_section_fts"


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
            "USING fts5(heading, text, lesson_title, tokenize='porter unicode61')"
        )


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("studyapp", "0001_initial")]
    operations = [migrations.RunPython(create_fts, drop_fts)]
