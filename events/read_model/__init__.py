"""The read model: each JSON shape the API reads out, declared once, and what is generated from it.

- `spec`: the vocabulary of declarations (a column, a link, a brief, a list, ...);
- `shapes`: the shapes themselves (event, statement, actor, conflict, source, the
  timeline's items): the public contract;
- `sql`: a shape as SQL, the documents PostgreSQL builds for every read;
- `serializers`: a shape as DRF serializers, for the OpenAPI schema, and the prefetches
  that give the serializers their lists in the shape's order;
- `stored`: the lists kept on an event's row, and the triggers that keep them current.
"""
