FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GRADSCAPE_FRONTEND_DIR=/app/frontend

# Never run the server as root.
RUN useradd --create-home --uid 10001 gradscape

WORKDIR /app
# pyproject + README first (README is the package's readme) so the files that change most
# come last.
COPY pyproject.toml README.md ./
COPY core ./core
COPY lessons ./lessons
COPY server ./server
# The import package: gradscape/ maps core/, lessons/ and server/ (pyproject package-dir).
COPY gradscape ./gradscape
COPY frontend ./frontend
RUN pip install .

USER gradscape
EXPOSE 8000

# The slim image has no curl; the standard library is enough.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

# 0.0.0.0 inside the container so the published port is reachable from the host.
CMD ["python", "-m", "gradscape", "serve", "--host", "0.0.0.0", "--port", "8000"]
