# The one image for web (daphne), worker and beat; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# espeak-ng reads the public form's challenge aloud (the audio alternative).
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml alone, so a code change does not
# reinstall them. The empty packages stand in for the code the editable
# install points at; COPY below fills them in.
COPY pyproject.toml ./
RUN mkdir config feedback api workers \
    && touch config/__init__.py feedback/__init__.py api/__init__.py workers/__init__.py \
    && pip install -e .

COPY . .

# Hashed, compressed static files (whitenoise) need production settings;
# these values exist only for this build step.
RUN DJANGO_DEBUG=0 \
    DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=build \
    SITE_URL=http://build \
    python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --uid 10001 --no-create-home --home-dir /app app \
    && mkdir -p /app/media \
    && chown app:app /app/media

# The code is root-owned and read-only to the process; only uploads are
# writable (the "media" volume is initialised from this directory).
USER app

EXPOSE 8000
CMD ["daphne", "--bind=0.0.0.0", "--port=8000", "--proxy-headers", "config.asgi:application"]
