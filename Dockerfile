# Production image: gunicorn behind whatever terminates TLS; PostgreSQL from DATABASE_URL.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY pyproject.toml README.md ./
COPY kremlin_meetings ./kremlin_meetings
COPY meetings ./meetings
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# collectstatic at build: a throwaway key, no database needed.
RUN DEBUG=0 SECRET_KEY=collectstatic-only DATABASE_URL=postgres://unused/unused \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/var && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn kremlin_meetings.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
