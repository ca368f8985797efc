"""Article intake: a pasted article becomes proposals (actors, statements, events, dates,
page furniture) that editors accept, edit or reject.

A pipeline of small pure steps over the text with offsets carried through (no ORM):
`text` (lines, paragraphs, quotations, sentences), `furniture` (lines that are not article
body), `actors` (mentions of known actors, new-actor proposals), `quotes` (direct quotes and
reported speech with their speakers), `happenings` (sentences reporting events),
`propose` (the pipeline, returning `proposals.IntakeResult`) and `evaluation` (the
measurement against hand-annotated articles). Date phrases come from `dates` (the finder;
resolving stays in `events/dates.py`).
"""
