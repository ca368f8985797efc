"""Article intake: turn an article's text into proposals an editor reviews.

A pipeline of small steps over the text, each pure where it can be (no ORM) and each
carrying exact character offsets into the text it was given, so that every proposal can
cite its words and say which rule made it. `dates` finds date phrases and resolves them
with `events.dates`.
"""
