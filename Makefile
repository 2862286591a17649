# Raksa. `make run` starts the demo; `make test` runs the whole suite on a throwaway PostgreSQL.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
LINE_STANDIN_PORT ?= 8100
CIVIL_REGISTRY_STANDIN_PORT ?= 8101

.PHONY: run test bench lint messages clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing; installing it" >&2; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq python3-venv; fi; \
	  $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@# face_recognition 1.3.0 declares a dependency on dlib, which pip would build from source (CMake, minutes,
	@# a compiler); pyproject.toml installs the dlib-bin wheel instead, so face_recognition comes without deps.
	$(PY) -m pip install -q --no-deps face-recognition==1.3.0
	@touch $@

# booking_sweep expires unconfirmed bookings each minute (frees seats, offers them to the waitlist, queues reminders).
# db_worker runs the background jobs (LINE pushes, webhook events) from the database (django-tasks).
# line_standin is the local LINE platform (no machine here reaches LINE): the chat viewer and the LIFF phone on
# http://$(HOST):$(LINE_STANDIN_PORT); Raksa's LINE settings point at it by default.
# civil_registry_standin is the local civil registry (reference photos by national ID, POST /v1/photo) on
# http://$(HOST):$(CIVIL_REGISTRY_STANDIN_PORT); RAKSA_CIVIL_REGISTRY_URL points at it.
# granian (WSGI): measured faster than gunicorn gthread on the booking surge (README, "Benchmarks").
# No access log: query strings may hold national IDs; Raksa logs each request itself, path only.
## run: the service with demo data on http://$(HOST):$(PORT) (embedded SQLite unless DATABASE_URL is set)
run: export LINE_STANDIN_URL = http://$(HOST):$(LINE_STANDIN_PORT)
run: export RAKSA_CIVIL_REGISTRY_URL = http://$(HOST):$(CIVIL_REGISTRY_STANDIN_PORT)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) -m line_standin --host $(HOST) --port $(LINE_STANDIN_PORT) --state-dir var/line-standin \
	  --raksa-url http://$(HOST):$(PORT) & standin=$$!; \
	$(PY) -m civil_registry_standin --host $(HOST) --port $(CIVIL_REGISTRY_STANDIN_PORT) & registry=$$!; \
	$(PY) manage.py booking_sweep --every 60 & sweeper=$$!; \
	$(PY) manage.py db_worker --queue-name '*' --no-reload --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$standin $$registry $$sweeper $$worker' EXIT INT TERM; \
	$(PY) manage.py line_rich_menu --wait 10 || echo "make run: the rich menu was not set up (see above)" >&2; \
	$(PY) manage.py demo_banner --host $(HOST) --port $(PORT); \
	$(VENV)/bin/granian --interface wsgi config.wsgi:application --host $(HOST) --port $(PORT) \
	  --workers $(WORKERS) --blocking-threads 4 --log-level warning

## test: the whole suite against a private PostgreSQL cluster that is started and removed
test: $(VENV)/.installed
	@scripts/test.sh

## bench: benchmarks on a private PostgreSQL; one JSON line per figure
bench: $(VENV)/.installed
	@scripts/bench.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

## messages: recompile the translations (.po -> .mo) after editing locale/*/LC_MESSAGES/django.po
messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var staticfiles
