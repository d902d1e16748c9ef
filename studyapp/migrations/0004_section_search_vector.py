"""PostgreSQL: a stored, GIN-indexed search vector per section, filled by sync_content.

SQLite keeps its FTS5 table (0002). Searching then reads an index instead of parsing every
section with to_tsvector on each query.
"""

from django.db import migrations

FILL = """
UPDATE studyapp_section AS s SET search_vector =
    setweight(to_tsvector('english', s.heading), 'A')
    || setweight(to_tsvector('english', s.text), 'B')
    || setweight(to_tsvector('english', l.title), 'A')
FROM studyapp_lesson AS l WHERE l.id = s.lesson_id
"""


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE studyapp_section ADD COLUMN IF NOT EXISTS search_vector tsvector")
        schema_editor.execute(FILL)
        schema_editor.execute("CREATE INDEX IF NOT EXISTS studyapp_section_search_vector ON studyapp_section USING GIN (search_vector)")


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE studyapp_section DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("studyapp", "0003_study_plan")]
    operations = [migrations.RunPython(add_vector, drop_vector)]
