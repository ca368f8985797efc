"""Who may do what through the API: editors' model permissions, and reading for everyone."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's DjangoModelPermissionsOrAnonReadOnly, without building a queryset to allow a read.

    DRF builds the view's queryset to learn its model, then looks the method up in
    `perms_map`. Reads (GET, HEAD, OPTIONS) need no permission there, whatever the model,
    so they are allowed at once; what a reader may see is the queryset's own business
    (`events.selectors`).
    """

    def has_permission(self, request, view) -> bool:
        if request.user and self.perms_map.get(request.method, None) == []:
            return True
        return super().has_permission(request, view)
