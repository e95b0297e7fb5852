#!/usr/bin/env bash
# Runs every libFuzzer target of a build made with -Dfuzzing=true for a bounded
# time each, starting from the checked-in corpus (copied: new inputs land in
# $OPENVSS_FUZZ_WORK, not in the source tree). Fails on the first report.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
build=${1:?build directory made with -Dfuzzing=true}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
((${#targets[@]})) || targets=(scenario_parse scenario_run flat_api com_surface xml_documents)
work=${OPENVSS_FUZZ_WORK:-$(mktemp -d)}

dict_of() {
  case $1 in
    scenario_*) echo "$here/scenario.dict" ;;
    xml_documents) echo "$here/xml.dict" ;;
  esac
}

for target in "${targets[@]}"; do
  program=$build/tests/fuzz/${target}_fuzz
  [[ -x $program ]] || { echo "no $program: configure with CC=clang CXX=clang++ -Dfuzzing=true" >&2; exit 2; }
  corpus=$work/$target
  mkdir -p "$corpus"
  cp -n "$here/corpus/$target/"* "$corpus/" 2>/dev/null || true
  dict=$(dict_of "$target")
  # A shared ASan runtime must come first, and libFuzzer links the C++ library ahead of it.
  preload=$(ldd "$program" 2>/dev/null | awk '/libclang_rt.asan/ && $3 ~ /^\// {print $3}')
  echo "== fuzz $target: ${seconds}s"
  # -timeout: one input taking 30 s is a hang; -rss_limit_mb: memory growth.
  LD_PRELOAD=${preload:-${LD_PRELOAD:-}} "$program" "$corpus" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$work/$target-" ${dict:+-dict="$dict"} \
    >"$work/$target.log" 2>&1 || {
      echo "fuzz $target FAILED: the report and the input are in $work ($target.log, $target-crash-*)" >&2
      tail -60 "$work/$target.log" >&2
      exit 1
    }
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$work/$target.log" | tr '\n' ' '
  echo
done
