# Stem Cell Reference: set up, build, serve and test the site.
# `make help` lists the targets. Every target creates or refreshes .venv from the lock files first.

PYTHON      ?= $(shell command -v python3.11 || command -v python3)
VENV        := .venv
BIN         := $(VENV)/bin
PORT        ?= 8000
HOST        ?= 127.0.0.1
SOURCEDIR   := docs
BUILDDIR    := _build
# Strict: warnings are errors, nitpicky references, keep going to report every problem at once.
SPHINXOPTS  ?= -j auto
STRICT      := -n -W --keep-going
SPHINXBUILD  = $(BIN)/sphinx-build -c . $(STRICT) $(SPHINXOPTS)
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help venv venv-test venv-dev html dirhtml serve livehtml test test-fast check lint format clean \
        linkcheck lock review readability search-eval bench audit new-page \
        node-test node-audit

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-13s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# uv installs the locked dependencies, hash-checked, in seconds. It is bootstrapped with pip
# (hash-checked too, from requirements/bootstrap.lock) into .tools/, which outlives .venv:
# the system pip when there is one (--target leaves the system Python alone), otherwise the pip
# of a throw-away venv.
TOOLS       := .tools
UV          := $(TOOLS)/bin/uv
# Use the Python named above; never download one.
export UV_PYTHON_DOWNLOADS := never
export PIP_ROOT_USER_ACTION := ignore

$(UV): requirements/bootstrap.lock
	@rm -rf $(TOOLS)
	@if $(PYTHON) -m pip --version >/dev/null 2>&1; then pip="$(PYTHON) -m pip"; \
	else $(PYTHON) -m venv $(TOOLS)/pip && pip="$(TOOLS)/pip/bin/python -m pip"; fi; \
	echo "Installing uv from $<"; \
	$$pip install --quiet --disable-pip-version-check --no-input --require-hashes --no-deps \
	  --target $(TOOLS) -r $<
	@rm -rf $(TOOLS)/pip
	@touch $@

# One stamp per dependency group. A stamp older than its lock file means the lock changed:
# the venv is then rebuilt from scratch so nothing stale survives. The groups nest (dev includes
# test, test includes runtime), so .venv holds exactly the largest group asked for so far:
# `uv pip sync` installs it and removes everything else, and a smaller group is then satisfied.
GROUPS_ABOVE_runtime := test dev
GROUPS_ABOVE_test    := dev
$(VENV)/.stamp-%: requirements/%.lock | $(UV)
	@if [ -d $(VENV) ] && [ -n "$$(ls $(VENV)/.stamp-* 2>/dev/null)" ]; then \
	  for s in $(VENV)/.stamp-*; do g=$${s##*-}; \
	    if [ requirements/$$g.lock -nt $$s ]; then echo "requirements/$$g.lock changed: rebuilding $(VENV)"; rm -rf $(VENV); break; fi; \
	  done; fi
	@test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	@for g in $(GROUPS_ABOVE_$*); do if [ -f $(VENV)/.stamp-$$g ]; then touch $@; exit 0; fi; done; \
	echo "Installing $< into $(VENV)"; \
	$(UV) pip sync --quiet --require-hashes --python $(BIN)/python $<
	@touch $@

venv: $(VENV)/.stamp-runtime ## Create .venv with the locked runtime dependencies
venv-test: $(VENV)/.stamp-test
venv-dev: $(VENV)/.stamp-dev

# _build/html holds only what is published: Sphinx's cache (doctrees, environment) goes to
# _build/doctrees/<builder>, never into the output directory (sphinx-build's default).
DOCTREES     = $(BUILDDIR)/doctrees

html: venv ## Build the site strictly into _build/html (only what is published)
	$(SPHINXBUILD) -b html -d $(DOCTREES)/html $(SOURCEDIR) $(BUILDDIR)/html

dirhtml: venv ## Build with pretty URLs (page/ instead of page.html) into _build/dirhtml
	$(SPHINXBUILD) -b dirhtml -d $(DOCTREES)/dirhtml $(SOURCEDIR) $(BUILDDIR)/dirhtml

serve: export SITE_URL = http://$(HOST):$(PORT)/
serve: html ## Set up, build and serve the site at http://127.0.0.1:8000/ (PORT= to change)
	@echo "Serving the site at $(SITE_URL)  (Ctrl-C stops)"
	@$(BIN)/python -m http.server $(PORT) --bind $(HOST) --directory $(BUILDDIR)/html

livehtml: export SITE_URL = http://$(HOST):$(PORT)/
livehtml: venv-dev ## Rebuild and reload in the browser as you edit docs/, ext/ or conf.py
	$(BIN)/sphinx-autobuild -c . -d $(DOCTREES)/html $(SOURCEDIR) $(BUILDDIR)/html \
	  --host $(HOST) --port $(PORT) --watch ext --watch conf.py --re-ignore '_build/.*' -n

# Node tools for the quality gates (package.json, exact versions in package-lock.json): axe-core and
# vnu-jar for `make test`, plus Lighthouse for `make audit`. `npm ci` reinstalls node_modules/ whenever
# package-lock.json is newer than the stamp. Scripts stay off (.npmrc): vnu-jar's would download a Java.
NPM         ?= npm
# Without Node.js (a fresh machine with only Python, make and git) the browser quality gates
# skip with a reason; under CI=true they fail instead, and .ci/run installs Node.js first.
node_modules/.stamp-test: package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
	  $(NPM) ci --omit=dev --ignore-scripts --no-audit --no-fund && touch $@; \
	else echo "npm not found: tests that need axe-core or the Nu Html Checker will skip (CI installs Node.js)"; fi
node_modules/.stamp-audit: package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $@ node_modules/.stamp-test

node-test: node_modules/.stamp-test
node-audit: node_modules/.stamp-audit

test: venv-test node-test ## Set up and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: every test that builds neither the real site nor opens Chromium (the `site` and
# `browser` markers, set by the fixtures that need them). Under a minute; `make test` stays complete.
test-fast: venv-test ## The quick tests: no real-site build, no browser (under a minute)
	$(BIN)/python -m pytest -m "not site and not browser" $(PYTEST_ARGS)

# Workflow and service configuration is checked offline: check-jsonschema's vendored schemas and
# zizmor's offline audits (template injection, credentials, permissions, pinning, ...).
lint: venv-dev ## Lint Python (ruff), spelling (codespell), CI/deploy/Read the Docs/Renovate config (schemas, zizmor)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell docs ext tests scripts README.md CONTRIBUTING.md
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(wildcard .github/workflows/*.yml)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms $(filter-out %/config.yml,$(wildcard .github/ISSUE_TEMPLATE/*.yml))
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config .github/ISSUE_TEMPLATE/config.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.readthedocs .readthedocs.yaml
	$(BIN)/check-jsonschema --builtin-schema vendor.renovate .github/renovate.json
	$(BIN)/zizmor --offline --quiet .github/workflows

format: venv-dev ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint test ## Everything CI runs on a pull request

linkcheck: venv ## Check external links (needs a network; not part of `make test`)
	$(BIN)/sphinx-build -c . -b linkcheck -d $(DOCTREES)/linkcheck $(SOURCEDIR) $(BUILDDIR)/linkcheck

clean: ## Remove build output
	rm -rf $(BUILDDIR)

review: venv ## List pages whose review is due within 60 days, soonest first (overdue too)
	$(BIN)/python scripts/review.py

new-page: venv ## New page from the template: make new-page SECTION=conditions SLUG=lupus TITLE="Lupus"
	$(BIN)/python scripts/new_page.py "$(SECTION)" "$(SLUG)" "$(TITLE)"

readability: html ## Reading grade (Flesch-Kincaid) of every page's Key messages; aim <= 9
	$(BIN)/python scripts/readability.py

search-eval: venv-test ## Reader queries in Chromium: top-1/top-3/MRR, KB and ms each (fails if top-3 < 90%)
	$(BIN)/python -m scripts.search_eval $(SEARCH_EVAL_ARGS)

bench: venv-test ## Build-speed benchmark on synthetic corpora (BENCH_ARGS=--small for 50/500 pages)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

AUDIT_PORT  ?= 8010
audit: venv node-audit ## Lighthouse scores of home, a condition page and search, phone and desktop (slow)
	$(BIN)/python -m scripts.audit --port $(AUDIT_PORT) --outdir $(BUILDDIR)/audit/html

lock: | $(UV) ## Re-resolve pyproject.toml's dependency groups into requirements/*.lock (with hashes)
	$(PYTHON) scripts/lock.py --uv $(UV)
