# Vern: `make run` starts everything for development; `make test` runs the whole suite (as CI does).
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := uv run --locked --quiet
SERVICES := kit registry consent dsar scheduler
PYTEST := $(UV) pytest -p no:cacheprovider -q

.PHONY: help setup run test lint typecheck unit unit-sqlite unit-postgres contract openapi openapi-check notices \
        integration e2e frontend-check deploy-check fuzz bench bench-sweep bench-load token

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup:  ## install what is missing (uv, Python and npm packages, PostgreSQL, Chromium)
	@scripts/bootstrap.sh

run: setup  ## start the dev IdP, SMTP sink, the four services and the SPA on http://localhost:8080
	@$(UV) vern run

token: setup  ## print an access token: make token PERSONA=counsellor
	@$(UV) vern token --persona $(or $(PERSONA),counsellor)

test: setup lint unit contract openapi-check deploy-check frontend-check integration e2e  ## the whole suite (CI runs this)
	@echo "make test: all suites passed"

lint:  ## ruff (lint and format) and mypy strict on services/
	$(UV) ruff check services tests
	$(UV) ruff format --check services tests
	$(UV) mypy services/kit/src services/registry/src services/consent/src services/dsar/src services/scheduler/src

unit: unit-sqlite unit-postgres  ## unit and API tests per service, on SQLite and on PostgreSQL

unit-sqlite:
	@for svc in $(SERVICES); do echo "== $$svc (SQLite)"; VERN_TEST_DB=sqlite $(PYTEST) -m "not integration" services/$$svc/tests || exit 1; done

unit-postgres:
	@for svc in $(SERVICES); do echo "== $$svc (PostgreSQL)"; VERN_TEST_DB=postgresql $(PYTEST) -m "not integration" services/$$svc/tests || exit 1; done

contract:  ## schemathesis over every operation of every service (one process each)
	@for svc in registry consent dsar scheduler; do echo "== contract $$svc"; VERN_CONTRACT_SERVICE=$$svc $(PYTEST) tests/contract || exit 1; done

fuzz:  ## the fuzz properties with 5,000 examples each, then schemathesis with 500 fresh examples per operation (not part of make test)
	VERN_FUZZ_EXAMPLES=$(or $(EXAMPLES),5000) $(PYTEST) --hypothesis-show-statistics services/kit/tests/test_identifiers_fuzz.py services/consent/tests/webhooks/test_events_fuzz.py services/kit/tests/test_hardening.py
	@for svc in registry consent dsar scheduler; do echo "== fuzz $$svc"; VERN_CONTRACT_RANDOM=1 VERN_CONTRACT_EXAMPLES=500 VERN_CONTRACT_SERVICE=$$svc $(PYTEST) tests/contract || exit 1; done

openapi:  ## regenerate openapi/*.json from the code, and the SPA's typed client from them
	$(UV) python -m tests.support.openapi write
	cd frontend && npm run --silent gen:api

notices:  ## render the privacy notices of the reference profiles into docs/
	$(UV) python -m vern.registry.notice docs

openapi-check:  ## fail if openapi/*.json differs from what the code generates
	$(UV) python -m tests.support.openapi check

deploy-check:  ## compose and Kubernetes manifests against their schemas (offline)
	$(PYTEST) tests/deploy

frontend-check:  ## the typed client matches openapi/; type check, lint and build the SPA; print the initial JS size
	cd frontend && npm run --silent gen:api >/dev/null && git diff --exit-code --stat -- src/api/registry.d.ts src/api/consent.d.ts src/api/dsar.d.ts src/api/scheduler.d.ts && test -z "$$(git status --porcelain -- src/api)"
	cd frontend && npm run --silent typecheck && npm run --silent lint && npm run --silent build && npm run --silent size

integration:  ## the cross-service slice with real uvicorn processes and the real dev IdP
	$(PYTEST) tests/integration services/kit/tests -m integration

e2e:  ## Playwright in Debian's Chromium through the real IdP login page, with axe (Nok. Bergen, then the tests marked tryggere on a Tryggere stack)
	$(PYTEST) tests/e2e

bench:  ## benchmarks (not part of make test); prints ratios against a baseline
	$(UV) python -m tests.bench.persons_read
	$(UV) python -m tests.bench.sendgrid_webhook
	$(UV) python -m tests.bench.dsar_requests
	$(UV) python -m tests.bench.dsar_queue
	$(UV) python -m tests.bench.key_rotation

bench-sweep:  ## retention sweep of 200,000 of 1,000,000 clients vs a plain DELETE; read p99 during it (CLIENTS=100000 for a quick run)
	$(UV) python -m tests.bench.registry_sweep --clients $(or $(CLIENTS),1000000)

bench-load:  ## a mixed day over all four services on PostgreSQL: highest rate with p99 < 100 ms, held DURATION s (600); RATE=n skips the search
	$(UV) python -m tests.bench.load_day --duration $(or $(DURATION),600) $(if $(RATE),--rate $(RATE))
