# Deep Bayesian active learning in TypeScript — see README.md.
SHELL := /bin/bash
PROFILE ?= smoke
NOTEBOOKS ?= notebooks/gal-mnist.ipynb notebooks/softmax-repeated-mnist.ipynb notebooks/deimos-regression.ipynb notebooks/hybrid-cifar10.ipynb notebooks/survey-catalogue.ipynb
PY := /usr/bin/python3
TSC := node node_modules/typescript/bin/tsc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel chromium
# A single-node Slurm for the sharded-sweep test (tools/slurm-test.sh).
DEBIAN_PACKAGES += slurmctld slurmd slurm-client munge
# Datasets: BAL_DATA_DIR if set; else the workspace's shared copy when present; else ./data.
export BAL_DATA_DIR ?= $(if $(wildcard $(CURDIR)/../shared/datasets/mnist),$(abspath $(CURDIR)/../shared/datasets),$(CURDIR)/data)
export JUPYTER_PATH := $(CURDIR)/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
export JUPYTER_DATA_DIR ?= $(CURDIR)/.jupyter/data
export JUPYTER_RUNTIME_DIR ?= $(CURDIR)/.jupyter/runtime

.PHONY: setup ensure-setup build test unit verify-reference notebooks-check slurm-test interrupt-test notebooks-smoke webgpu-smoke reproduce reference lane bench bench-batchbald bench-deimos bench-mc-factored bench-mc-batch-statistics offline-bundle notebook lab clean

setup:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "Debian packages present: $(DEBIAN_PACKAGES)"; fi
	tools/setup-vulkan.sh
	npm ci --no-fund --no-audit
	sha256sum package-lock.json > $(SETUP_STAMP)
	$(MAKE) build
	@$(PY) -c "from jupyter_client.kernelspec import KernelSpecManager as K; s = K().get_kernel_spec('bal-tslab'); print('Jupyter kernel bal-tslab ->', s.resource_dir)"

# What `make test` and `make reproduce` need, set up on a fresh clone and skipped when done: the
# Debian packages present and node_modules installed from this package-lock.json.
SETUP_STAMP := node_modules/.bal-setup
ensure-setup:
	@tools/setup-vulkan.sh --check || tools/setup-vulkan.sh
	@ok=1; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || ok=0; done; \
	if [ $$ok = 1 ] && [ -f $(SETUP_STAMP) ] && sha256sum --status -c $(SETUP_STAMP) 2>/dev/null; then echo "setup: done (Debian packages and node_modules present)"; \
	else echo "setup: running make setup (first use of this clone, or package-lock.json changed)"; $(MAKE) setup; fi

# Compiled files whose source is gone are removed first: a stale build/src/x.js would shadow a new
# folder src/x/ (Node resolves x.js before x/index.js).
build:
	@[ ! -d build ] || find build/src build/test build/bench -name '*.js' 2>/dev/null | while read -r js; do \
	  ts=$${js#build/}; [ -f "$${ts%.js}.ts" ] || rm -f "$$js" "$$js.map"; done
	$(TSC) -p tsconfig.json

# The project's strict type-check, the unit tests (with the CLI kill/resume test), the Slurm
# array test, then every notebook in the smoke profile (into a scratch results folder, so
# finished runs in results/ never mask a broken pipeline).
test: ensure-setup build notebooks-check unit verify-reference slurm-test interrupt-test notebooks-smoke webgpu-smoke

# The committed reference numbers prove themselves: the first steps of the cheapest committed run of each
# experiment, recomputed from its stored config, must give every recorded number again (about a minute in all).
verify-reference:
	node build/src/cli.js verify-reference gal-mnist --steps 2
	node build/src/cli.js verify-reference deimos --steps 2
	node build/src/cli.js verify-reference hybrid --steps 1

# The notebooks are generated from tools/nbgen/*.py (the source of truth): fail when a committed
# notebook differs from its generator (e.g. after an edit made in Jupyter).
notebooks-check:
	$(PY) tools/nbgen/build.py --check

# In-process tests run the single-thread wasm build: starting the threaded one can hang (tfjs-backend-wasm's
# pool, see BackendStartTimeout), which only a new process escapes; the thread tests start children, restarted on a hang.
unit:
	BAL_WASM_THREADS=1 node --test build/test/*.test.js

slurm-test:
	tools/slurm-test.sh

# Kernel > Interrupt on a running sweep cell, through a real kernel (nbclient).
interrupt-test:
	$(PY) tools/interrupt-test.py

notebooks-smoke:
	rm -rf build/smoke
	BAL_RESULTS_DIR=$(CURDIR)/build/smoke/results BAL_FIGURES_DIR=$(CURDIR)/build/smoke/figures \
	  $(PY) tools/run-notebooks.py --profile smoke --out build/smoke/notebooks $(NOTEBOOKS)
	node build/src/cli.js check-figures build/smoke/figures
	node build/src/cli.js check-notebooks build/smoke/notebooks --screenshots build/smoke/screenshots
	node build/src/cli.js check-learning build/smoke/results

# The GPU path on this machine's WebGPU adapter (Mesa's lavapipe on CPU-only machines and in CI):
# the survey notebook in its `webgpu-smoke` profile (one query of four strategies covering MC passes,
# embeddings and input gradients; lavapipe trains ~10-20x slower than wasm) with BAL_BACKEND=webgpu;
# skipped, saying why, when no adapter appears.
WEBGPU_NOTEBOOK ?= notebooks/survey-catalogue.ipynb
webgpu-smoke:
	@mkdir -p build; if BAL_BACKEND=webgpu node build/src/cli.js backend > build/webgpu-backend.txt 2>&1; then \
	  grep "Compute backend" build/webgpu-backend.txt; rm -rf build/smoke-webgpu; \
	  BAL_BACKEND=webgpu BAL_RESULTS_DIR=$(CURDIR)/build/smoke-webgpu/results BAL_FIGURES_DIR=$(CURDIR)/build/smoke-webgpu/figures \
	    $(PY) tools/run-notebooks.py --profile webgpu-smoke --out build/smoke-webgpu/notebooks $(WEBGPU_NOTEBOOK) && \
	  node build/src/cli.js check-learning build/smoke-webgpu/results; \
	else echo "webgpu-smoke: SKIPPED, no WebGPU adapter here: $$(grep -v '^Warning\|^ - \|^    at' build/webgpu-backend.txt | grep . | tail -1)"; fi

# Executes every notebook headless into notebooks/executed/, figures into figures/, tables and
# run results into results/. Finished runs are reused; interrupted ones resume.
reproduce: ensure-setup build
	$(PY) tools/run-notebooks.py --profile $(PROFILE) --timeout 1000000 --out notebooks/executed $(NOTEBOOKS)
	@echo "Executed notebooks: notebooks/executed/  figures: figures/  tables: results/*/$(PROFILE)/tables/"

# The missing runs of each experiment's `reference` profile into the tracked reference-results/
# (resumable; commit each finished run), then the README's "What this workspace reproduced" table.
# In priority order (each experiment's plan lists its runs in the order the issue's compute plan gives).
# Second reference protocols (experiment:profile) run after every experiment's `reference`.
REFERENCE_EXPERIMENTS ?= gal-mnist deimos softmax-repeated-mnist hybrid
REFERENCE_EXTRA ?= gal-mnist:reference-gal-original
EXPERIMENT ?= $(REFERENCE_EXPERIMENTS)
reference: ensure-setup build
	@for e in $(EXPERIMENT); do node build/src/cli.js run $$e --profile reference || exit 1; done
	@for ep in $(REFERENCE_EXTRA); do case " $(EXPERIMENT) " in *" $${ep%%:*} "*) node build/src/cli.js run $${ep%%:*} --profile $${ep#*:} || exit 1;; esac; done
	node build/src/cli.js reproduced README.md

# A background lane: every experiment's missing reference runs in `bal next`'s order (cheapest undecided claim first),
# one wasm thread at nice 19 (start two for two cores: they skip each other's runs); HOURS=H: those that fit in H core-hours.
lane: ensure-setup build
	BAL_WASM_THREADS=$${BAL_WASM_THREADS:-1} nice -n 19 node build/src/cli.js next --run $(if $(HOURS),--hours $(HOURS)) $(if $(ONLY),--only $(ONLY))

bench: build
	node build/bench/compute.js $(BENCH_ARGS)

bench-batchbald: build
	node build/bench/batchbald.js

bench-deimos: build
	node build/bench/deimos.js

bench-mc-factored: build
	node build/bench/mc-factored.js

bench-mc-batch-statistics: build
	node build/bench/mc-batch-statistics.js

# Node, the runtime modules, the build and the Vulkan / libglvnd packages for a GPU machine without internet.
OFFLINE_BUNDLE ?= build/offline-bundle
offline-bundle: build
	tools/offline-bundle.sh $(OFFLINE_BUNDLE)

notebook: ensure-setup build
	jupyter notebook --allow-root --notebook-dir=$(CURDIR)/notebooks

# JupyterLab is not packaged in Debian, and Debian 12 / Ubuntu 24.04 refuse `pip install` into the
# system Python (externally-managed-environment): it goes into a project virtual environment.
VENV := $(CURDIR)/.venv
$(VENV)/bin/jupyter-lab:
	@dpkg -s python3-venv >/dev/null 2>&1 || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
	$(PY) -m venv --system-site-packages $(VENV)
	$(VENV)/bin/pip install --quiet jupyterlab
lab: ensure-setup build $(VENV)/bin/jupyter-lab
	$(VENV)/bin/jupyter-lab --allow-root --notebook-dir=$(CURDIR)/notebooks

clean:
	rm -rf build notebooks/executed .jupyter
