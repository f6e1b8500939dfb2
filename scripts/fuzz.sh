#!/usr/bin/env bash
# Coverage-guided fuzzing of every decoder and parser of the core (fuzz/, FUZZING.md), on the
# stable toolchain: libFuzzer (compiled from source by the libfuzzer-sys crate) driving targets
# built with LLVM's SanitizerCoverage passes. Not part of scripts/test.sh.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Each target runs sequentially (the machine is shared) for at least 1,000,000 executions, then,
# when SECONDS is given, on until it has run SECONDS in all. The corpus grows in fuzz/corpus/
# (seeded from fuzz/seeds/, kept between runs, not committed); a crashing input is saved in
# fuzz/artifacts/TARGET/. Prints per target: executions, coverage, crashes, invalid outputs,
# disagreements; exits non-zero if any target found one.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-0}
shift || true
MIN_RUNS=1000000

# libfuzzer-sys compiles libFuzzer's C++ sources: it needs a C++ compiler (Debian's g++).
if ! command -v c++ > /dev/null; then
  echo "[fuzz] installing g++ from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ > /dev/null
fi

HOST=$(rustc -vV | sed -n 's/^host: //p')
# Coverage instrumentation through stable codegen options (cargo-fuzz passes the same, plus
# nightly-only sanitizers). An explicit --target keeps these flags off build scripts.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
echo "[fuzz] building the targets (fuzz/target)"
cargo build --quiet --release --locked --manifest-path fuzz/Cargo.toml --target "$HOST" --bins
BIN=fuzz/target/$HOST/release

if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  mapfile -t TARGETS < <(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | tail -n +2)
fi

LOGS=fuzz/target/logs
mkdir -p "$LOGS"
failed=0
rows=()
for t in "${TARGETS[@]}"; do
  corpus=fuzz/corpus/$t
  artifacts=fuzz/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  if [ -d "fuzz/seeds/$t" ]; then cp -n fuzz/seeds/"$t"/* "$corpus"/ 2> /dev/null || true; fi
  log=$LOGS/$t.log
  : > "$log"
  start=$(date +%s)
  rc=0
  # Phase 1: the promised number of executions. Phase 2: the rest of the time budget.
  "$BIN/$t" "$corpus" -runs=$MIN_RUNS -artifact_prefix="$artifacts/" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 >> "$log" 2>&1 || rc=$?
  left=$((SECONDS_PER_TARGET - ($(date +%s) - start)))
  if [ "$rc" = 0 ] && [ "$left" -gt 0 ]; then
    "$BIN/$t" "$corpus" -max_total_time="$left" -artifact_prefix="$artifacts/" -print_final_stats=1 \
      -timeout=10 -rss_limit_mb=2048 >> "$log" 2>&1 || rc=$?
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s+=$1} END {print s+0}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(find "$corpus" -type f | wc -l)
  crashes=0 invalid=0 disagree=0
  if [ "$rc" != 0 ]; then
    if grep -q 'invalid output:' "$log"; then invalid=1
    elif grep -q 'disagreement:' "$log"; then disagree=1
    else crashes=1
    fi
    failed=1
    echo "[fuzz] $t FAILED (rc $rc); input in $artifacts/, log in $log:" >&2
    grep -m1 -A3 -E "panicked at|ERROR: libFuzzer" "$log" >&2 || tail -5 "$log" >&2
  fi
  if [ "$execs" -lt $MIN_RUNS ] && [ "$rc" = 0 ]; then
    echo "[fuzz] $t ran only $execs executions" >&2
    failed=1
  fi
  rows+=("$(printf '%-22s %12s %7s %7s %7s %8s %8s %13s %6s' "$t" "$execs" "${cov:-?}" "${ft:-?}" "$corp" "$crashes" "$invalid" "$disagree" "$(($(date +%s) - start))s")")
done

printf '%-22s %12s %7s %7s %7s %8s %8s %13s %6s\n' target executions cov ft corpus crashes invalid disagreements time
printf '%s\n' "${rows[@]}"
exit $failed
