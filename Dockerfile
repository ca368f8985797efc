# A first container image: the app under gunicorn, talking to the PostgreSQL named by
# DATABASE_URL (the embedded server is for laptops and CI, not containers).
# Hardening (multi-stage build, static files, health check) comes later.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 timeline
USER timeline

EXPOSE 8000
CMD ["gunicorn", "timeline.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "30"]
