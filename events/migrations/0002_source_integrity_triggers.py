"""Database-enforced source integrity: checksums, and citations that match their source.

Check constraints cannot look at another table, so two triggers do it:

- on events_source, the checksum is always the SHA-256 of the text, and the text cannot
  change in a way that moves or alters any cited passage;
- on events_citation, the excerpt must be exactly the source text between its offsets.

Both raise SQLSTATE 23514 (check_violation), which Django reports as IntegrityError.
"""

from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD = r"""
CREATE FUNCTION events_source_integrity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.checksum := encode(sha256(convert_to(NEW.text, 'UTF8')), 'hex');
    IF TG_OP = 'UPDATE' AND NEW.text IS DISTINCT FROM OLD.text AND EXISTS (
        SELECT 1 FROM events_citation c
        WHERE c.source_id = NEW.id
          AND substr(NEW.text, c.start_offset + 1, c.end_offset - c.start_offset) IS DISTINCT FROM c.excerpt
    ) THEN
        RAISE EXCEPTION 'source % text change would break its citations', NEW.slug
            USING ERRCODE = 'check_violation', CONSTRAINT = 'events_source_text_keeps_citations';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_source_integrity
    BEFORE INSERT OR UPDATE ON events_source
    FOR EACH ROW EXECUTE FUNCTION events_source_integrity();

CREATE FUNCTION events_citation_matches_source() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    source_text text;
BEGIN
    -- FOR SHARE: a concurrent edit of the source text waits for this citation's
    -- transaction, so the source trigger then sees the citation it must keep intact.
    SELECT s.text INTO source_text FROM events_source s WHERE s.id = NEW.source_id FOR SHARE;
    IF NEW.end_offset < NEW.start_offset
       OR NEW.end_offset > char_length(source_text)
       OR substr(source_text, NEW.start_offset + 1, NEW.end_offset - NEW.start_offset) IS DISTINCT FROM NEW.excerpt
    THEN
        RAISE EXCEPTION 'citation excerpt is not the source text at offsets [%, %)', NEW.start_offset, NEW.end_offset
            USING ERRCODE = 'check_violation', CONSTRAINT = 'events_citation_excerpt_in_source';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_citation_matches_source
    BEFORE INSERT OR UPDATE ON events_citation
    FOR EACH ROW EXECUTE FUNCTION events_citation_matches_source();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS events_citation_matches_source ON events_citation;
DROP FUNCTION IF EXISTS events_citation_matches_source();
DROP TRIGGER IF EXISTS events_source_integrity ON events_source;
DROP FUNCTION IF EXISTS events_source_integrity();
"""


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        # Used by search (trigram similarity, accent-insensitive matching) and by range indexes.
        TrigramExtension(),
        UnaccentExtension(),
        BtreeGistExtension(),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
