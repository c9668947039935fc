# multiregion.appsync: the two commands that matter are `make demo` and `make test`.
# Every target creates .venv and .collections first when they are missing.
SHELL := /bin/bash
export LOCALAWS_PORT ?= 5500

.PHONY: help venv demo up down test sanity units integration molecule ecosystem test-faults lint localaws bench docs ee changelog clean

help:
	@echo "make demo         deploy three regions on the local AWS and print the outputs"
	@echo "make up INVENTORY=<path>   the local AWS in the background, with the inventory's hosted zone; prints the env"
	@echo "make down         stop the local AWS that make up started"
	@echo "make test         lint, sanity, unit, local-AWS, integration, molecule and ecosystem tests"
	@echo "make lint         ansible-lint (production profile) and yamllint"
	@echo "make localaws     the local AWS in the foreground on 127.0.0.1:$(LOCALAWS_PORT)"
	@echo "make bench        benchmark: 1/3/5/8 regions vs a plain-boto3 floor -> docs/performance.md"
	@echo "make docs         the docs site (antsibull-docs, offline) in docs/site/build/html"
	@echo "make ee           the execution environment's build context in .cache/ee (ansible-builder create)"
	@echo "make changelog    CHANGELOG.rst from changelogs/ (antsibull-changelog generate)"
	@echo "make sanity|units|integration|molecule|ecosystem   one part of make test"
	@echo "make test-faults  the reliability suite (faults, lost answers, kills, bad input); writes docs/reliability.md"

venv:
	@scripts/bootstrap.sh

demo: venv
	scripts/demo.sh

# INVENTORY: an inventory directory or file (default inventories/local).
up: venv
	scripts/up.sh $(if $(INVENTORY),"$(INVENTORY)")

down:
	scripts/down.sh

test: venv
	scripts/test.sh all

test-faults: venv
	scripts/test.sh faults

sanity units integration molecule ecosystem: venv
	scripts/test.sh $@

lint: venv
	scripts/lint.sh

bench: venv
	.venv/bin/python scripts/bench.py $(BENCH_ARGS)

localaws: venv
	.venv/bin/python -m localaws --host 127.0.0.1 --port $(LOCALAWS_PORT)

docs: venv
	scripts/docs.sh build

ee: venv
	scripts/ee.sh

changelog: venv
	.venv/bin/antsibull-changelog generate

clean:
	rm -rf .venv .collections .cache tests/output outputs docs/site/build
