"""What the OpenAPI schema says about answers every endpoint shares: its error bodies.

The read shapes come from the read model (`events.read_model.serializers`); this module
holds the bodies of 4xx answers and the per-action schema of a record viewset.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema

BAD_REQUEST = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"date_after": ["Enter a valid date."]},
    },
    description="A parameter is invalid: each key names the parameter (or non_field_errors), with what is wrong.",
)
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
CONFLICT = OpenApiResponse(response=DETAIL, description="Other records still refer to this one.")
PRECONDITION_FAILED = OpenApiResponse(
    response=DETAIL, description="If-Match did not match: someone changed the record since you read it."
)
NOT_FOUND = OpenApiResponse(response=DETAIL, description="No such record (or not visible to you).")


def record_actions(noun: str, list_description: str, serializer, detail_serializer, write_serializer) -> dict:
    """Schema of a record viewset's actions: what each does, the read shapes, the write input, the 4xx bodies."""
    if_match = "Send the ETag of your last read as If-Match: a change made since is a 412, not overwritten."
    return {
        "list": extend_schema(
            description=list_description, responses={200: serializer(many=True), 400: BAD_REQUEST}
        ),
        "retrieve": extend_schema(
            description=f"One {noun}, by slug.", responses={200: detail_serializer, 404: NOT_FOUND}
        ),
        "create": extend_schema(
            description=f"Create a {noun} (needs the add permission); the answer is its document.",
            request=write_serializer,
            responses={201: detail_serializer, 400: BAD_REQUEST},
        ),
        "update": extend_schema(
            description=f"Replace a {noun} (needs the change permission). {if_match}",
            request=write_serializer,
            responses={200: detail_serializer, 400: BAD_REQUEST, 404: NOT_FOUND, 412: PRECONDITION_FAILED},
        ),
        "partial_update": extend_schema(
            description=f"Change some fields of a {noun} (needs the change permission). {if_match}",
            request=write_serializer,
            responses={200: detail_serializer, 400: BAD_REQUEST, 404: NOT_FOUND, 412: PRECONDITION_FAILED},
        ),
        "destroy": extend_schema(
            description=f"Delete a {noun} (needs the delete permission). {if_match}",
            responses={204: None, 404: NOT_FOUND, 409: CONFLICT, 412: PRECONDITION_FAILED},
        ),
    }
