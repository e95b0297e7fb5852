#include "vssctl/command_line.h"

#include <vssapi/vssapi.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace vssctl {
namespace {

const char kUsage[] = R"(usage: vssctl <command> [options] [arguments]
       vssctl <command> --help     that command's options (or: vssctl help <command>)

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

Options (after the command):
  --json              Print one JSON document instead of text (run, restore, writers,
                      providers, explain). For `run`, it holds every step's writer table and a
                      trace of every event (writer, event, thread, start, end, outcome, state
                      after). Its format is abi/vssctl-report.schema.json (installed in
                      share/openvss); `explain --json` prints an array, one entry per code.
  --retry             `run` only: retry a retryable failure as contract C-7.2 says (wait 10
                      minutes, a new IVssBackupComponents, at most 3 retries; 30 s and at most 5
                      for VSS_E_SNAPSHOT_SET_IN_PROGRESS).
  --save-bcd FILE     `run` only: after BackupComplete, write the Backup Components Document
                      (SaveAsXML, UTF-8 XML) to FILE.
  --bcd FILE          `restore` only: the saved document to restore from.
  --provider NAME     `run` only: the provider of the snapshots: simulated (the default; device
                      names that open nothing), live (the volume as it is now), copy (a copy of
                      the volume's folder tree at the commit), btrfs, reflink or fsfreeze (Linux).
                      With any but simulated, volumes are folders (--volume).
  --volume PATH       `run` only, repeatable: snapshot PATH instead of the scenario's drives.
  --read FILE         `run` only: after the commit, read FILE (relative to each volume) through
                      the snapshot's device path and show what it holds.
  --real-time         `run`, `restore` and `writers`: wait for real. By default time runs on a simulated
                      clock, so the 10-minute timeouts and retry waits are reported, not slept.
  -h, --help          This text; after a command, that command's options.
  --version           The library's version.

`--option=value` is the same as `--option value`; `--` ends the options (what follows is an
argument even if it starts with -). A SCENARIO, or the --bcd FILE, given as - is read from
standard input. Scenario files are JSON; their format is abi/scenario.schema.json (installed in
share/openvss). Exit status: 0 success, 1 a writer or step failed (run, restore), an unknown
code (explain) or the output could not be written, 2 a bad command line or scenario file.
)";

const char kScenarioHelp[] = "The scenario file (JSON, abi/scenario.schema.json); - reads it from standard input";
const char kRunExit[] = "Exit status: 0 every writer succeeded, 1 a writer or step failed (or the output could not "
                        "be written), 2 a bad command line or scenario file.";

// Lines of help text at most this wide.
constexpr std::size_t kHelpWidth = 100;
constexpr std::size_t kHelpColumn = 24; // where an option's description starts

// `text` with its lines broken between words to at most `width` columns.
std::string wrap(const std::string &text, std::size_t width)
{
    std::string wrapped;
    std::size_t line_start = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(" \n", start);
        end = end == std::string::npos ? text.size() : end;
        const std::string word = text.substr(start, end - start);
        const std::size_t line_length = wrapped.size() - line_start;
        if (line_length > 0 && line_length + 1 + word.size() > width) {
            wrapped += '\n';
            line_start = wrapped.size();
        } else if (line_length > 0) {
            wrapped += ' ';
        }
        wrapped += word;
        if (end < text.size() && text[end] == '\n') {
            wrapped += '\n';
            line_start = wrapped.size();
        }
        start = end + 1;
    }
    return wrapped;
}

// Help as vssctl writes it: usage lines with each positional by its name
// ("vssctl run [OPTIONS] SCENARIO"; CLI11 would bracket one it does not
// require: vssctl checks the arguments itself, for its own messages), and
// text wrapped to kHelpWidth.
class Help : public CLI::Formatter {
public:
    std::string make_option_usage(const CLI::Option *option) const override
    {
        if (!option->get_positional()) {
            return CLI::Formatter::make_option_usage(option);
        }
        return option->get_name() + (option->get_items_expected_max() > 1 ? "..." : "");
    }
    std::string make_option_desc(const CLI::Option *option) const override
    {
        return wrap(CLI::Formatter::make_option_desc(option), kHelpWidth - kHelpColumn);
    }
    std::string make_description(const CLI::App *app) const override
    {
        return wrap(CLI::Formatter::make_description(app), kHelpWidth);
    }
    std::string make_footer(const CLI::App *app) const override
    {
        return wrap(CLI::Formatter::make_footer(app), kHelpWidth);
    }
};

// "-x", "--x", "--x=1": an option; "-", "-5" (a decimal HRESULT), "x": an argument.
bool looks_like_option(const std::string &argument)
{
    return argument.size() > 1 && argument[0] == '-' &&
           argument.find_first_not_of("0123456789", 1) != std::string::npos;
}

std::string option_name(const std::string &argument)
{
    return argument.substr(0, argument.find('='));
}

// "run", "run and restore", "run, restore and writers".
std::string join_names(const std::vector<std::string> &names)
{
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    }
    return text;
}

class Parser {
public:
    Parser();
    CommandLine parse(int argc, const char *const *argv);

private:
    CLI::App *command(const char *name, const char *description, const char *footer);
    void json_flag(CLI::App *command, const char *what);
    void real_time_flag(CLI::App *command);
    CLI::Option *scenario_argument(CLI::App *command);
    // The commands other than `except` that have the option `name`.
    std::vector<std::string> commands_with(const std::string &name, const CLI::App *except) const;
    // Why an argument CLI11 left over is wrong, as vssctl has always said it.
    int refuse_extra(const CLI::App *where, const std::string &argument) const;
    CommandLine check(CLI::App &chosen, std::vector<std::string> after_options);

    CLI::App app_{"", "vssctl"};
    Options options_;
    bool version_ = false;
    std::string scenario_;
    std::vector<std::string> codes_;
    std::vector<std::string> help_topics_;
};

Parser::Parser()
{
    app_.formatter(std::make_shared<Help>());
    app_.get_formatter()->column_width(kHelpColumn);
    app_.require_subcommand(0, 1);
    // No "/option" on Windows either (the commands inherit it): "/tmp/a.json" is a file.
    app_.allow_windows_style_options(false);
    app_.allow_extras(); // every leftover is refused below, with vssctl's words
    app_.set_help_flag("-h,--help", "This text; after a command, that command's options");
    app_.add_flag("--version", version_, "The library's version");

    CLI::App *run = command("run",
                            "Run a backup as a requester against the scenario's mock writers and print, after each "
                            "step, what GatherWriterStatus + GetWriterStatusEx read: state, hrFailureWriter, "
                            "hrApplication, message and failed components.",
                            kRunExit);
    scenario_argument(run);
    json_flag(run, "One JSON report instead of text: every step's writer table and a trace of every event "
                   "(abi/vssctl-report.schema.json)");
    run->add_flag("--retry", options_.retry,
                  "Retry a retryable failure as contract C-7.2 says (wait 10 minutes, a new IVssBackupComponents, "
                  "at most 3 retries; 30 s and at most 5 for VSS_E_SNAPSHOT_SET_IN_PROGRESS)");
    run->add_option("--save-bcd", options_.save_bcd,
                    "After BackupComplete, write the Backup Components Document (SaveAsXML, UTF-8 XML) to FILE")
        ->type_name("FILE")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    run->add_option("--provider", options_.provider,
                    "The provider of the snapshots: simulated (the default; device names that open nothing), live "
                    "(the volume as it is now), copy (a copy of the volume's folder tree at the commit), btrfs, "
                    "reflink or fsfreeze (Linux). With any but simulated, volumes are folders (--volume)")
        ->type_name("NAME")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    run->add_option("--volume", options_.volumes, "Repeatable: snapshot PATH instead of the scenario's drives")
        ->type_name("PATH")
        ->allow_extra_args(false); // one PATH per --volume: the next argument may be the scenario
    run->add_option("--read", options_.read,
                    "After the commit, read FILE (relative to each volume) through the snapshot's device path and "
                    "show what it holds")
        ->type_name("FILE")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    real_time_flag(run);

    CLI::App *restore = command("restore",
                                "Restore from a Backup Components Document that `run --save-bcd` wrote: "
                                "InitializeForRestore, GatherWriterMetadata, select the scenario's \"restore\" "
                                "components (default: all), PreRestore, PostRestore, with the writer table after "
                                "each step.",
                                kRunExit);
    scenario_argument(restore);
    restore->add_option("--bcd", options_.bcd, "The saved document to restore from (required; - reads standard input)")
        ->type_name("FILE")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    json_flag(restore, "One JSON report instead of text (abi/vssctl-report.schema.json)");
    real_time_flag(restore);

    CLI::App *writers = command("writers", "List the scenario's writers in the layout of `vssadmin list writers`.",
                                "Exit status: 0 listed, 1 gathering them failed (or the output could not be "
                                "written), 2 a bad command line or scenario file.");
    scenario_argument(writers);
    json_flag(writers, "One JSON document instead of text (abi/vssctl-report.schema.json)");
    real_time_flag(writers);

    CLI::App *providers = command("providers", "List the snapshot providers, as `vssadmin list providers` does.",
                                  "Exit status: 0 listed, 1 the output could not be written, 2 a bad command line.");
    json_flag(providers, "A JSON array instead of text (abi/vssctl-report.schema.json)");

    CLI::App *explain = command(
        "explain",
        "Name, meaning, who produces it and retry guidance for each code, given in hex (0x800423F3, 800423F3), "
        "decimal (-2147212301) or by name (VSS_E_WRITERERROR_RETRYABLE); the contract rules it cites.",
        "Exit status: 0 every code is one VSS defines, 1 one is not (or the output could not be written), 2 a bad "
        "command line or a text that is no HRESULT.");
    explain->add_option("HRESULT", codes_, "The codes to explain")->type_name("");
    json_flag(explain, "A JSON array, one entry per code, instead of text (abi/vssctl-report.schema.json)");

    CLI::App *install = command("wine-install",
                                "Put our vssapi.dll into a Wine prefix's system32 (x64) and syswow64 (x86), keeping "
                                "Wine's own, and set the prefix's DLL override vssapi=native,builtin, so that programs "
                                "loading VssApi from System32 (restic) use ours.",
                                "Exit status: 0 installed, 1 failed, 2 a bad command line.");
    install->add_option("--prefix", options_.wine.prefix, "The Wine prefix (default: $WINEPREFIX, else ~/.wine)")
        ->type_name("DIR")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    install->add_option("--dll64", options_.wine.dll64,
                        "The x64 vssapi.dll (default: the installed share/openvss/windows/x64/vssapi.dll)")
        ->type_name("FILE")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    install->add_option("--dll32", options_.wine.dll32,
                        "The x86 vssapi.dll (default: the installed share/openvss/windows/x86/vssapi.dll)")
        ->type_name("FILE")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    CLI::App *uninstall = command("wine-uninstall", "Put Wine's own vssapi.dll back and remove the override.",
                                  "Exit status: 0 done, 1 failed, 2 a bad command line.");
    uninstall->add_option("--prefix", options_.wine.prefix, "The Wine prefix (default: $WINEPREFIX, else ~/.wine)")
        ->type_name("DIR")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    CLI::App *help = command("help", "vssctl's usage, or one command's options.", "");
    help->add_option("COMMAND", help_topics_, "The command")->type_name("");
}

CLI::App *Parser::command(const char *name, const char *description, const char *footer)
{
    CLI::App *added = app_.add_subcommand(name, description);
    added->allow_extras(); // refused below, with vssctl's words
    added->set_help_flag("-h,--help", "This text");
    if (*footer != '\0') {
        added->footer(footer);
    }
    return added;
}

void Parser::json_flag(CLI::App *where, const char *what)
{
    where->add_flag("--json", options_.json, what);
}

void Parser::real_time_flag(CLI::App *where)
{
    where->add_flag("--real-time", options_.real_time,
                    "Wait for real. By default time runs on a simulated clock, so the 10-minute timeouts and retry "
                    "waits are reported, not slept");
}

CLI::Option *Parser::scenario_argument(CLI::App *where)
{
    return where->add_option("SCENARIO", scenario_, kScenarioHelp)->type_name("");
}

std::vector<std::string> Parser::commands_with(const std::string &name, const CLI::App *except) const
{
    std::vector<std::string> found;
    for (const CLI::App *sub : app_.get_subcommands({})) {
        if (sub != except && sub->get_name() != "help" && sub->get_option_no_throw(name) != nullptr) {
            found.push_back(sub->get_name());
        }
    }
    return found;
}

int Parser::refuse_extra(const CLI::App *where, const std::string &argument) const
{
    const std::string name = option_name(argument);
    const std::vector<std::string> others = commands_with(name, where);
    if (where == &app_) {
        // Before the command: the options are the commands' own.
        if (others.empty()) {
            return usage_error("unknown option '" + name + "'");
        }
        return usage_error(name + " is an option of " + join_names(others) + ": give it after the command (vssctl " +
                           others.front() + " " + name + " ...)");
    }
    if (others.empty()) {
        return usage_error("unknown option '" + name + "'");
    }
    return usage_error(name + " applies to " + join_names(others) + " only");
}

CommandLine Parser::parse(int argc, const char *const *argv)
{
    // "--" is split off here rather than by CLI11, which gives an argument
    // after it to the command only while that command still wants one.
    std::vector<std::string> arguments(argv + std::min(argc, 1), argv + argc);
    std::vector<std::string> after_options;
    const auto mark = std::find(arguments.begin(), arguments.end(), "--");
    if (mark != arguments.end()) {
        after_options.assign(mark + 1, arguments.end());
        arguments.erase(mark, arguments.end());
    }
    std::reverse(arguments.begin(), arguments.end()); // CLI11 takes them last first
    try {
        app_.parse(arguments);
    } catch (const CLI::CallForHelp &) {
        const bool top = app_.get_subcommands().empty();
        std::fputs(top ? kUsage : app_.help().c_str(), stdout);
        return {};
    } catch (const CLI::ParseError &failure) {
        return {std::nullopt, usage_error(failure.what())};
    }
    if (version_) {
        std::printf("vssctl (openvss) %s\n", vss_version());
        return {};
    }
    for (const std::string &left : app_.remaining()) {
        if (looks_like_option(left)) {
            return {std::nullopt, refuse_extra(&app_, left)};
        }
        return {std::nullopt, usage_error("unknown command '" + left + "'")};
    }
    const std::vector<CLI::App *> chosen = app_.get_subcommands();
    if (chosen.empty()) {
        std::fputs(kUsage, stderr);
        return {std::nullopt, kExitUsage};
    }
    return check(*chosen.front(), std::move(after_options));
}

CommandLine Parser::check(CLI::App &chosen, std::vector<std::string> after_options)
{
    Options &options = options_;
    options.command = chosen.get_name();
    const bool takes_scenario = chosen.get_option_no_throw("SCENARIO") != nullptr;
    bool extra_argument = false;
    for (const std::string &left : chosen.remaining()) {
        if (left == "--") {
            continue;
        }
        if (looks_like_option(left)) {
            return {std::nullopt, refuse_extra(&chosen, left)};
        }
        extra_argument = true;
    }
    if (options.command == "help") {
        help_topics_.insert(help_topics_.end(), after_options.begin(), after_options.end());
        if (help_topics_.empty()) {
            std::fputs(kUsage, stdout);
            return {};
        }
        const CLI::App *topic = nullptr;
        for (const CLI::App *sub : app_.get_subcommands({})) {
            topic = sub->get_name() == help_topics_.front() ? sub : topic;
        }
        if (help_topics_.size() > 1 || topic == nullptr) {
            return {std::nullopt, help_topics_.size() > 1 ? usage_error("help takes one command")
                                                          : usage_error("unknown command '" + help_topics_.front() + "'")};
        }
        std::fputs(topic->help("vssctl").c_str(), stdout);
        return {};
    }
    if (takes_scenario && chosen.get_option("SCENARIO")->count() > 0) {
        options.arguments.push_back(scenario_);
    }
    options.arguments.insert(options.arguments.end(), codes_.begin(), codes_.end());
    options.arguments.insert(options.arguments.end(), after_options.begin(), after_options.end());
    if (options.command == "explain") {
        if (options.arguments.empty()) {
            return {std::nullopt, usage_error("explain takes one or more HRESULTs")};
        }
    } else if (takes_scenario) {
        if (extra_argument || options.arguments.size() != 1) {
            return {std::nullopt, usage_error(options.command + " takes exactly one scenario file")};
        }
    } else if (extra_argument || !options.arguments.empty()) {
        return {std::nullopt, usage_error(options.command + " takes no arguments")};
    }
    if (options.command == "restore") {
        if (options.bcd.empty()) {
            return {std::nullopt, usage_error("restore needs --bcd FILE (a document `run --save-bcd` wrote)")};
        }
        if (options.bcd == kStandardInput && options.arguments.front() == kStandardInput) {
            return {std::nullopt, usage_error("standard input is read once: give either the scenario or the --bcd "
                                              "FILE as -, not both")};
        }
    }
    return {std::move(options), kExitSucceeded};
}

} // namespace

int usage_error(const std::string &message)
{
    std::fprintf(stderr, "vssctl: %s\n(vssctl --help tells how to use it)\n", message.c_str());
    return kExitUsage;
}

CommandLine parse_command_line(int argc, const char *const *argv)
{
    return Parser().parse(argc, argv);
}

} // namespace vssctl
