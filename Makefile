# Kompetanseportalen. `make run` serves the portal with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in mail point to the port the portal runs on, unless SITE_URL says otherwise.
SITE_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: install system-deps oidc-provider run demo test test-fast bench bench-tools load lint format messages messages-unlocked compile-messages lock clean theme screenshots

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

install: $(VENV)/.installed

# The OpenID Connect provider that the log-in tests run against (npm's oidc-provider on the
# loopback, tools/oidc-provider): installed from its lock file when missing or changed.
OIDC_PROVIDER := tools/oidc-provider
$(OIDC_PROVIDER)/node_modules/.installed: $(OIDC_PROVIDER)/package-lock.json
	cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

oidc-provider: $(OIDC_PROVIDER)/node_modules/.installed

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEV_ENV) $(PY) manage.py demo
	@# The task worker (mail, bulk PDF ZIPs, reminders) runs beside the web server and stops with it.
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEV_ENV) $(PY) manage.py demo

# As root on a fresh machine, the system packages come first (Chromium, HarfBuzz-subset,
# fonts, PostgreSQL: .ci/install-system-deps), so the browser and PDF tests run too.
test: system-deps install compile-messages oidc-provider
	.ci/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

system-deps:
	.ci/install-system-deps

test-fast: install compile-messages oidc-provider
	.ci/with-postgres $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# Page timings, query counts and throughput on national-scale data in a database of its own
# (docs/benchmarks.md). Not part of `make test`. BENCH_ARGS=--compare-scales adds the 10x run;
# the bulk PDF export through the task workers is a case of its own (BENCH_ARGS=--only-export).
bench: install bench-tools
	SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret-0123456789abcdef} .ci/with-postgres $(PY) manage.py bench --load wrk $(BENCH_ARGS)

# 100 coordinators autosaving and 20 officers listing for 60 s under gunicorn (deadline scale):
# 0 errors and 0 lost writes, or it fails; p95 ≤ 100 ms is the target. Its section of
# docs/benchmarks.md. LOAD_ARGS=--duration 20 etc.
load: install
	SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret-0123456789abcdef} .ci/with-postgres $(PY) manage.py loadtest $(LOAD_ARGS)

# wrk (Debian's package) generates the throughput load: installed when missing if we are root.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt-get install -y -q wrk; \
	  else echo "make bench needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract strings, fold in translations kept in locale/fragments/*.{nb,nn}.po (those win),
# compile. Serialised with flock so that parallel work never loses a translation.
messages: install
	flock /tmp/kompetanseportalen-messages.lock $(MAKE) --no-print-directory messages-unlocked

messages-unlocked:
	$(DEV_ENV) $(PY) manage.py makemessages -l nb -l nn --no-obsolete --no-location -i ".venv/*" -i "static/*" -v0
	for lang in nb nn; do \
	  main=locale/$$lang/LC_MESSAGES/django.po; \
	  frags=$$(ls locale/fragments/*.$$lang.po 2>/dev/null || true); \
	  if [ -n "$$frags" ]; then msgcat --use-first --no-location $$frags $$main -o $$main; fi; \
	done
	$(DEV_ENV) $(PY) manage.py compilemessages -i ".venv" -v0

compile-messages: install
	$(DEV_ENV) $(PY) manage.py compilemessages -i ".venv" -v0

lock: install
	$(VENV)/bin/pip-compile -q --strip-extras --extra dev -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Designsystemet's CSS and our theme (Statsforvalteren's colours), generated with its CLI and
# vendored under static/vendor/designsystemet/: the portal never runs npm. Needs node and npm.
DS_TOOL := tools/designsystemet
DS_VENDOR := static/vendor/designsystemet
theme:
	cd $(DS_TOOL) && npm ci --no-audit --no-fund
	cd $(DS_TOOL) && npx designsystemet tokens create --config designsystemet.config.json
	cd $(DS_TOOL) && npx designsystemet tokens build -t design-tokens -o design-tokens-build --clean
	mkdir -p $(DS_VENDOR)
	cp $(DS_TOOL)/node_modules/@digdir/designsystemet-css/dist/src/index.css $(DS_VENDOR)/designsystemet.css
	cp $(DS_TOOL)/design-tokens-build/statsforvalteren.css $(DS_VENDOR)/theme.css
	cp $(DS_TOOL)/node_modules/@digdir/designsystemet-css/LICENSE $(DS_VENDOR)/LICENSE
	cd $(DS_TOOL) && node -e 'const p=require("./package-lock.json").packages; console.log(["@digdir/designsystemet","@digdir/designsystemet-css"].map(n=>n+" "+p["node_modules/"+n].version).join("\n"))' > ../../$(DS_VENDOR)/VERSION

# Pictures of the main pages of each role at 1366 and 390 px (docs/screenshots/), taken with
# Playwright and Debian's Chromium against the demo data.
screenshots: install
	SCREENSHOTS=1 .ci/with-postgres $(PY) -m pytest -q -p no:randomly tests/browser/test_screenshots.py
