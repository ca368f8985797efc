"""Article intake: turn an article's text into proposals an editor reviews.

A pipeline of small steps over the text, each pure where it can be (no ORM) and each
carrying exact character offsets into the text it was given, so that every proposal can
cite its words and say which rule made it:

- `text`: lines, paragraphs, quotations, the dateline and sentences;
- `furniture`: lines (and credits) that are page furniture, not article body;
- `dates`: the date phrases of the text, resolved with `events.dates`;
- `actors`: mentions of known actors (`known`) and new-actor proposals (with `places`,
  the states of the world as news copy names them);
- `quotes`: direct quotes and reported speech with their speakers;
- `happenings`: sentences and clauses reporting events;
- `propose`: the pipeline, returning a `proposals.IntakeResult`;
- `evaluation`: the measurement against hand-annotated articles (`evaluate_intake`).
"""
