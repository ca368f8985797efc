"""Rules PostgreSQL enforces on every writer, declared as triggers on the models that need them.

Every event and statement keeps at least one citation: the words of a source that support
it. The admin's forms, the API and the loader refuse a record without one; these
triggers refuse it again underneath, whatever writes (a raw SQL session, a future
writer). They are deferred to the end of the transaction, so a record and its first
citation can be written in either order, and a citation can be replaced by another.
"""

import pgtrigger

_MESSAGE = "every {noun} keeps at least one citation, the words of a source that support it"


def _check(table: str, noun: str, row_id: str) -> str:
    return f"""
IF {row_id} IS NOT NULL
   AND EXISTS (SELECT 1 FROM {table} WHERE id = {row_id})
   AND NOT EXISTS (SELECT 1 FROM events_citation WHERE {noun}_id = {row_id}) THEN
    RAISE EXCEPTION '{noun} % has no citation left: {_MESSAGE.format(noun=noun)}',
        (SELECT slug FROM {table} WHERE id = {row_id})
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'events_{noun}_keeps_a_citation';
END IF;"""


def keeps_a_citation(table: str, noun: str) -> pgtrigger.Trigger:
    """On an event or statement: checked at commit for each one written."""
    return pgtrigger.Trigger(
        name=f"{noun}_keeps_a_citation",
        when=pgtrigger.After,
        operation=pgtrigger.Insert,
        timing=pgtrigger.Deferred,
        func=_check(table, noun, "NEW.id") + "\nRETURN NULL;",
    )


def citation_still_kept() -> pgtrigger.Trigger:
    """On a citation moved or deleted: the record it supported, if it still exists, keeps another."""
    return pgtrigger.Trigger(
        name="record_keeps_a_citation",
        when=pgtrigger.After,
        operation=pgtrigger.Update | pgtrigger.Delete,
        timing=pgtrigger.Deferred,
        func=_check("events_event", "event", "OLD.event_id")
        + _check("events_statement", "statement", "OLD.statement_id")
        + "\nRETURN NULL;",
    )
