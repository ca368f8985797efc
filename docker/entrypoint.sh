#!/bin/sh
# The container's entrypoint: prepare the database, then become the command (by default
# gunicorn, the Dockerfile's CMD). `exec` makes the command PID 1, so the signals the
# runtime sends (SIGTERM on stop) reach gunicorn itself.
#
#   DJANGO_MIGRATE_ON_START=1 (default)  apply migrations first (`migrate --no-input`); set 0
#                                        when several replicas start at once, and run
#                                        `python manage.py migrate` once as a release step
#   DJANGO_LOAD_SEEDS=1                  then load the seed files (default 0; safe to repeat)
#
# Yes/no values read like the settings' do: 1, true, yes, on (any case) mean yes.
# Any failure (database unreachable, a migration refused) stops here with a non-zero
# status, before the server starts, so the runtime reports it and retries.
set -eu

cd "$(dirname "$0")/.."

enabled() {
  case "$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" in
    1 | true | yes | on) return 0 ;;
    *) return 1 ;;
  esac
}

migrate=${DJANGO_MIGRATE_ON_START:-1}
seeds=${DJANGO_LOAD_SEEDS:-0}

if { enabled "$migrate" || enabled "$seeds"; } && [ -z "${DATABASE_URL:-}" ]; then
  echo "entrypoint: DATABASE_URL is not set; point it at PostgreSQL (postgres://USER:PASSWORD@HOST:5432/NAME)." >&2
  echo "entrypoint: the embedded PostgreSQL is for development and tests, not containers." >&2
  exit 64
fi

if enabled "$migrate"; then
  echo "entrypoint: applying migrations" >&2
  python manage.py migrate --no-input
fi

if enabled "$seeds"; then
  echo "entrypoint: loading seeds" >&2
  python manage.py load_seeds
fi

if [ "$#" -eq 0 ]; then
  set -- gunicorn -c gunicorn.conf.py timeline.wsgi:application
fi
exec "$@"
