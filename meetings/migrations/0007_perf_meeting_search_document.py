"""The list's full text reads one stored vector per meeting (title A, lead B, transcript D).

PostgreSQL keeps it current with triggers, so the importer, the admin and any SQL edit stay
right without calling anything: a meeting's own trigger when its title, lead or language
change, and statement-level triggers on utterances (one recomputation per meeting touched by
a bulk insert, update or delete, not one per row).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

FUNCTIONS = r"""
CREATE FUNCTION meetings_meeting_document(m_id bigint, m_language text, m_title text,
                                          m_lead text) RETURNS tsvector
LANGUAGE plpgsql STABLE AS $$
DECLARE
    cfg regconfig := CASE WHEN m_language = 'ru' THEN 'russian' ELSE 'english' END;
    own tsvector := setweight(to_tsvector(cfg, coalesce(m_title, '')), 'A')
                 || setweight(to_tsvector(cfg, coalesce(m_lead, '')), 'B');
    said text;
BEGIN
    SELECT string_agg(u.text, E'\n' ORDER BY u.position) INTO said
      FROM meetings_utterance u WHERE u.meeting_id = m_id;
    IF said IS NULL THEN
        RETURN own;
    END IF;
    BEGIN
        RETURN own || setweight(to_tsvector(cfg, said), 'D');
    EXCEPTION WHEN program_limit_exceeded THEN
        -- A transcript too long for a tsvector with positions: keep its words without them.
        RETURN own || strip(to_tsvector(cfg, said));
    END;
END $$;

CREATE FUNCTION meetings_meeting_document_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := meetings_meeting_document(NEW.id, NEW.language, NEW.title, NEW.lead);
    RETURN NEW;
END $$;

CREATE TRIGGER meeting_document_insert BEFORE INSERT ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION meetings_meeting_document_row();
CREATE TRIGGER meeting_document_update BEFORE UPDATE ON meetings_meeting
    FOR EACH ROW
    WHEN (NEW.title IS DISTINCT FROM OLD.title OR NEW.lead IS DISTINCT FROM OLD.lead
          OR NEW.language IS DISTINCT FROM OLD.language)
    EXECUTE FUNCTION meetings_meeting_document_row();

CREATE FUNCTION meetings_utterance_document_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE meetings_meeting m
           SET search_document = meetings_meeting_document(m.id, m.language, m.title, m.lead)
         WHERE m.id IN (SELECT meeting_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE meetings_meeting m
           SET search_document = meetings_meeting_document(m.id, m.language, m.title, m.lead)
         WHERE m.id IN (SELECT meeting_id FROM old_rows);
    ELSE
        UPDATE meetings_meeting m
           SET search_document = meetings_meeting_document(m.id, m.language, m.title, m.lead)
         WHERE m.id IN (
             SELECT n.meeting_id FROM new_rows n JOIN old_rows o ON o.id = n.id
              WHERE n.text IS DISTINCT FROM o.text OR n.position IS DISTINCT FROM o.position
                 OR n.meeting_id IS DISTINCT FROM o.meeting_id
             UNION
             SELECT o.meeting_id FROM new_rows n JOIN old_rows o ON o.id = n.id
              WHERE n.meeting_id IS DISTINCT FROM o.meeting_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER utterance_document_insert AFTER INSERT ON meetings_utterance
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_utterance_document_statement();
CREATE TRIGGER utterance_document_update AFTER UPDATE ON meetings_utterance
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_utterance_document_statement();
CREATE TRIGGER utterance_document_delete AFTER DELETE ON meetings_utterance
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_utterance_document_statement();

UPDATE meetings_meeting
   SET search_document = meetings_meeting_document(id, language, title, lead);
"""

DROP = """
DROP TRIGGER IF EXISTS utterance_document_insert ON meetings_utterance;
DROP TRIGGER IF EXISTS utterance_document_update ON meetings_utterance;
DROP TRIGGER IF EXISTS utterance_document_delete ON meetings_utterance;
DROP TRIGGER IF EXISTS meeting_document_insert ON meetings_meeting;
DROP TRIGGER IF EXISTS meeting_document_update ON meetings_meeting;
DROP FUNCTION IF EXISTS meetings_utterance_document_statement();
DROP FUNCTION IF EXISTS meetings_meeting_document_row();
DROP FUNCTION IF EXISTS meetings_meeting_document(bigint, text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_people_name_key")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text=(
                    "Title (A), lead (B) and transcript (D) in the page's language's "
                    "configuration, kept up to date by PostgreSQL triggers on meetings and "
                    "utterances."
                ),
                null=True,
                verbose_name="search document",
            ),
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
        migrations.AddIndex(
            model_name="meeting",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_document"], name="meeting_search_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["-date", "-starts_at", "-id"], name="meeting_list_order_idx"
            ),
        ),
    ]
