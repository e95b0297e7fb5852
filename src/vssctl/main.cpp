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
#include "vssctl/progress.h"
#include "vssctl/report.h"
#include "vssctl/wine_install.h"
#include "vssctl/writers_list.h"

#include <vsbackup.h>
#include <vssapi/retry.h>
#include <vssapi/vssapi.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace core = vssapi::core;
namespace scenario = vssapi::scenario;
using namespace vssctl;

constexpr int kExitSucceeded = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

const char kUsage[] = R"(usage: vssctl <command> [options] [arguments]

Commands:
  run SCENARIO        Run a backup as a requester against the scenario's mock writers and
                      print, after each step, what GatherWriterStatus + GetWriterStatusEx read:
                      state, hrFailureWriter, hrApplication, message and failed components.
                      Exit status 0 only if every writer succeeded.
  restore SCENARIO --bcd FILE
                      Restore from a Backup Components Document that `run --save-bcd` wrote:
                      InitializeForRestore, GatherWriterMetadata, select the scenario's
                      "restore" components (default: all), PreRestore, PostRestore, with the
                      writer table after each step. Exit status 0 only if every writer succeeded.
  writers SCENARIO    List the scenario's writers in the layout of `vssadmin list writers`.
  providers           List the snapshot providers, as `vssadmin list providers` does.
  explain HRESULT...  Name, meaning, who produces it and retry guidance for each code, given in
                      hex (0x800423F3, 800423F3), decimal (-2147212301) or by name.
  wine-install [--prefix DIR] [--dll64 FILE] [--dll32 FILE]
                      Put our vssapi.dll into a Wine prefix's system32 (x64) and syswow64 (x86),
                      keeping Wine's own, and set the prefix's DLL override vssapi=native,builtin,
                      so that programs loading VssApi from System32 (restic) use ours. The DLLs
                      default to the installed ones (share/openvss/windows/{x64,x86}); the
                      prefix to $WINEPREFIX, else ~/.wine.
  wine-uninstall [--prefix DIR]
                      Put Wine's own vssapi.dll back and remove the override.

Options:
  --json              Print one JSON document instead of text. For `run`, it holds every step's
                      writer table and a trace of every event (writer, event, thread, start, end,
                      outcome, state after).
  --retry             `run` only: retry a retryable failure as contract C-7.2 says (wait 10
                      minutes, a new IVssBackupComponents, at most 3 retries; 30 s and at most 5
                      for VSS_E_SNAPSHOT_SET_IN_PROGRESS).
  --save-bcd FILE     `run` only: after BackupComplete, write the Backup Components Document
                      (SaveAsXML, UTF-8 XML) to FILE.
  --bcd FILE          `restore` only: the saved document to restore from.
  --provider NAME     `run` only: the provider of the snapshots: simulated (the default; device
                      names that open nothing), live (the volume as it is now), copy (a copy of
                      the volume's folder tree at the commit), btrfs, reflink or fsfreeze (Linux).
                      With any
                      but simulated, volumes are folders (--volume).
  --volume PATH       `run` only, repeatable: snapshot PATH instead of the scenario's drives.
  --read FILE         `run` only: after the commit, read FILE (relative to each volume) through
                      the snapshot's device path and show what it holds.
  --real-time         `run`, `restore` and `writers`: wait for real. By default time runs on a simulated
                      clock, so the 10-minute timeouts and retry waits are reported, not slept.
  -h, --help          This text.
  --version           The library's version.

Scenario files are JSON; their format is abi/scenario.schema.json (installed in
share/openvss). Exit status: 0 success, 1 a writer or step failed (run) or an unknown code
(explain), 2 a bad command line or scenario file.
)";

struct Options {
    std::string command;
    std::vector<std::string> arguments;
    bool json = false;
    bool retry = false;
    bool real_time = false;
    std::string save_bcd; // run --save-bcd FILE
    std::string bcd;      // restore --bcd FILE
    std::string provider; // run --provider NAME
    std::vector<std::string> volumes; // run --volume PATH...
    std::string read;     // run --read FILE
    vssctl::WineInstallOptions wine; // wine-install / wine-uninstall
};

bool read_text_file(const std::string &path, std::string &out)
{
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
    return static_cast<bool>(file);
}

int usage_error(const std::string &message)
{
    std::fprintf(stderr, "vssctl: %s\n(vssctl --help tells how to use it)\n", message.c_str());
    return kExitUsage;
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
        scenario::ParseResult parsed = scenario::parse_scenario_file(path);
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
            std::fprintf(stderr, "vssctl: %s: %s\n", path.c_str(), error.c_str());
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
    Progress progress(!options.json && vssapi::platform::is_terminal(stderr), coordinator->clock());
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
    Progress progress(!options.json && vssapi::platform::is_terminal(stderr), coordinator->clock());
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
    return list_writers(stdout, *opened.plan, options.json) ? kExitSucceeded : kExitFailed;
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
    return {{"hex", hex(hr)},
            {"decimal", static_cast<long long>(hr)},
            {"name", row != nullptr ? nlohmann::ordered_json(row->name) : nullptr},
            {"meaning", row != nullptr ? row->meaning : "unknown to VSS"},
            {"producer", core::producer(hr)},
            {"retry_class", retry_class_name(core::retry_class(hr))},
            {"retry", core::retry_advice(hr)},
            {"rules", {{"ids", rules}, {"links", links}, {"document", kContractDocument},
                       {"installed", kInstalledContract}}}};
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

// One code: an object (or a block of text); several: an array (or blocks).
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
        std::printf("%s\n", (codes.size() == 1 ? explained[0] : explained).dump(2).c_str());
    }
    return all_known ? kExitSucceeded : kExitFailed;
}

} // namespace

int main(int argc, char **argv)
{
    vssapi::platform::use_utf8_console();
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "-h" || argument == "--help" || argument == "help") {
            std::fputs(kUsage, stdout);
            return kExitSucceeded;
        }
        if (argument == "--version") {
            std::printf("vssctl (openvss) %s\n", vss_version());
            return kExitSucceeded;
        }
        const bool takes_value = argument == "--save-bcd" || argument == "--bcd" || argument == "--prefix" ||
                                 argument == "--dll64" || argument == "--dll32" || argument == "--provider" ||
                                 argument == "--volume" || argument == "--read";
        if (takes_value && i + 1 >= argc) {
            return usage_error(argument + (argument == "--provider" ? " needs a name" : " needs a file name"));
        }
        if (argument == "--prefix") {
            options.wine.prefix = argv[++i];
        } else if (argument == "--dll64") {
            options.wine.dll64 = argv[++i];
        } else if (argument == "--dll32") {
            options.wine.dll32 = argv[++i];
        } else if (argument == "--save-bcd") {
            options.save_bcd = argv[++i];
        } else if (argument == "--bcd") {
            options.bcd = argv[++i];
        } else if (argument == "--provider") {
            options.provider = argv[++i];
        } else if (argument == "--volume") {
            options.volumes.push_back(argv[++i]);
        } else if (argument == "--read") {
            options.read = argv[++i];
        } else if (argument == "--json") {
            options.json = true;
        } else if (argument == "--retry") {
            options.retry = true;
        } else if (argument == "--real-time") {
            options.real_time = true;
        } else if (argument.size() > 1 && argument[0] == '-' &&
                   argument.find_first_not_of("0123456789", 1) != std::string::npos) {
            return usage_error("unknown option '" + argument + "'");
        } else if (options.command.empty()) {
            options.command = argument;
        } else {
            options.arguments.push_back(argument);
        }
    }
    if (options.command.empty()) {
        std::fputs(kUsage, stderr);
        return kExitUsage;
    }
    const bool wine_command = options.command == "wine-install" || options.command == "wine-uninstall";
    const bool known = options.command == "run" || options.command == "restore" || options.command == "writers" ||
                       options.command == "explain" || options.command == "providers" || wine_command;
    if (!known) {
        return usage_error("unknown command '" + options.command + "'");
    }
    const bool wine_options = !options.wine.prefix.empty() || !options.wine.dll64.empty() || !options.wine.dll32.empty();
    if (wine_options && !wine_command) {
        return usage_error("--prefix, --dll64 and --dll32 apply to wine-install and wine-uninstall only");
    }
    if (wine_command) {
        if (!options.arguments.empty() || options.json) {
            return usage_error(options.command + " takes no arguments");
        }
        if (options.command == "wine-uninstall" && (!options.wine.dll64.empty() || !options.wine.dll32.empty())) {
            return usage_error("--dll64 and --dll32 apply to wine-install only");
        }
        return options.command == "wine-install" ? vssctl::wine_install(options.wine)
                                                 : vssctl::wine_uninstall(options.wine);
    }
    const bool snapshot_options = !options.provider.empty() || !options.volumes.empty() || !options.read.empty();
    if (snapshot_options && options.command != "run") {
        return usage_error("--provider, --volume and --read apply to run only");
    }
    if (options.command == "providers") {
        if (!options.arguments.empty()) {
            return usage_error("providers takes no arguments");
        }
        return providers_command(options);
    }
    if (options.command == "explain" ? options.arguments.empty() : options.arguments.size() != 1) {
        return usage_error(options.command == "explain" ? "explain takes one or more HRESULTs"
                                                        : options.command + " takes exactly one scenario file");
    }
    if (options.retry && options.command != "run") {
        return usage_error("--retry applies to run only");
    }
    if (!options.save_bcd.empty() && options.command != "run") {
        return usage_error("--save-bcd applies to run only");
    }
    if (options.command == "restore" ? options.bcd.empty() : !options.bcd.empty()) {
        return usage_error(options.command == "restore" ? "restore needs --bcd FILE (a document `run --save-bcd` wrote)"
                                                        : "--bcd applies to restore only");
    }
    try {
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
    } catch (const std::exception &failure) {
        std::fprintf(stderr, "vssctl: %s\n", failure.what());
        return kExitFailed;
    }
}
