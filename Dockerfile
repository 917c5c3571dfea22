# Production image: gunicorn (gunicorn.conf.py) behind a buffering proxy (nginx in
# docker-compose.yml) and whatever terminates TLS; PostgreSQL from DATABASE_URL.
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

COPY manage.py gunicorn.conf.py ./
COPY deploy ./deploy
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# collectstatic at build: a throwaway key, no database needed.
RUN DEBUG=0 SECRET_KEY=collectstatic-only DATABASE_URL=postgres://unused/unused \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/var/data && chown -R app:app /app/var /app/staticfiles

USER app
EXPOSE 8000
# Threaded workers, counts from the CPU count, timeouts and access log: gunicorn.conf.py.
# collectstatic again at start: docker-compose.yml shares /app/staticfiles with nginx.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py collectstatic --no-input -v 0 && exec gunicorn -c gunicorn.conf.py"]
