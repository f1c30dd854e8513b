# The worker image. Configuration comes from the environment only (see runtime/settings.py).
FROM python:3.11.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed, unprivileged user; /data is created here so a named volume mounted there inherits the owner.
RUN useradd --create-home --uid 10001 nis \
    && mkdir /data \
    && chown nis:nis /data

WORKDIR /app
COPY . .
RUN pip install .

USER nis
CMD ["python", "worker.py"]
