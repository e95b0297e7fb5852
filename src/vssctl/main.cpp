// vssctl: runs scenario files against the library as a requester would, lists
// their writers the way `vssadmin list writers` does, and explains HRESULTs.
#include "core/coordinator.h"
#include "core/hresult_text.h"
#include "core/retry_policy.h"
#include "com/guid.h"
#include "providers/builtin.h"
#include "com/utf.h"
#include "platform/terminal.h"
#include "scenario/load.h"
#include "vssctl/backup_run.h"
#include "vssctl/command_line.h"
#include "vssctl/progress.h"
#include "vssctl/report.h"
#include "vssctl/wine_install.h"
#include "vssctl/writers_list.h"

#include <vsbackup.h>
#include <vssapi/retry.h>
#include <vssapi/vssapi.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

namespace {

namespace core = vssapi::core;
namespace scenario = vssapi::scenario;
using namespace vssctl;

// What standard input holds, up to `limit` bytes and one more (so that the
// caller can tell it was too long); false when it cannot be read.
bool read_standard_input(std::string &out, std::size_t limit)
{
#ifdef _WIN32
    _setmode(_fileno(stdin), _O_BINARY); // the bytes as they are: no CR LF to LF
#endif
    out.clear();
    char chunk[64 * 1024];
    std::size_t got = 0;
    while (out.size() <= limit && (got = std::fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        out.append(chunk, got);
    }
    return std::ferror(stdin) == 0;
}

// A file, or standard input for "-".
bool read_text_file(const std::string &path, std::string &out)
{
    if (path == kStandardInput) {
        return read_standard_input(out, std::numeric_limits<std::size_t>::max() - 1);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return true;
}

bool write_text_file(const std::string &path, const std::string &text)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close(); // a full disk shows only when the last of it is written
    return !file.fail();
}

// A scenario file, or standard input for "-" (named "<stdin>" in messages).
scenario::ParseResult read_scenario(const std::string &path)
{
    if (path != kStandardInput) {
        return scenario::parse_scenario_file(path);
    }
    std::string text;
    if (!read_standard_input(text, scenario::kMaxScenarioBytes)) {
        return {std::nullopt, scenario::ParseError{"<stdin>", 0, 0, "cannot read: an input/output error"}};
    }
    return scenario::parse_scenario_text(text, "<stdin>");
}

// ---- a scenario put to work -----------------------------------------------

// A scenario file read, its coordinator made current (CreateVssBackupComponents
// binds to it) and its writers subscribed. The calling thread counts as work of
// the run: the simulated clock moves only while it waits.
struct ScenarioRun {
    std::optional<scenario::Scenario> plan;
    std::shared_ptr<core::Coordinator> coordinator;
    core::WorkToken work;
    std::optional<core::Clock::WorkScope> doing;
    std::unique_ptr<scenario::LoadedScenario> loaded;

    // False, with the reason on stderr, when the file cannot be used.
    bool open(const std::string &path, bool real_time, core::TraceSink trace = {})
    {
        scenario::ParseResult parsed = read_scenario(path);
        if (!parsed.scenario) {
            std::fprintf(stderr, "vssctl: %s\n", parsed.error->to_string().c_str());
            return false;
        }
        plan = std::move(parsed.scenario);
        core::CoordinatorOptions options = scenario::coordinator_options(*plan, real_time);
        options.trace = std::move(trace);
        coordinator = core::Coordinator::create(std::move(options));
        core::Coordinator::set_current(coordinator);
        work = coordinator->clock()->begin_work();
        doing.emplace(work);
        std::string error;
        if (FAILED(scenario::LoadedScenario::load(coordinator, *plan, loaded, error))) {
            std::fprintf(stderr, "vssctl: %s: %s\n", plan->source.c_str(), error.c_str());
            return false;
        }
        return true;
    }
};

// ---- run ------------------------------------------------------------------

// The end of `run` and `restore`: the last attempt decides; the report as
// JSON or its result line. Returns the exit status.
int finish(RunReport &run, const AttemptReport &last, Progress &progress, bool json, std::FILE *out)
{
    run.result = last.outcome;
    run.result_source = last.outcome_source;
    run.exit_status = last.outcome == S_OK ? kExitSucceeded : kExitFailed;
    progress.clear();
    if (json) {
        std::printf("%s\n", run_to_json(run).dump(2).c_str());
    } else {
        print_run_result(out, run);
    }
    return run.exit_status;
}

int run_command(const Options &options)
{
    const std::string &path = options.arguments[0];
    TraceLog trace;
    ScenarioRun opened;
    if (!opened.open(path, options.real_time, trace.sink())) {
        return kExitUsage;
    }
    const scenario::Scenario &plan = *opened.plan;
    const auto &coordinator = opened.coordinator;
    const bool simulated = !options.real_time && plan.service.clock == scenario::ClockKind::Simulated;

    RunReport run;
    run.scenario_path = path;
    run.description = plan.description;
    run.simulated_clock = simulated;
    run.retry = options.retry;
    run.origin = coordinator->clock()->now();

    const unsigned attempts_allowed = options.retry ? 1 + core::RetryPolicy().max_retries : 1;
    Progress progress(options.json ? TerminalKind::None : terminal_kind(stderr), coordinator->clock());
    std::FILE *out = stdout;
    if (!options.json) {
        print_run_header(out, run);
    }
    BackupRun backup(
        plan, coordinator, trace, [&](const std::string &step) { progress.step(step); },
        [&](const AttemptReport &attempt, const StepReport &step) {
            progress.clear();
            if (!options.json) {
                if (attempt.steps.size() == 1) {
                    print_attempt_header(out, attempt, attempts_allowed);
                }
                print_step(out, step, run.origin);
                std::fflush(out);
            }
        });

    // The library's retry helper (C-7.2) hands every attempt a fresh
    // IVssBackupComponents; without --retry it is allowed no retry.
    vss_retry_policy policy{};
    policy.size = sizeof policy;
    vss_retry_policy_default(&policy);
    if (!options.retry) {
        policy.max_retries = 0;
        policy.in_progress_max_retries = 0;
    }
    backup.save_document_after_snapshot(!options.save_bcd.empty());
    if (!options.provider.empty() || !options.volumes.empty() || !options.read.empty()) {
        GUID provider_id = GUID_NULL;
        if (!options.provider.empty()) {
            const auto provider = vssapi::providers::by_name(coordinator->providers(), options.provider);
            if (!provider) {
                return usage_error("no provider named '" + options.provider +
                                   "' (vssctl providers lists them: simulated, live, copy, btrfs, reflink, fsfreeze)");
            }
            provider_id = provider->id();
        }
        std::vector<std::u16string> volumes;
        for (const std::string &volume : options.volumes) {
            volumes.push_back(vssapi::com::utf8_to_utf16(volume));
        }
        backup.choose_snapshots(provider_id, std::move(volumes), vssapi::com::utf8_to_utf16(options.read));
    }
    vssapi::retry(
        policy,
        [&](IVssBackupComponents *fresh, unsigned number) {
            run.attempts.push_back(backup.attempt(number, *fresh));
            return run.attempts.back().outcome;
        },
        [&](const vss_retry_attempt &record) {
            AttemptReport &attempt = run.attempts.at(record.number - 1);
            attempt.wait_after = Duration(static_cast<long long>(record.wait_ms));
            std::vector<core::TraceEntry> shutdown = trace.take(attempt.session_id);
            attempt.trace.insert(attempt.trace.end(), shutdown.begin(), shutdown.end());
            if (!options.json) {
                print_attempt_outcome(out, attempt);
            }
        });
    const AttemptReport &last = run.attempts.back();
    if (!options.save_bcd.empty()) {
        if (backup.saved_document().empty()) {
            std::fprintf(stderr, "vssctl: no Backup Components Document to save: the backup ended before BackupComplete\n");
        } else if (!write_text_file(options.save_bcd, utf8(backup.saved_document()))) {
            std::fprintf(stderr, "vssctl: cannot write %s\n", options.save_bcd.c_str());
            return kExitUsage;
        } else if (!options.json) {
            std::fprintf(out, "\nBackup Components Document saved to %s\n", options.save_bcd.c_str());
        }
    }
    return finish(run, last, progress, options.json, out);
}

// ---- providers --------------------------------------------------------------

int providers_command(const Options &options)
{
    const auto coordinator = core::Coordinator::create(scenario::program_options());
    nlohmann::ordered_json listed = nlohmann::ordered_json::array();
    for (const auto &provider : coordinator->providers()) {
        const core::ProviderInfo info = provider->info();
        const std::string id = "{" + vssapi::com::format_guid(info.id) + "}";
        if (options.json) {
            listed.push_back({{"name", utf8(info.name)}, {"type", "software"}, {"id", id}, {"version", utf8(info.version)},
                              {"default", provider == coordinator->provider()}});
        } else {
            std::printf("Provider name: '%s'%s\n   Provider type: Software\n   Provider Id: %s\n   Version: %s\n\n",
                        utf8(info.name).c_str(), provider == coordinator->provider() ? " (the default)" : "",
                        id.c_str(), utf8(info.version).c_str());
        }
    }
    if (options.json) {
        std::printf("%s\n", listed.dump(2).c_str());
    }
    return kExitSucceeded;
}

// ---- restore ----------------------------------------------------------------

int restore_command(const Options &options)
{
    std::string document;
    if (!read_text_file(options.bcd, document)) {
        std::fprintf(stderr, "vssctl: cannot read %s\n", options.bcd.c_str());
        return kExitUsage;
    }
    const std::string &path = options.arguments[0];
    TraceLog trace;
    ScenarioRun opened;
    if (!opened.open(path, options.real_time, trace.sink())) {
        return kExitUsage;
    }
    const scenario::Scenario &plan = *opened.plan;
    const auto &coordinator = opened.coordinator;
    RunReport run;
    run.scenario_path = path;
    run.description = plan.description;
    run.simulated_clock = !options.real_time && plan.service.clock == scenario::ClockKind::Simulated;
    run.origin = coordinator->clock()->now();
    run.command = "restore";
    Progress progress(options.json ? TerminalKind::None : terminal_kind(stderr), coordinator->clock());
    std::FILE *out = stdout;
    if (!options.json) {
        print_run_header(out, run);
    }
    BackupRun restorer(
        plan, coordinator, trace, [&](const std::string &step) { progress.step(step); },
        [&](const AttemptReport &, const StepReport &step) {
            progress.clear();
            if (!options.json) {
                print_step(out, step, run.origin);
                std::fflush(out);
            }
        });
    IVssBackupComponents *fresh = nullptr;
    const HRESULT created = CreateVssBackupComponents(&fresh);
    if (FAILED(created)) {
        std::fprintf(stderr, "vssctl: CreateVssBackupComponents: %s\n", hresult_text(created).c_str());
        return kExitFailed;
    }
    run.attempts.push_back(restorer.restore(*fresh, vssapi::com::utf8_to_utf16(document)));
    fresh->Release(); // OnBackupShutdown
    AttemptReport &attempt = run.attempts.back();
    if (!options.json && !attempt.requester_calls.empty()) {
        std::fprintf(out, "\nRequester's choices before PreRestore:\n");
        for (const std::string &call : attempt.requester_calls) {
            std::fprintf(out, "  %s\n", call.c_str());
        }
    }
    std::vector<core::TraceEntry> shutdown = trace.take(attempt.session_id);
    attempt.trace.insert(attempt.trace.end(), shutdown.begin(), shutdown.end());
    return finish(run, attempt, progress, options.json, out);
}

// ---- writers ----------------------------------------------------------------

int writers_command(const Options &options)
{
    ScenarioRun opened;
    if (!opened.open(options.arguments[0], options.real_time)) {
        return kExitUsage;
    }
    return list_writers(stdout, *opened.plan, options.arguments[0], options.json) ? kExitSucceeded : kExitFailed;
}

// ---- explain ----------------------------------------------------------------

bool parse_hresult(const std::string &text, HRESULT &out)
{
    const std::optional<HRESULT> parsed = core::parse_hresult(text); // the scenario files' syntax too
    if (parsed) {
        out = *parsed;
    }
    return parsed.has_value();
}

// Where the rules are explained: docs/contract.md in the source, installed by
// docs/meson.build into datadir/doc/openvss. Each rule has the anchor of its id
// in lower case ("#c-7.1").
constexpr char kContractDocument[] = "docs/contract.md";
#ifdef VSSCTL_DATADIR
constexpr char kInstalledContract[] = VSSCTL_DATADIR "/doc/openvss/contract.md";
#else
constexpr char kInstalledContract[] = "share/doc/openvss/contract.md";
#endif

// The rule ids ("C-7.1") that the texts printed for `hr` cite, in order, each
// once: taken from the texts themselves so the pointer cannot disagree with them.
std::vector<std::string> cited_rules(HRESULT hr)
{
    std::vector<std::string> rules;
    const auto digits = [](std::string_view text, std::size_t at) {
        std::size_t end = at;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
            ++end;
        }
        return end - at;
    };
    for (const std::string_view text : {std::string_view(core::producer(hr)), std::string_view(core::retry_advice(hr))}) {
        for (std::size_t at = text.find("C-"); at != std::string_view::npos; at = text.find("C-", at + 2)) {
            const bool in_word = at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1])) != 0;
            const std::size_t section = digits(text, at + 2);
            if (in_word || section == 0 || at + 2 + section >= text.size() || text[at + 2 + section] != '.') {
                continue;
            }
            const std::size_t number = digits(text, at + 3 + section);
            if (number == 0) {
                continue;
            }
            std::string rule(text.substr(at, 3 + section + number));
            if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
                rules.push_back(std::move(rule));
            }
        }
    }
    return rules;
}

std::string rule_anchor(const std::string &rule)
{
    return "#c-" + rule.substr(2);
}

nlohmann::ordered_json explain_json(HRESULT hr)
{
    const core::HresultText *row = core::find_hresult(hr);
    const std::vector<std::string> rules = cited_rules(hr);
    nlohmann::ordered_json links = nlohmann::ordered_json::array();
    for (const std::string &rule : rules) {
        links.push_back(kContractDocument + rule_anchor(rule));
    }
    // The code as every HRESULT in vssctl's JSON ({"hex", "name"}), then what explain tells of it.
    nlohmann::ordered_json explained = hresult_json(hr);
    explained.update(nlohmann::ordered_json{
        {"known", row != nullptr},
        {"decimal", static_cast<long long>(hr)},
        {"meaning", row != nullptr ? row->meaning : "unknown to VSS"},
        {"producer", core::producer(hr)},
        {"retry_class", retry_class_name(core::retry_class(hr))},
        {"retry", core::retry_advice(hr)},
        {"rules", {{"ids", rules}, {"links", links}, {"document", kContractDocument}, {"installed", kInstalledContract}}}});
    return explained;
}

void print_explanation(HRESULT hr)
{
    const core::HresultText *row = core::find_hresult(hr);
    std::printf("%s (%ld)  %s\n", hex(hr).c_str(), static_cast<long>(hr),
                row != nullptr ? row->name : "(not a code VSS defines)");
    std::printf("  Meaning:      %s\n", row != nullptr ? row->meaning : "unknown to VSS");
    std::printf("  Produced by:  %s\n", core::producer(hr));
    std::printf("  Retry:        %s\n", core::retry_advice(hr));
    const std::vector<std::string> rules = cited_rules(hr);
    if (!rules.empty()) {
        std::string ids, anchors;
        for (const std::string &rule : rules) {
            ids += (ids.empty() ? "" : ", ") + rule;
            anchors += (anchors.empty() ? kContractDocument : ", ") + rule_anchor(rule);
        }
        std::printf("  Rules:        %s \u2014 see %s (installed: %s)\n", ids.c_str(), anchors.c_str(),
                    kInstalledContract);
    }
}

// Blocks of text, or a JSON array with one entry per code (one code too).
int explain_command(const Options &options)
{
    std::vector<HRESULT> codes;
    for (const std::string &argument : options.arguments) {
        HRESULT hr = S_OK;
        if (!parse_hresult(argument, hr)) {
            return usage_error("'" + argument + "' is not an HRESULT: give hex (0x800423F3), decimal (-2147212301) "
                               "or a name (VSS_E_WRITERERROR_RETRYABLE)");
        }
        codes.push_back(hr);
    }
    bool all_known = true;
    nlohmann::ordered_json explained = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < codes.size(); ++i) {
        all_known = all_known && core::find_hresult(codes[i]) != nullptr;
        if (options.json) {
            explained.push_back(explain_json(codes[i]));
        } else {
            std::printf("%s", i > 0 ? "\n" : "");
            print_explanation(codes[i]);
        }
    }
    if (options.json) {
        std::printf("%s\n", explained.dump(2).c_str()); // an array, however many codes
    }
    return all_known ? kExitSucceeded : kExitFailed;
}

// ---- the command ------------------------------------------------------------

int run_command_line(const Options &options)
{
    if (options.command == "wine-install") {
        return vssctl::wine_install(options.wine);
    }
    if (options.command == "wine-uninstall") {
        return vssctl::wine_uninstall(options.wine);
    }
    if (options.command == "providers") {
        return providers_command(options);
    }
    if (options.command == "run") {
        return run_command(options);
    }
    if (options.command == "restore") {
        return restore_command(options);
    }
    if (options.command == "writers") {
        return writers_command(options);
    }
    return explain_command(options);
}

// `status`, unless what went to standard output could not all be written (a
// full disk, a closed pipe): then the reason on stderr and a failure, so that
// `vssctl run --json > report.json` never ends in 0 with half a report.
int output_written(int status)
{
    errno = 0;
    const bool flushed = std::fflush(stdout) == 0;
    const int error = errno;
    if (flushed && std::ferror(stdout) == 0) {
        return status;
    }
    // The reason is known when the last write failed; an earlier one only left the error flag.
    std::fprintf(stderr, "vssctl: cannot write the output%s%s\n", error != 0 ? ": " : "",
                 error != 0 ? std::strerror(error) : "");
    return status == kExitSucceeded ? kExitFailed : status;
}

} // namespace

int main(int argc, char **argv)
{
    vssapi::platform::use_utf8_console();
    const CommandLine command_line = parse_command_line(argc, argv);
    if (!command_line.options) {
        return output_written(command_line.exit_status); // help, the version, or a refusal
    }
    const Options &options = *command_line.options;
    try {
        return output_written(run_command_line(options));
    } catch (const std::exception &failure) {
        std::fprintf(stderr, "vssctl: %s\n", failure.what());
        return output_written(kExitFailed);
    }
}
