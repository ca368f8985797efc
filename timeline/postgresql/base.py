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

What neither check sees at once is a server that vanished without a word (a host powered
off); `SELECT 1` would wait on it for the TCP timeout. The request's own query then fails,
the client gets the 503 of `timeline.db_unavailable`, and the connection is replaced.
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
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
