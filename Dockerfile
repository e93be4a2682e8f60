# syntax=docker/dockerfile:1
# Build stage: install the package and its dependencies into a venv.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

# Runtime stage: the venv, the data, a non-root user, the database on a volume.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    EXPONENT_DATABASE=/var/lib/exponent/exponent.sqlite3 \
    EXPONENT_DATA_DIR=/app/data \
    MPLCONFIGDIR=/tmp/matplotlib
RUN useradd --system --uid 10001 --home-dir /app exponent \
    && mkdir -p /var/lib/exponent && chown exponent /var/lib/exponent
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=exponent data ./data
USER exponent
VOLUME ["/var/lib/exponent"]
# Exercises the offline answering path: the database, the data and the fact resolver.
HEALTHCHECK --interval=60s --timeout=15s --start-period=30s --retries=3 \
    CMD python -m bot ask "/fact revenue" --json > /dev/null || exit 1
CMD ["python", "-m", "bot", "run"]
