# Headroom: the README's two commands are `make demo` and `make test`. Both install missing
# system packages first (scripts/install-deps).
SWIFT ?= swift
SHARED ?= ../shared

.PHONY: all deps build demo test test-asan eval eval-forecast eval-sizing bench bench-collect fuzz clean

all: build

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

## demo: build, generate the TerraFusionProfessional demo cluster, import it, show usage vs requests
demo: deps
	$(SWIFT) build --product headroom
	scripts/demo

## test: every unit, store, CLI and integration test (the CLI tests drive the built binary;
## the integration tests a real Prometheus that scripts/with-prometheus starts and stops; the
## store suite a real PostgreSQL that scripts/with-postgres starts and stops)
test: deps
	$(SWIFT) build --build-tests
	scripts/with-postgres scripts/with-prometheus $(SWIFT) test --skip-build --disable-xctest

## test-asan: the whole suite again under AddressSanitizer, in its own build folder (CI runs it after test)
test-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 \
	  scripts/with-postgres scripts/with-prometheus $(SWIFT) test --skip-build --disable-xctest --sanitize=address --scratch-path .build-asan

## eval: evaluations on ../shared (conformance, forecast accuracy, sizing out of sample), run by CI after the tests
eval:
	scripts/eval "$(SHARED)"

## eval-forecast: the forecaster on ../shared/data/traces against BASELINES.md (part of eval)
eval-forecast:
	scripts/eval.d/forecast "$(SHARED)"

## eval-sizing: sizing out of sample on ../shared/data/traces against the percentile rules (part of eval)
eval-sizing:
	scripts/eval.d/sizing "$(SHARED)"

## bench: ordo-one/benchmark suites in Benchmarks/ (release build; not part of test), next to a
## real Prometheus holding 7 demo days for the collection benchmark and a real PostgreSQL (its
## default durability: fsync on) for the shared store's ingest
bench: deps bench-collect
	$(SWIFT) build --product headroom
	HEADROOM_PROMETHEUS_DAYS=7 HEADROOM_BENCHMARKS=1 HEADROOM_POSTGRES_DURABLE=1 scripts/with-postgres scripts/with-prometheus $(SWIFT) package --scratch-path .build-bench --allow-writing-to-package-directory benchmark --no-progress

## bench-collect: `headroom collect` (release) of 7 days from a real Prometheus holding ~250 and
## ~1,000 pods of the demo's shapes scraped every 60 s, and ~1,000 at 15 s, downsampled and raw:
## wall time, own peak RSS, Prometheus CPU seconds and peak RSS, queries, points, bytes (one JSON
## line each; ~25 minutes, most of it writing and backfilling the 15 s history); then ~10,000
## pods for one day, downsampled only (BENCH_COLLECT_LARGE, WORKLOADS:INTERVAL:DAYS; ~12 minutes)
BENCH_COLLECT_SPECS ?= 63:60 250:60 250:15
BENCH_COLLECT_LARGE ?= 2500:60:1
bench-collect: deps
	$(SWIFT) build -c release --product headroom
	@rm -f .build/bench-collect.jsonl
	@for spec in $(BENCH_COLLECT_SPECS); do \
	  workloads=$${spec%%:*}; interval=$${spec##*:}; \
	  BENCH_COLLECT_RESULTS=.build/bench-collect.jsonl HEADROOM_BIN=.build/release/headroom HEADROOM_PROMETHEUS_DAYS=7 HEADROOM_PROMETHEUS_WORKLOADS=$$workloads \
	  HEADROOM_PROMETHEUS_INTERVAL=$$interval scripts/with-prometheus sh -c \
	    "scripts/bench-collect --label '$$workloads workloads, $$interval s, downsampled' && scripts/bench-collect --label '$$workloads workloads, $$interval s, raw' -- --raw" \
	  || exit 1; \
	done
	scripts/bench-collect-memory .build/bench-collect.jsonl
	@for spec in $(BENCH_COLLECT_LARGE); do \
	  workloads=$${spec%%:*}; rest=$${spec#*:}; interval=$${rest%%:*}; days=$${rest#*:}; \
	  HEADROOM_BIN=.build/release/headroom HEADROOM_PROMETHEUS_DAYS=$$days HEADROOM_PROMETHEUS_WORKLOADS=$$workloads \
	  HEADROOM_PROMETHEUS_INTERVAL=$$interval scripts/with-prometheus \
	    scripts/bench-collect --label "$$workloads workloads, $$interval s, $$days days, downsampled" || exit 1; \
	done

## fuzz: every libFuzzer target (Fuzz/HeadroomFuzz) for FUZZ_SECONDS each (default 60) on its seed corpus
fuzz: deps
	scripts/fuzz

clean:
	rm -rf .build .build-bench .build-fuzz .build-asan fixtures/terrafusion/generated
