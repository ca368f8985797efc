"""What the OpenAPI schema says about answers every endpoint shares: error bodies, throttling, outages.

The read shapes come from the read model (`events.read_model.serializers`); this module
holds the bodies of 4xx answers, the per-action schema of a record viewset, the schema
class (reads need no credentials) and a hook adding to every operation the answers any
of them can give: 429 when throttled and 503 while the database is unavailable, each
with `Retry-After`.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import SAFE_METHODS

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


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, knowing that the API's reads need no credentials.

    It recognises DRF's AllowAny and IsAuthenticatedOrReadOnly; the API's permission
    (events.api.permissions.ModelPermissionsOrAnonReadOnly) also lets anyone read.
    """

    def get_auth(self):
        from events.api.permissions import ModelPermissionsOrAnonReadOnly

        auths = super().get_auth()
        readable = any(isinstance(p, ModelPermissionsOrAnonReadOnly) for p in self.view.get_permissions())
        if readable and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths


RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
SHARED_ANSWERS = {
    "429": "Too many requests from this client (anonymous clients: API_ANON_THROTTLE_RATE); try again later.",
    "503": "The database is unavailable (restarting, failing over); try again shortly.",
}


def document_shared_answers(result, generator, request, public):
    """A drf-spectacular postprocessing hook: every operation may answer 429 and 503, with Retry-After."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in SHARED_ANSWERS.items():
                responses.setdefault(
                    status,
                    {
                        "content": {"application/json": {"schema": DETAIL}},
                        "headers": {"Retry-After": RETRY_AFTER},
                        "description": description,
                    },
                )
    return result
