"""Statement-level triggers with transition tables: what the triggers keeping derived data share.

A statement that writes many rows (a merge, a bulk link, a rename) fires each of these
once, with every row it wrote in `new_rows` and `old_rows`, so the work it starts (a
stored list refreshed, a change logged) is done once, set-based, not once a row.
PostgreSQL allows transition tables on a trigger of one operation only, hence one
trigger per operation.
"""

import pgtrigger

# operation -> (pgtrigger's operation, its transition tables)
OPERATIONS = {
    "insert": (pgtrigger.Insert, pgtrigger.Referencing(new="new_rows")),
    "update": (pgtrigger.Update, pgtrigger.Referencing(old="old_rows", new="new_rows")),
    "delete": (pgtrigger.Delete, pgtrigger.Referencing(old="old_rows")),
    "truncate": (pgtrigger.Truncate, None),
}


class StatementTrigger(pgtrigger.Trigger):
    """An AFTER ... FOR EACH STATEMENT trigger of one operation (`self.op`), with its transition tables."""

    when = pgtrigger.After
    level = pgtrigger.Statement

    def __init__(self, *, name: str, operation: str, **kwargs):
        self.op = operation
        pgtrigger_operation, referencing = OPERATIONS[operation]
        super().__init__(name=name, operation=pgtrigger_operation, referencing=referencing, **kwargs)
