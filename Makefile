# Raksa. `make run` starts the demo; `make test` runs the whole suite on a throwaway PostgreSQL.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

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
	@touch $@

# booking_sweep expires unconfirmed bookings each minute (frees seats, offers them to the waitlist).
# granian (WSGI): measured faster than gunicorn gthread on the booking surge (README, "Benchmarks").
# No access log: query strings may hold national IDs; Raksa logs each request itself, path only.
## run: the service with demo data on http://$(HOST):$(PORT) (embedded SQLite unless DATABASE_URL is set)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py demo_banner --host $(HOST) --port $(PORT)
	$(PY) manage.py booking_sweep --every 60 & sweeper=$$!; trap 'kill $$sweeper' EXIT INT TERM; \
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
