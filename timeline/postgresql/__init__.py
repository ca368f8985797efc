"""Django's PostgreSQL backend with a health check that costs no round trip (see `base.py`).

Settings name this package as the ENGINE of every server given by URL (DATABASE_URL and
the replicas); the embedded server's backend builds on it too.
"""
