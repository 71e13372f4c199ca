# Two commands on a fresh machine: `make up` and `make test`. Only Python 3.11+ is assumed;
# uv is installed into .vigie/tools when the machine does not have it.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .vigie/tools/bin/uv)
# Scripts and tests call `uv` by name: the bootstrapped one is on their PATH too.
export PATH := $(CURDIR)/.vigie/tools/bin:$(PATH)

# The suites that talk to a database or NATS (CI runs them again on PostgreSQL and system NATS).
SERVER_SUITES := libs/vigie-runtime/tests services/*/tests/integration gateway/tests tests/e2e tests/trace tests/metrics tests/replicas tests/regions tests/migrations tests/security tests/fuzz

.PHONY: up test test-servers install peers protos check-protos check-contracts lint typecheck ci train-sentiment

$(UV):
	$(PYTHON) -m venv .vigie/tools
	.vigie/tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install: $(UV)
	$(UV) sync --frozen --quiet

up: install
	$(UV) run --frozen vigie up

# The peers that take minutes to install the first time (the Bluesky PDS from npm).
peers: install
	$(UV) run --frozen python -m vigie_runtime.testing.prepare_peers

test: peers
	$(UV) run --frozen pytest $(PYTEST_ARGS)

test-servers: peers
	$(UV) run --frozen pytest $(SERVER_SUITES) $(PYTEST_ARGS)

protos: install
	$(UV) run --frozen python tools/gen_protos.py

check-protos: install
	$(UV) run --frozen python tools/gen_protos.py --check

# Generated code, buf lint/breaking and the exported GraphQL schema all match their sources.
check-contracts: check-protos
	bash tools/check_protos.sh
	$(UV) run --frozen python -m vigie_gateway export-schema --check
	$(UV) run --frozen python tools/check_graphql_breaking.py

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck: install
	$(UV) run --frozen mypy libs/vigie-runtime/src libs/vigie-cli/src libs/vigie-directory-replica/src services/*/src gateway/src

train-sentiment: $(UV)
	$(UV) sync --frozen --quiet --group train
	$(UV) run --frozen python -m vigie_reputation.sentiment train

ci:
	bash .ci/run
