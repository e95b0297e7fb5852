// vssctl's command line, read with CLI11: the commands, their options and
// arguments, `vssctl --help` and each command's own --help.
#pragma once

#include "vssctl/wine_install.h"

#include <optional>
#include <string>
#include <vector>

namespace vssctl {

// Exit statuses (vssctl --help says what each means).
inline constexpr int kExitSucceeded = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// A SCENARIO or --bcd FILE given as this is read from standard input.
inline constexpr const char *kStandardInput = "-";

struct Options {
    std::string command; // run, restore, writers, providers, explain, wine-install, wine-uninstall
    std::vector<std::string> arguments; // the scenario file, or explain's codes
    bool json = false;
    bool retry = false;
    bool real_time = false;
    std::string save_bcd; // run --save-bcd FILE
    std::string bcd;      // restore --bcd FILE
    std::string provider; // run --provider NAME
    std::vector<std::string> volumes; // run --volume PATH...
    std::string read;     // run --read FILE
    WineInstallOptions wine; // wine-install / wine-uninstall
};

// The command to run, or the exit status when the command line itself was
// the whole answer: help or the version printed (0), or refused (2, the
// reason on stderr).
struct CommandLine {
    std::optional<Options> options;
    int exit_status = kExitSucceeded;
};
CommandLine parse_command_line(int argc, const char *const *argv);

// "vssctl: MESSAGE" and where to read more, on stderr; returns kExitUsage.
int usage_error(const std::string &message);

} // namespace vssctl
