"""Optional error reporting: unhandled errors sent to Sentry (or a server speaking its
protocol, such as GlitchTip) when SENTRY_DSN is set.

With SENTRY_DSN unset, nothing is sent and sentry_sdk is never imported: settings call
`error_reporting_init` only when there is a DSN. With it, each unhandled error in a
request (every 500: a bug, a statement timeout, a deadlock that could not be run again)
is reported with its traceback and tagged with the request's id, the one in the JSON logs
and the response's X-Request-ID header. Warnings and errors logged by the app travel with
it as breadcrumbs. Outages (the 503s of `timeline.db_unavailable`) are answered, not
raised, so they are not reported one by one; the logs and /readyz show them.

No personal data is sent (no user names, cookies, addresses or request bodies), and no
performance tracing unless SENTRY_TRACES_SAMPLE_RATE asks for it.
"""

from __future__ import annotations

from typing import Any


def error_reporting_init(
    *, dsn: str, environment: str, release: str | None, traces_sample_rate: float
) -> None:
    """Start reporting unhandled errors to the Sentry project named by `dsn`."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        before_send=_tag_request_id,
    )


def _tag_request_id(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Tags the event with the id of the request it happened in (or "-" outside a request)."""
    from timeline.request_log import request_id_var

    event.setdefault("tags", {})["request_id"] = request_id_var.get()
    return event
