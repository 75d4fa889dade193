.PHONY: demo test setup lint format messages bench bench-stats bench-trust bench-bulletin bench-ingest bench-api bench-load bench-sectors

demo: setup
	.venv/bin/taizhang demo

test:
	scripts/setup.sh --test
	scripts/test.sh

setup:
	scripts/setup.sh

lint: setup
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

messages: setup
	.venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules && .venv/bin/python manage.py compilemessages -l zh_Hans --ignore=.venv

bench: setup
	bench/run.sh

bench-stats: setup
	bench/stats.sh

bench-trust: setup
	bench/trust.sh

bench-bulletin: setup
	bench/bulletin.sh

bench-ingest: setup
	bench/ingest.sh

bench-api: setup
	bench/api.sh

bench-load: setup
	bench/load.sh

bench-sectors: setup
	bench/sectors.sh
