# syntax=docker/dockerfile:1
# Build stage: the locked dependencies (every file checked against its hash in
# requirements.lock, the build backend included), then the package itself without resolving anything.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock ./
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation .

# Runtime stage: the venv, the data, a non-root user, the database on a volume.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    EXPONENT_DATABASE=/var/lib/exponent/exponent.sqlite3 \
    EXPONENT_DATA_DIR=/app/data \
    MPLCONFIGDIR=/tmp/matplotlib \
    EXPONENT_HTTP=0.0.0.0:8080
RUN useradd --system --uid 10001 --home-dir /app exponent \
    && mkdir -p /var/lib/exponent && chown exponent /var/lib/exponent
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=exponent data ./data
USER exponent
VOLUME ["/var/lib/exponent"]
# /healthz and /metrics (EXPONENT_HTTP).
EXPOSE 8080
# The running bot's own view: gateway connected, database answering, daily dispatcher ticking.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
# Exec form: the bot is PID 1 and receives docker stop's SIGTERM itself (it exits in ~6 s at most).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
