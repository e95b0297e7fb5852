#include "vssctl/report.h"

#include "vssctl/text_width.h"

#include <algorithm>
#include <map>
#include <thread>

namespace vssctl {
namespace core = vssapi::core;

std::string seconds_since(TimePoint origin, TimePoint at)
{
    const long long ms = (at - origin).count();
    char text[32];
    std::snprintf(text, sizeof text, "%lld.%03lld s", ms / 1000, ms % 1000);
    return text;
}

namespace {

// "SqlServerWriter (HR)": two instances of one writer class look alike otherwise.
std::string display_name(const WriterRow &row)
{
    return row.instance_name.empty() ? row.name : row.name + " (" + row.instance_name + ")";
}

std::string state_text(VSS_WRITER_STATE state)
{
    std::string text = std::to_string(static_cast<int>(state)); // not "[" + string: a false GCC 12 -O3 warning
    text.insert(text.begin(), '[');
    text.append("] ").append(core::state_name(state));
    return text;
}

const char *outcome_text(const core::TraceEntry &entry)
{
    if (entry.kind == core::TraceEntry::Kind::Commit) {
        return entry.result == S_OK ? "committed" : "commit failed";
    }
    if (!entry.started && entry.kind == core::TraceEntry::Kind::Handler) {
        return "never started";
    }
    switch (entry.outcome) {
    case core::HandlerEnd::ReturnedTrue: return "returned true";
    case core::HandlerEnd::ReturnedFalse: return "returned false";
    case core::HandlerEnd::Threw: return "threw";
    case core::HandlerEnd::TimedOut: return "no answer within the event timeout";
    case core::HandlerEnd::FreezeTimeout: return "freeze window passed before OnThaw";
    case core::HandlerEnd::NoSession: return "no session left";
    }
    return "?";
}

} // namespace

void print_run_header(std::FILE *out, const RunReport &run)
{
    std::fprintf(out, "vssctl %s %s%s\n", run.command.c_str(), run.retry ? "--retry " : "", run.scenario_path.c_str());
    if (!run.description.empty()) {
        std::fprintf(out, "%s\n", run.description.c_str());
    }
    std::fprintf(out, "Clock: %s\n",
                 run.simulated_clock ? "simulated (timeouts and waits are reported, not slept; --real-time to wait)"
                                     : "real time");
}

void print_attempt_header(std::FILE *out, const AttemptReport &attempt, unsigned attempts_allowed)
{
    if (attempts_allowed > 1) {
        std::fprintf(out, "\n=== attempt %u of at most %u (a new IVssBackupComponents) ===\n", attempt.number,
                     attempts_allowed);
    }
}

void print_step(std::FILE *out, const StepReport &step, TimePoint origin)
{
    std::fprintf(out, "\n%s: %s   (at %s)\n", step.step.c_str(), hresult_text(step.result).c_str(),
                 seconds_since(origin, step.at).c_str());
    if (FAILED(step.status_result)) {
        std::fprintf(out, "  GatherWriterStatus failed: %s\n", hresult_text(step.status_result).c_str());
        return;
    }
    std::size_t name_width = 6;
    std::size_t state_width = 5;
    std::size_t error_width = 15;
    for (const WriterRow &row : step.writers) {
        // Columns on the screen, not bytes: a CJK character takes two, a combining mark none.
        name_width = std::max(name_width, display_width(display_name(row)));
        state_width = std::max(state_width, display_width(state_text(row.state)));
        error_width = std::max(error_width, display_width(hresult_text(row.hr_writer)));
    }
    auto print_row = [&](const std::string &name, const std::string &state, const std::string &error,
                         const std::string &application, const std::string &message) {
        std::string line = "  " + pad_to_width(name, name_width + 2) + pad_to_width(state, state_width + 2) +
                           pad_to_width(error, error_width + 2) + pad_to_width(application, 15) + message;
        line.erase(line.find_last_not_of(' ') + 1);
        std::fprintf(out, "%s\n", line.c_str());
    };
    print_row("Writer", "State", "hrFailureWriter", "hrApplication", "Message");
    for (const WriterRow &row : step.writers) {
        print_row(display_name(row), state_text(row.state), hresult_text(row.hr_writer),
                  row.hr_application == S_OK ? "S_OK" : hex(row.hr_application), row.message);
        for (const ComponentFailureRow &failure : row.failed_components) {
            std::fprintf(out, "    component '%s' failed: %s, hrApplication %s%s%s\n", failure.component.c_str(),
                         hresult_text(failure.hr).c_str(), hex(failure.hr_application).c_str(),
                         failure.message.empty() ? "" : ": ", failure.message.c_str());
        }
    }
    for (const std::string &name : step.not_listed) {
        std::fprintf(out, "  %s(not listed: its OnIdentify failed, C-3.3)\n", pad_to_width(name, name_width + 2).c_str());
    }
}

void print_attempt_outcome(std::FILE *out, const AttemptReport &attempt)
{
    if (!attempt.snapshots.empty()) {
        std::fprintf(out, "\nSnapshots (where a backup tool reads them):\n");
        for (const SnapshotRow &snapshot : attempt.snapshots) {
            std::fprintf(out, "  %s -> %s  [%s]\n", snapshot.volume.c_str(), snapshot.device.c_str(),
                         snapshot.provider.c_str());
            if (!snapshot.read.empty()) {
                std::fprintf(out, "    read %s\n", snapshot.read.c_str());
            }
        }
    }
    if (attempt.outcome == S_OK) {
        std::fprintf(out, "\nOutcome: every writer succeeded\n");
        return;
    }
    std::fprintf(out, "\nOutcome: %s from %s: %s\n", hresult_text(attempt.outcome).c_str(),
                 attempt.outcome_source.c_str(), core::retry_advice(attempt.outcome));
    if (attempt.wait_after.count() > 0) {
        std::fprintf(out, "Retrying after %s\n", seconds_since(TimePoint{}, TimePoint{} + attempt.wait_after).c_str());
    }
}

void print_run_result(std::FILE *out, const RunReport &run)
{
    if (run.command == "restore") {
        if (run.result == S_OK) {
            std::fprintf(out, "\nResult: RESTORED (exit status 0)\n");
        } else {
            std::fprintf(out, "\nResult: FAILED: %s from %s (exit status %d)\n", hresult_text(run.result).c_str(),
                         run.result_source.c_str(), run.exit_status);
        }
        return;
    }
    if (run.result == S_OK) {
        std::fprintf(out, "\nResult: SUCCEEDED after %zu attempt%s (exit status 0)\n", run.attempts.size(),
                     run.attempts.size() == 1 ? "" : "s");
    } else {
        std::fprintf(out, "\nResult: FAILED after %zu attempt%s: %s from %s (exit status %d)\n", run.attempts.size(),
                     run.attempts.size() == 1 ? "" : "s", hresult_text(run.result).c_str(),
                     run.result_source.c_str(), run.exit_status);
    }
}

// ---- JSON -------------------------------------------------------------------

nlohmann::ordered_json hresult_json(HRESULT hr)
{
    return nlohmann::ordered_json{{"hex", hex(hr)}, {"name", hresult_text(hr)}};
}

namespace {

using json = nlohmann::ordered_json;

long long ms_since(TimePoint origin, TimePoint at)
{
    return (at - origin).count();
}

json writer_json(const WriterRow &row)
{
    json failed = json::array();
    for (const ComponentFailureRow &failure : row.failed_components) {
        failed.push_back(json{{"component", failure.component},
                              {"hr", hresult_json(failure.hr)},
                              {"hr_application", hresult_json(failure.hr_application)},
                              {"message", failure.message}});
    }
    return json{{"name", row.name},
                {"instance_name", row.instance_name},
                {"class_id", guid_text(row.class_id)},
                {"instance_id", guid_text(row.instance_id)},
                {"state", static_cast<int>(row.state)},
                {"state_name", core::state_name(row.state)},
                {"hr_failure_writer", hresult_json(row.hr_writer)},
                {"hr_application", hresult_json(row.hr_application)},
                {"message", row.message},
                {"failed_components", failed}};
}

// The "event" of a verdict: what the service judged.
const char *verdict_name(const core::TraceEntry &entry)
{
    return entry.outcome == core::HandlerEnd::NoSession ? "SessionLimit" : "FreezeWindow";
}

json trace_json(const core::TraceEntry &entry, TimePoint origin, std::map<std::thread::id, int> &threads)
{
    json out;
    if (entry.kind == core::TraceEntry::Kind::Refusal) {
        // A requester call the state machine refused (C-3.8), with its reason.
        out["writer"] = nullptr;
        out["event"] = "Refusal";
        out["call"] = core::call_name(entry.call);
        out["at_ms"] = ms_since(origin, entry.end);
        out["result"] = hresult_json(entry.result);
        out["reason"] = entry.reason;
        return out;
    }
    if (entry.kind == core::TraceEntry::Kind::Commit) {
        out["writer"] = nullptr;
        out["event"] = "Commit";
    } else {
        out["writer"] = utf8(entry.writer->name);
        out["instance_id"] = guid_text(entry.writer->instance_id);
        out["event"] = entry.kind == core::TraceEntry::Kind::Verdict ? verdict_name(entry) : core::handler_name(entry.event);
    }
    // Threads are numbered in order of first appearance: thread ids mean nothing across runs.
    if (entry.started && entry.kind != core::TraceEntry::Kind::Verdict) {
        auto found = threads.find(entry.thread);
        if (found == threads.end()) {
            found = threads.emplace(entry.thread, static_cast<int>(threads.size()) + 1).first;
        }
        out["thread"] = found->second;
    } else {
        out["thread"] = nullptr;
    }
    out["start_ms"] = entry.started || entry.kind == core::TraceEntry::Kind::Verdict ? json(ms_since(origin, entry.start))
                                                                                     : json(nullptr);
    out["end_ms"] = ms_since(origin, entry.end);
    out["outcome"] = outcome_text(entry);
    if (entry.kind == core::TraceEntry::Kind::Commit) {
        out["result"] = hresult_json(entry.result);
    } else {
        out["state_after"] = core::state_name(entry.status_after.state);
        out["hr_failure_writer_after"] = hresult_json(entry.status_after.hr_failure);
        out["hr_application_after"] = hresult_json(entry.status_after.hr_application);
        out["message_after"] = utf8(entry.status_after.message);
    }
    return out;
}


} // namespace

const char *retry_class_name(core::RetryClass retry_class)
{
    switch (retry_class) {
    case core::RetryClass::No: return "no";
    case core::RetryClass::AfterWait: return "after_wait";
    case core::RetryClass::ShortBackOff: return "short_back_off";
    }
    return "?";
}

nlohmann::ordered_json run_to_json(const RunReport &run)
{
    json attempts = json::array();
    std::map<std::thread::id, int> threads;
    for (const AttemptReport &attempt : run.attempts) {
        json steps = json::array();
        for (const StepReport &step : attempt.steps) {
            json writers = json::array();
            for (const WriterRow &row : step.writers) {
                writers.push_back(writer_json(row));
            }
            steps.push_back(json{{"step", step.step},
                                 {"result", hresult_json(step.result)},
                                 {"at_ms", ms_since(run.origin, step.at)},
                                 {"gather_writer_status", hresult_json(step.status_result)},
                                 {"writers", writers},
                                 {"not_listed", step.not_listed}});
        }
        json trace = json::array();
        for (const core::TraceEntry &entry : attempt.trace) {
            trace.push_back(trace_json(entry, run.origin, threads));
        }
        attempts.push_back(json{{"number", attempt.number},
                                {"start_ms", ms_since(run.origin, attempt.start)},
                                {"end_ms", ms_since(run.origin, attempt.end)},
                                {"outcome", hresult_json(attempt.outcome)},
                                {"outcome_source", attempt.outcome_source},
                                {"retry_class", retry_class_name(attempt.retry_class)},
                                {"wait_after_ms", attempt.wait_after.count()},
                                {"steps", steps},
                                {"trace", trace}});
        if (!attempt.requester_calls.empty()) {
            attempts.back()["requester_calls"] = attempt.requester_calls; // a restore's choices
        }
        if (!attempt.snapshots.empty()) {
            json snapshots = json::array();
            for (const SnapshotRow &snapshot : attempt.snapshots) {
                snapshots.push_back(json{{"volume", snapshot.volume}, {"device", snapshot.device},
                                         {"provider", snapshot.provider}});
                if (!snapshot.read.empty()) {
                    snapshots.back()["read"] = snapshot.read;
                }
            }
            attempts.back()["snapshots"] = snapshots;
        }
    }
    json report = json{{"format_version", kReportFormatVersion}};
    if (run.command != "run") {
        report["command"] = run.command; // a restore's report; a backup's has no such field
    }
    report.update(json{{"scenario", run.scenario_path},
                {"description", run.description},
                {"clock", run.simulated_clock ? "simulated" : "real"},
                {"retry", run.retry},
                {"attempts", attempts},
                {"result", hresult_json(run.result)},
                {"result_source", run.result_source},
                {"exit_status", run.exit_status}});
    return report;
}

} // namespace vssctl
