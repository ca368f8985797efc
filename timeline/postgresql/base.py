"""Django's PostgreSQL backend; a kept connection is checked without a query.

With CONN_HEALTH_CHECKS, Django checks a connection kept from an earlier request before
the request's first query. The stock backend sends `SELECT 1`: a round trip and a second
statement on every request, about a tenth of a list request's time under load.

An idle connection has nothing to read. PostgreSQL sends nothing unprompted, except when
it ends the session (a restart, a failover, an administrator's pg_terminate_backend: an
error message, then end of file) or reports a changed server parameter (a standby
promoted). So a readable socket means the connection is gone or the server changed under
it, and it is replaced; nothing to read means it is still there. This is how urllib3
decides whether a kept HTTP connection was dropped (`is_connection_dropped`).

The trade: a connection that vanished without a word (a host powered off, a firewall
or NAT that dropped an idle connection, a failover that moved the server's address)
looks alive to this check, where `SELECT 1` would have met the reset and reconnected
unseen. The request's own query then fails, that client gets the 503 of
`timeline.db_unavailable`, and the next request reconnects. Connections are kept at
most DATABASE_CONN_MAX_AGE seconds (60 by default), which bounds how long one can sit
idle behind such a middlebox.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            # Only an idle connection has nothing to say; otherwise ask as Django does.
            return super().is_usable()
        # poll, not select: select cannot watch a descriptor numbered 1024 or more.
        poller = select.poll()
        try:
            poller.register(connection.fileno(), select.POLLIN)
            events = poller.poll(0)
        except (OSError, ValueError):
            return False
        return not events  # data, a hang-up or an error: it is gone
