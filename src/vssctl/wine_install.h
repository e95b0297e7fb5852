// vssctl wine-install / wine-uninstall: puts our vssapi.dll where programs
// that load VssApi from System32 only (restic does) find it inside a Wine
// prefix, and makes Wine prefer it to its own stub (contract C-9, README
// "Drop-in for Windows programs").
#pragma once

#include <string>

namespace vssctl {

struct WineInstallOptions {
    std::string prefix; // empty: $WINEPREFIX, else ~/.wine
    std::string dll64;  // x64 vssapi.dll; empty: the installed one, if any
    std::string dll32;  // x86 vssapi.dll; empty: the installed one, if any
};

// Returns the exit status (0 done, 1 failed, with the reason on stderr).
int wine_install(const WineInstallOptions &options);
int wine_uninstall(const WineInstallOptions &options);

} // namespace vssctl
