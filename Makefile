# Anmin — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/anmin_ci
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo serve test lint test-sqlite test-postgres replica-test bench bench-province chaos system-deps messages echarts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are stamped so a second `make demo` skips them.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

## make demo: install, migrate, build the Yuzhou demo world, print the logins, serve on :8000
demo: $(VENV)/.installed
	ANMIN_ENV=$${ANMIN_ENV:-demo} $(BIN)/anmin demo

serve: $(VENV)/.installed
	$(BIN)/anmin serve

## System packages the tests need and a fresh machine lacks: Debian's chromium, a CJK font, free
## 宋/楷 fallbacks for the official report fonts, and LibreOffice (DOCX → PDF of generated reports;
## about 80 MB to download once, --no-install-recommends), and Redis (the broker-backed task tests).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qiE "wenquanyi|noto sans cjk|noto serif cjk" || missing="$$missing fonts-wqy-zenhei"; \
	fc-list 2>/dev/null | grep -qi "AR PL UMing" || missing="$$missing fonts-arphic-uming fonts-arphic-ukai"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: $(VENV)/.dev-installed
	env -u DATABASE_URL $(BIN)/pytest -q -n 2 --dist worksteal

# The browser tests drive the same pages on either database: they run in the SQLite pass only.
test-postgres: $(VENV)/.dev-installed
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 --dist worksteal -m "not browser"

## make test: everything CI runs — lint, layer contracts, migrations check, tests on SQLite and PostgreSQL
test: $(VENV)/.dev-installed system-deps lint test-sqlite test-postgres

## make replica-test: a throw-away PostgreSQL primary and its streaming replica (started by the test in
## a temporary directory, the machine's cluster untouched): routing and freshness (docs/scaling-out.md).
## About a minute (plus the test database's migrations), so not in the PostgreSQL pass; .ci/run runs it.
replica-test: $(VENV)/.dev-installed
	ANMIN_REPLICA_TEST=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -q anmin/tests/test_replica_live.py

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.dev-installed
	$(BIN)/pip install -q -e ".[dev,bench]"
	@touch $@

## make bench: performance benchmarks against PostgreSQL (see bench/README.md)
bench: $(VENV)/.bench-installed
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/anmin_bench} $(BIN)/python -m bench

## make bench-province: a county's ledgers, card and case timeline on a province's tables (20M cases by
## default, ANMIN_BENCH_PROVINCE_CASES; generated once in a database of its own; docs/scaling-out.md)
bench-province: $(VENV)/.bench-installed
	DATABASE_URL=$${BENCH_PROVINCE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/anmin_bench_province} $(BIN)/python -m bench --only province

## make chaos: kill -9 a gunicorn worker, the master, and restart the database (a throw-away cluster of its
## own, never the machine's) while grid workers report events; prints acknowledged, missing and duplicated
## writes, the errors seen during the outage and recovery times (docs/reliability.md). Not in CI.
chaos: $(VENV)/.dev-installed
	$(BIN)/python -m bench.chaos

## make messages: extract the English catalogues (anmin/locale/en: django for Python and templates,
## djangojs for the page scripts, vendored libraries and the service worker's template left out), then
## compile them and the hand-kept zh_Hans one (Chinese for what Django's own catalogues lack); commit
## the .po and .mo files
messages: $(VENV)/.installed
	cd anmin && ../$(BIN)/django-admin makemessages -l en --settings=anmin.settings --ignore='tests/*' --ignore='*/tests/*' --ignore='*/locale/*' \
	  && ../$(BIN)/django-admin makemessages -d djangojs -l en --settings=anmin.settings --ignore='*/vendor/*' --ignore='*/templates/*' --ignore='tests/*' --ignore='*/tests/*' --ignore='*/locale/*' \
	  && ../$(BIN)/django-admin compilemessages -l en -l zh_Hans --settings=anmin.settings

## make echarts: rebuild the vendored chart library, anmin/analytics/static/analytics/vendor/
## echarts-6.1.0-anmin.min.js, from frontend/echarts (entry.js: the series and components the pages use;
## the exact packages of package-lock.json, installed in a scratch directory). Needs node, npm and the
## registry; neither the tests nor CI run it: the built file is committed (docs/decisions/0028).
## frontend/echarts/build.sh --check rebuilds and compares with the committed file.
echarts:
	frontend/echarts/build.sh

clean:
	rm -rf $(VENV) var
