// What vssctl prints: the writer table after each step (text) and the whole
// run as one JSON document with a trace of every event (--json).
#pragma once

#include "vssctl/backup_run.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace vssctl {

struct RunReport {
    std::string command = "run"; // or "restore"
    std::string scenario_path;
    std::string description;
    bool simulated_clock = true;
    bool retry = false;
    TimePoint origin{}; // the clock at the start of the run; times are shown from it
    std::vector<AttemptReport> attempts;
    HRESULT result = S_OK;
    std::string result_source;
    int exit_status = 0;
};

// The "format_version" of every JSON report (abi/vssctl-report.schema.json):
// raised when a field changes meaning or goes away, not when one is added.
inline constexpr int kReportFormatVersion = 1;

// An HRESULT in JSON, everywhere vssctl writes one: {"hex": "0x800423F3",
// "name": "VSS_E_WRITERERROR_RETRYABLE"}; a code without a name has its hex
// as its name ({"hex": "0x80070020", "name": "0x80070020"}).
nlohmann::ordered_json hresult_json(HRESULT hr);

// Seconds since `origin`, "12.345 s".
std::string seconds_since(TimePoint origin, TimePoint at);

void print_run_header(std::FILE *out, const RunReport &run);
void print_attempt_header(std::FILE *out, const AttemptReport &attempt, unsigned attempts_allowed);
void print_step(std::FILE *out, const StepReport &step, TimePoint origin);
void print_attempt_outcome(std::FILE *out, const AttemptReport &attempt);
void print_run_result(std::FILE *out, const RunReport &run);

// "no", "after_wait", "short_back_off": the JSON words for C-7.1's classes.
const char *retry_class_name(vssapi::core::RetryClass retry_class);

nlohmann::ordered_json run_to_json(const RunReport &run);

} // namespace vssctl
