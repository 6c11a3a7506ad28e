# The front door: one short target per job. Every target creates what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GEN_PKG := generated/aisquare_studio_api
# The generator's post-hooks call `ruff`: make sure it is the pinned one from the venv.
# The installed-wheel runs put their own venv first on BASE_PATH instead.
BASE_PATH := $(PATH)
export PATH := $(abspath $(BIN)):$(PATH)

# Every package the venv gets is in a lock, hash-checked; --no-deps so nothing unlocked slips in.
PIP_LOCKED := -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --generate-hashes \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) pyproject.toml

.PHONY: demo test check lint typecheck generate check-generated contract update-spec bench docs \
	reliability lock dist test-installed test-lowest typecheck-user clean

# make test-installed runs the suite the way a user or a distributor meets the package: the wheel
# (built from the sdist) installed in a fresh venv with the locked test group, and the tests run
# from the unpacked sdist with overlays/ and generated/ deleted, so only the installed copy can
# be imported (a test asserts it comes from site-packages). TEST_PYTHON picks the interpreter.
TEST_PYTHON ?= $(PYTHON)
INSTALLED := .installed
TEST_PYTHON_TAG = $(shell $(TEST_PYTHON) -c 'import sys; print("py%d.%d" % sys.version_info[:2])')

# $(call installed-venv,interpreter,lock,folder under $(INSTALLED)): a fresh venv there with
# the lock's packages and the wheel, and nothing else.
define installed-venv
	rm -rf $(INSTALLED)/$(3) && mkdir -p $(INSTALLED)/$(3)/src
	$(1) -m venv $(INSTALLED)/$(3)/venv
	$(INSTALLED)/$(3)/venv/bin/python $(PIP_LOCKED) -r $(2)
	$(INSTALLED)/$(3)/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		dist/*.whl
	$(INSTALLED)/$(3)/venv/bin/python -m pip check --disable-pip-version-check
endef

# $(call installed-suite,interpreter,lock,folder under $(INSTALLED),extra environment)
define installed-suite
	$(call installed-venv,$(1),$(2),$(3))
	tar -xzf dist/*.tar.gz -C $(INSTALLED)/$(3)/src --strip-components=1
	rm -rf $(INSTALLED)/$(3)/src/overlays $(INSTALLED)/$(3)/src/generated
	cd $(INSTALLED)/$(3)/src && PATH=$(abspath $(INSTALLED)/$(3)/venv/bin):$(BASE_PATH) \
		AISQUARE_STUDIO_TEST_INSTALLED=1 $(4) ../venv/bin/python -m pytest -n 2 -q
endef

# pyright, for typecheck-user, from the committed package-lock.json (no install scripts).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

# openapi-python-client on the patched spec, with the templates and names in codegen/.
GENERATE := $(BIN)/python -m codegen.generate --spec openapi.yaml

# Floors for pyright --verifytypes: the share of each package's public API with a known type.
VERIFYTYPES := aisquare_studio=100 aisquare_studio_pytest=100 aisquare_studio_api=100

# The dev venv: the `dev` dependency group from requirements/dev.txt, then this checkout,
# editable, built by the locked hatchling (no build isolation, so no unlocked download).
$(STAMP): pyproject.toml requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP_LOCKED) -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--no-build-isolation -e .
	$(BIN)/python -m pip check --disable-pip-version-check >/dev/null
	touch $(STAMP)

demo: $(STAMP)  ## Publish sandbox drafts concurrently and print a report
	$(BIN)/python examples/demo.py

test: $(STAMP)  ## The whole test suite: unit, end-to-end over loopback, asyncio and trio
	$(BIN)/python -m pytest -n 2 -q

check: lint typecheck check-generated  ## Lint, types and generated code in sync

lint: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

typecheck: $(STAMP)
	$(BIN)/mypy

generate: $(STAMP)  ## Rebuild generated/ from openapi.yaml, generator-config.yml and codegen/
	rm -rf $(GEN_PKG).tmp
	$(GENERATE) --output $(GEN_PKG).tmp
	touch $(GEN_PKG).tmp/py.typed
	rm -rf $(GEN_PKG) && mv $(GEN_PKG).tmp $(GEN_PKG)

check-generated: $(STAMP)  ## Fail if generated/ differs from what the spec, config and codegen/ produce
	rm -rf .check-generated && mkdir -p .check-generated
	$(GENERATE) --output .check-generated/aisquare_studio_api
	touch .check-generated/aisquare_studio_api/py.typed
	diff -r --exclude=__pycache__ .check-generated/aisquare_studio_api $(GEN_PKG) \
		|| (echo "generated/ is stale: run 'make generate' and commit the result" >&2; exit 1)
	rm -rf .check-generated

contract: $(STAMP)  ## Every operation, facade and generated, sync and async, against Steady (npm ci)
	$(BIN)/python tools/contract.py

update-spec: $(STAMP)  ## Take a new upstream spec: make update-spec SPEC=path/to/openapi.yaml
	@test -n "$(SPEC)" || (echo "usage: make update-spec SPEC=path/to/openapi.yaml" >&2; exit 2)
	$(BIN)/python tools/update_spec.py "$(SPEC)"

# The docs site (mkdocs.yml, docs/) into site/; --strict: any warning fails the build. The variable
# silences a banner of mkdocs-material's about its successor, which is not about these docs.
docs: $(STAMP)  ## Build the docs site into site/, warnings as errors
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

reliability: $(STAMP)  ## Outage, blip, load and leak figures for docs/retries.md
	$(BIN)/python -m tools.reliability

# The callgrind figures need valgrind and a C compiler (cc); without them those columns say n/a.
bench: $(STAMP)  ## Per publish vs raw httpx and pydantic, throughput, import: ratios; QUICK=1 smoke run
	$(BIN)/python -m bench $(if $(QUICK),--quick)

dist: $(STAMP)  ## Build the sdist, then the wheel from it, into dist/; twine and check-wheel-contents
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*
	$(BIN)/check-wheel-contents dist/*.whl

test-installed: dist  ## The suite against the installed wheel; TEST_PYTHON=python3.12 for another
	@test -n "$(TEST_PYTHON_TAG)" || (echo "TEST_PYTHON=$(TEST_PYTHON) does not run" >&2; exit 2)
	$(call installed-suite,$(TEST_PYTHON),requirements/test.txt,$(TEST_PYTHON_TAG))

test-lowest: dist  ## The same at the lowest httpx, attrs and anyio that pyproject.toml allows
	$(call installed-suite,$(PYTHON),requirements/lowest.txt,lowest,AISQUARE_STUDIO_TEST_LOWEST=1)

typecheck-user: dist $(NODE_STAMP)  ## mypy --strict on user code and the docs' blocks vs the wheel; verifytypes
	$(call installed-venv,$(PYTHON),requirements/test.txt,typecheck)
	cp tests/typing/test_user_code.py tests/typing/mypy.ini $(INSTALLED)/typecheck/src/
	$(BIN)/python tools/doc_blocks.py $(INSTALLED)/typecheck/src >/dev/null
	cd $(INSTALLED)/typecheck/src && $(abspath $(BIN))/mypy --config-file mypy.ini \
		--python-executable ../venv/bin/python .
	PATH=$(abspath $(INSTALLED)/typecheck/venv/bin):$(BASE_PATH) \
		$(BIN)/python tools/verifytypes.py node_modules/.bin/pyright $(VERIFYTYPES)

lock: $(STAMP)  ## Re-resolve requirements/*.txt from pyproject.toml; UPGRADE=1 takes newer versions
	$(UV_COMPILE) --group dev -o requirements/dev.txt
	$(UV_COMPILE) --group test -c requirements/dev.txt -o requirements/test.txt
	$(UV_COMPILE) --group test --resolution lowest-direct \
		--override requirements/lowest-overrides.txt -o requirements/lowest.txt

clean:
	rm -rf $(VENV) dist site $(INSTALLED) .check-generated $(GEN_PKG).tmp .mypy_cache .ruff_cache
