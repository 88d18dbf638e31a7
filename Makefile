# Pod Studio — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench bench-hung agreement agreement-files clean sandbox sandbox-stop image image-test

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	mkdir -p var
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Ratios to /healthz on one server, podstudio analyze against kubeconform (built from the Go module
# proxy), then 300 learners for 60 s on PostgreSQL (README, "Benchmark").
# Every part runs even when an earlier one misses a target; the exit status says whether any did.
bench: install
	status=0; \
	$(BIN)/python -m podstudio.bench || status=1; \
	$(BIN)/python -m podstudio.bench_latency || status=1; \
	$(BIN)/python -m podstudio.clibench || status=1; \
	$(BIN)/python -m podstudio.loadtest || status=1; \
	$(BIN)/python -m classrooms.bench || status=1; \
	exit $$status

# /healthz while 16 sandbox panels poll a cluster that never answers (README, "Sandbox cluster").
bench-hung: install
	$(BIN)/python -m podstudio.sandbox.bench_hung

# Differential test of the engine against the sandbox's API server (README, "Agreement with the
# API server"): `make agreement N=5000` generates N fresh Pods and N fresh workloads (CI's draws are
# the same on every run) and prints the reports.
N ?= 1000
agreement: install
	PODSTUDIO_FRESH_DRAWS=1 PODSTUDIO_AGREEMENT_EXAMPLES=$(N) PODSTUDIO_WORKLOAD_EXAMPLES=$(N) $(BIN)/python -m pytest \
		-q -s -p no:randomly tests/sandbox/test_differential.py \
		tests/sandbox/test_differential_workloads.py

# Files people wrote, against the sandbox's API server (README, "Agreement with the API server").
agreement-files: install
	$(BIN)/python -m tests.sandbox.files_agreement $(DIRS)

# A local Kubernetes control plane on loopback for the builder's sandbox panel (README, "Sandbox cluster").
sandbox:
	bash sandbox/build.sh
	bash sandbox/start.sh

sandbox-stop:
	bash sandbox/stop.sh

# The container image, built with buildah without a registry (deploy/README.md, "The image").
image:
	bash deploy/image/build.sh

image-test: install image
	$(BIN)/python -m pytest -q -m image tests/image

clean:
	rm -rf $(VENV) var build *.egg-info
