# Every target installs what it needs: a fresh machine needs only python3 (3.11) and make.
UV := python3 -m uv
EPISODES := build/demo-episodes.csv

.PHONY: setup run payment-demo test test-db lint format bench

setup:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

# The coordination service with a demo region on SQLite (DATABASE_URL for PostgreSQL).
run: setup
	@$(UV) run utskrivning demo

payment-demo: setup
	@mkdir -p build
	@$(UV) run utskrivning demo-data --episodes 2000 --year 2020 --seed 1 --output $(EPISODES)
	@$(UV) run utskrivning payment --rulebook dalarna-2020 --episodes $(EPISODES)

# --durations=15: the slowest tests, so a run shows where its time goes. Two workers
# (pytest-xdist), each with its own test database, taking a file at a time (a file's module-wide
# fixtures, such as a seeded demo, are made once): the suite on both of CI's two cores.
PYTEST := $(UV) run pytest -q --durations=15 -n $${PYTEST_WORKERS:-2} --dist loadfile
test: setup lint browsers
	@$(UV) run python -m utskrivning.service.manage makemigrations --check --dry-run
	@$(PYTEST)

# The tests that touch the database, again; CI runs them with DATABASE_URL on PostgreSQL.
# Not tests/browser: a browser walk checks what the pages show and how they behave, which does
# not differ by database, and it is the suite's slowest part; it runs once, on SQLite, in
# `make test`. What those walks do to the database (the services, the views, the API, the
# worker and server processes, the sign-in) is run here on PostgreSQL by the tests named below.
# --database-tests (tests/conftest.py) leaves out those of them that never reach the database.
test-db: setup browsers
	@$(PYTEST) --database-tests tests/service tests/organisations tests/audit tests/episodes tests/imports tests/deviations tests/payment tests/followup tests/notifications tests/web tests/trust

lint: setup
	@$(UV) run ruff check .
	@$(UV) run ruff format --check .
	@$(UV) run mypy
	@$(UV) run lint-imports --no-cache

format: setup
	@$(UV) run ruff format .
	@$(UV) run ruff check --fix .

bench: setup
	@$(UV) run python benchmarks/payment.py

# Debian's chromium for the Playwright browser tests, poppler's pdftoppm/pdftotext, with
# which the report tests open the PDFs we write, and Node.js with npm for the loopback OpenID
# Connect provider of the sign-in tests (tests/loopback_oidc). The system's own when present; as root (CI)
# installed with apt-get; otherwise the command to run is printed and those tests skip, saying so.
SYSTEM_PACKAGES := chromium:chromium pdftoppm:poppler-utils pdftotext:poppler-utils node:nodejs npm:npm
.PHONY: browsers
browsers:
	@missing="$$(for p in $(SYSTEM_PACKAGES); do command -v $${p%%:*} >/dev/null || echo $${p#*:}; done | sort -u | xargs)"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq $$missing; \
	else \
		echo "Missing system packages: $$missing"; \
		echo "Install them (Debian/Ubuntu: sudo apt-get install $$missing) to run the browser and"; \
		echo "PDF tests; until then those tests are skipped and say why."; \
	fi

# schemathesis against the API's own OpenAPI schema, and the property tests of the payment
# engine and the process's projection, with many more examples than the suite's few.
.PHONY: fuzz
fuzz: setup
	@UTSKRIVNING_FUZZ_EXAMPLES=$${UTSKRIVNING_FUZZ_EXAMPLES:-200} $(UV) run pytest -q -p no:cacheprovider tests/trust/test_schema_fuzz.py
	@PROPERTY_EXAMPLES=$${PROPERTY_EXAMPLES:-1000} $(UV) run pytest -q -p no:cacheprovider tests/domain/payment/test_properties.py tests/domain/test_process_projection.py

# The payment command on a national year, 1.08 million episodes against Excel's own sheet of
# 1 048 576 rows: the suite runs the same test on 3 000 episodes with a sheet of 2 000.
.PHONY: national
national: setup
	@UTSKRIVNING_NATIONAL_EPISODES=1080000 $(UV) run pytest -q -p no:cacheprovider tests/cli/test_national_scale.py

# The service under load on PostgreSQL (127.0.0.1:5432): 100 000 episodes, gunicorn, 200 requests/s.
# A write's time at 10 and at 200 events per episode on PostgreSQL (target: ratio <= 1.5).
.PHONY: bench-history
bench-history: setup
	@$(UV) run python benchmarks/history.py

.PHONY: bench-service
bench-service: setup
	@$(UV) run python benchmarks/service.py

# A 100 000-row episode file imported by the worker (SQLite; --database-url for PostgreSQL).
.PHONY: bench-import
bench-import: setup
	@$(UV) run python benchmarks/import_job.py

# Designsystemet (Digdir) and its font as static files, axe-core for the browser tests: pinned here,
# fetched from npm (node and npm needed) by `make design-system` into the repository.
DS_VERSION := 1.11.0
INTER_VERSION := 5.3.0
AXE_VERSION := 4.14.1
.PHONY: design-system
design-system:
	@DS_VERSION=$(DS_VERSION) INTER_VERSION=$(INTER_VERSION) AXE_VERSION=$(AXE_VERSION) tools/design-system.sh
