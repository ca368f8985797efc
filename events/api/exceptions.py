"""API error bodies for database refusals that DRF does not handle by itself.

- deleting a record others still point at (an actor who spoke, a cited source) is a 409
  naming what still refers to it, not a 500;
- a write the database refuses (a check constraint or trigger) is a 400 quoting the rule;
- saving a record another writer deleted meanwhile is a 404 saying so (`Versioned.save`).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError
from django.db.models import ProtectedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from events.seeding.format import flatten_errors


def api_exception_handler(exc, context):
    if isinstance(exc, ObjectDoesNotExist):
        # A record deleted by another writer between this request's read and its save.
        return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, ProtectedError):
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        return Response(
            {"detail": f"cannot delete: still referred to by {', '.join(kinds)}"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        diag = getattr(exc.__cause__, "diag", None)
        message = (
            diag.message_primary
            if diag is not None and diag.message_primary
            else "the database refused this change"
        )
        name = f" ({diag.constraint_name})" if diag is not None and diag.constraint_name else ""
        return Response({"non_field_errors": [message + name]}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is not None and response.status_code == 400 and isinstance(response.data, dict):
        response.data = {field: _messages(errors) for field, errors in response.data.items()}
    return response


def _messages(errors) -> list[str]:
    """One field's errors as a flat list of strings, as the schema promises; nested errors
    (a list item, a nested object) keep their place as a prefix: "[0].role: not a valid choice"."""
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        return list(errors)
    return flatten_errors(errors)
