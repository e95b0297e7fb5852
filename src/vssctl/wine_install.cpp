#include "vssctl/wine_install.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#ifdef _WIN32

// A Wine prefix is edited from the Linux side; under Windows (or inside
// Wine) there is nothing to install into.
namespace vssctl {
int wine_install(const WineInstallOptions &)
{
    std::fputs("vssctl: wine-install runs on Linux: it edits a Wine prefix from outside\n", stderr);
    return 1;
}
int wine_uninstall(const WineInstallOptions &)
{
    std::fputs("vssctl: wine-uninstall runs on Linux: it edits a Wine prefix from outside\n", stderr);
    return 1;
}
} // namespace vssctl

#else

#include <spawn.h>
#include <sys/wait.h>
extern char **environ;

namespace vssctl {
namespace {

namespace fs = std::filesystem;

// Wine's own vssapi.dll is kept under this name and put back by wine-uninstall.
constexpr const char *kSavedBuiltin = "vssapi.dll.wine-builtin";
constexpr const char *kOverrideKey = "HKCU\\Software\\Wine\\DllOverrides";

int fail(const std::string &message)
{
    std::fprintf(stderr, "vssctl: %s\n", message.c_str());
    return 1;
}

fs::path prefix_of(const WineInstallOptions &options)
{
    if (!options.prefix.empty()) {
        return options.prefix;
    }
    if (const char *prefix = std::getenv("WINEPREFIX"); prefix != nullptr && *prefix != 0) {
        return prefix;
    }
    const char *home = std::getenv("HOME");
    return fs::path(home != nullptr ? home : ".") / ".wine";
}

// Where `make install` puts the Windows DLLs (share/openvss/windows/ARCH).
fs::path installed_dll(const char *arch)
{
#ifdef VSSCTL_DATADIR
    return fs::path(VSSCTL_DATADIR) / "openvss" / "windows" / arch / "vssapi.dll";
#else
    (void)arch;
    return {};
#endif
}

// Runs `wine reg ...` in the prefix and waits for its wineserver to write
// the registry to disk.
bool run_wine(const fs::path &prefix, const std::vector<std::string> &arguments)
{
    std::vector<std::string> environment;
    for (char **entry = environ; *entry != nullptr; ++entry) {
        const std::string text = *entry;
        if (text.rfind("WINEPREFIX=", 0) != 0 && text.rfind("WINEDEBUG=", 0) != 0) {
            environment.push_back(text);
        }
    }
    environment.push_back("WINEPREFIX=" + prefix.string());
    environment.push_back("WINEDEBUG=-all");
    auto spawn = [&](std::vector<std::string> command) {
        std::vector<char *> argv, envp;
        for (auto &word : command) {
            argv.push_back(word.data());
        }
        argv.push_back(nullptr);
        for (auto &entry : environment) {
            envp.push_back(entry.data());
        }
        envp.push_back(nullptr);
        pid_t child = 0;
        if (posix_spawnp(&child, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) {
            return false;
        }
        int status = 0;
        return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    };
    std::vector<std::string> command{"wine"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    const bool done = spawn(command);
    spawn({"wineserver", "-w"});
    return done;
}

struct Target {
    const char *arch;
    fs::path folder; // system32 or syswow64 inside the prefix
    std::string dll;
};

// A 64-bit prefix keeps 64-bit DLLs in system32 and 32-bit ones in syswow64;
// a 32-bit prefix has only system32, for 32-bit DLLs.
std::vector<Target> targets(const fs::path &prefix, const WineInstallOptions &options)
{
    const fs::path windows = prefix / "drive_c" / "windows";
    const bool wow64 = fs::is_directory(windows / "syswow64");
    std::vector<Target> out;
    if (wow64) {
        out.push_back({"x64", windows / "system32", options.dll64});
        out.push_back({"x86", windows / "syswow64", options.dll32});
    } else {
        out.push_back({"x86", windows / "system32", options.dll32});
    }
    return out;
}

} // namespace

int wine_install(const WineInstallOptions &options)
{
    const fs::path prefix = prefix_of(options);
    if (!fs::is_directory(prefix / "drive_c" / "windows" / "system32")) {
        return fail("'" + prefix.string() + "' is not a Wine prefix (no drive_c/windows/system32); make one with "
                    "`WINEPREFIX=" + prefix.string() + " wineboot --init`");
    }
    int installed = 0;
    for (Target &target : targets(prefix, options)) {
        fs::path dll = target.dll.empty() ? installed_dll(target.arch) : fs::path(target.dll);
        if (dll.empty() || !fs::is_regular_file(dll)) {
            if (!target.dll.empty()) {
                return fail("no such DLL: " + target.dll);
            }
            std::fprintf(stderr, "vssctl: no %s vssapi.dll given (--%s) or installed; %s left as it is\n",
                         target.arch, std::string(target.arch) == "x64" ? "dll64" : "dll32",
                         target.folder.string().c_str());
            continue;
        }
        std::error_code error;
        const fs::path current = target.folder / "vssapi.dll";
        const fs::path saved = target.folder / kSavedBuiltin;
        if (fs::exists(current) && !fs::exists(saved)) {
            fs::rename(current, saved, error);
            if (error) {
                return fail("cannot keep Wine's " + current.string() + ": " + error.message());
            }
        }
        fs::copy_file(dll, current, fs::copy_options::overwrite_existing, error);
        if (error) {
            return fail("cannot copy " + dll.string() + " to " + current.string() + ": " + error.message());
        }
        std::printf("%s: %s -> %s\n", target.arch, dll.string().c_str(), current.string().c_str());
        ++installed;
    }
    if (installed == 0) {
        return fail("nothing installed: give --dll64 and/or --dll32");
    }
    // Wine loads its builtin DLL before a native one of the same name unless told otherwise.
    if (!run_wine(prefix, {"reg", "add", kOverrideKey, "/v", "vssapi", "/t", "REG_SZ", "/d", "native,builtin", "/f"})) {
        return fail("could not set the DLL override in the prefix's registry (`wine reg add` failed)");
    }
    std::printf("override: %s vssapi = native,builtin\n", kOverrideKey);
    return 0;
}

int wine_uninstall(const WineInstallOptions &options)
{
    const fs::path prefix = prefix_of(options);
    if (!fs::is_directory(prefix / "drive_c" / "windows" / "system32")) {
        return fail("'" + prefix.string() + "' is not a Wine prefix (no drive_c/windows/system32)");
    }
    for (const Target &target : targets(prefix, options)) {
        const fs::path saved = target.folder / kSavedBuiltin;
        if (!fs::exists(saved)) {
            continue; // never installed here
        }
        std::error_code error;
        fs::rename(saved, target.folder / "vssapi.dll", error);
        if (error) {
            return fail("cannot restore Wine's " + saved.string() + ": " + error.message());
        }
        std::printf("%s: Wine's vssapi.dll restored in %s\n", target.arch, target.folder.string().c_str());
    }
    if (!run_wine(prefix, {"reg", "delete", kOverrideKey, "/v", "vssapi", "/f"})) {
        std::fprintf(stderr, "vssctl: no vssapi override to remove from the prefix's registry\n");
    }
    return 0;
}

} // namespace vssctl

#endif // _WIN32
