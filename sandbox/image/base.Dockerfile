# Online base of the sandbox image (where Docker Hub is reachable): the official
# Python slim image plus the packages symbolic solutions use.
FROM python:3.11-slim
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt
