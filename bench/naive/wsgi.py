"""WSGI entry point of the naive build (gunicorn bench.naive.wsgi:application).

The settings module is set outright, not defaulted: a DJANGO_SETTINGS_MODULE left in the
environment for the real project must not turn this server into the real API.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.naive.settings"

application = get_wsgi_application()
