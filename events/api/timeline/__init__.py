"""/api/v1/timeline/: events and statements in one chronological stream.

- `filters`: the query string, validated once, and the two filtered streams;
- `pagination`: cursor pages over the two streams merged by their sort keys;
- `exports`: the CSV and TimelineJS documents of a whole stream;
- `schema`: what the OpenAPI document says about it, derived from the filters;
- `views`: the view that puts them together.
"""

from events.api.timeline.views import TimelineView

__all__ = ["TimelineView"]
