# The two everyday commands: `make demo` (full pipeline against the embedded fake exchange)
# and `make test` (every test). Both install what is missing first.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_TEST_FLAGS ?=

.PHONY: deps demo test bench
deps:
	@pkg-config --exists libcurl zlib sqlite3 2>/dev/null || { \
	  echo "installing libcurl4-openssl-dev libsqlite3-dev zlib1g-dev pkg-config"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq libcurl4-openssl-dev libsqlite3-dev zlib1g-dev pkg-config; }

demo: deps
	swift build -c release --product updraft
	.build/release/updraft demo

# A known intermittent hang (tests awaiting a continuation that never resumes; see the closing
# note of issues 2-5) is guarded: a run that hangs 10 minutes is killed and run again, up to 3
# times. A failing test still fails at once.
test: deps
	swift build --build-tests
	@for attempt in 1 2 3; do \
	  timeout --kill-after=10 600 swift test --skip-build $(SWIFT_TEST_FLAGS); status=$$?; \
	  [ $$status -ne 124 ] && [ $$status -ne 137 ] && exit $$status; \
	  pkill -9 -f UpdraftPackageTests.xctest || true; \
	  echo "make test: the test run hung for 10 minutes (attempt $$attempt of 3)"; \
	done; exit 124

bench: deps
	swift build -c release --product updraft
	swift build -c release --product updraft-bench
	.build/release/updraft-bench all
