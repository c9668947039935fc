# multiregion.appsync: the two commands that matter are `make demo` and `make test`.
# Every target creates .venv and .collections first when they are missing.
SHELL := /bin/bash
export LOCALAWS_PORT ?= 5500

.PHONY: help venv demo test test-faults sanity units integration molecule lint localaws clean

help:
	@echo "make demo         deploy three regions on the local AWS and print the outputs"
	@echo "make test         lint, sanity, unit, local-AWS, integration and molecule tests"
	@echo "make lint         ansible-lint (production profile) and yamllint"
	@echo "make localaws     the local AWS in the foreground on 127.0.0.1:$(LOCALAWS_PORT)"
	@echo "make sanity|units|integration|molecule   one part of make test"
	@echo "make test-faults  the reliability suite (faults, lost answers, kills, bad input); writes docs/reliability.md"

venv:
	@scripts/bootstrap.sh

demo: venv
	scripts/demo.sh

test: venv
	scripts/test.sh all

test-faults: venv
	scripts/test.sh faults

sanity units integration molecule: venv
	scripts/test.sh $@

lint: venv
	scripts/lint.sh

localaws: venv
	.venv/bin/python -m localaws --host 127.0.0.1 --port $(LOCALAWS_PORT)

clean:
	rm -rf .venv .collections .cache tests/output outputs
