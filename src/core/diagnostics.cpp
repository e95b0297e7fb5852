#include "core/diagnostics.h"

#include "core/hresult_text.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace vssapi::core {
namespace {

struct Refusal {
    HRESULT hr = S_OK;
    std::string reason;
};

thread_local Refusal t_refusal;

// The log's destination, opened once: stderr, a file opened for appending, or none.
std::FILE *log_file() noexcept
{
    static std::FILE *const file = []() -> std::FILE * {
        const char *target = std::getenv("VSSAPI_LOG");
        if (target == nullptr || target[0] == '\0') {
            return nullptr;
        }
        if (std::strcmp(target, "stderr") == 0) {
            return stderr;
        }
        std::FILE *opened = std::fopen(target, "a");
        if (opened == nullptr) {
            std::fprintf(stderr, "vssapi: VSSAPI_LOG=%s cannot be opened for appending; no diagnostic log\n",
                         target);
        }
        return opened; // kept open for the process's life: lines may come until exit
    }();
    return file;
}

std::mutex &log_lock()
{
    static std::mutex lock;
    return lock;
}

// "DoSnapshotSet -> VSS_E_BAD_STATE: <words>"
std::string log_line(const char *call, HRESULT hr, const std::string &words)
{
    const HresultText *text = find_hresult(hr);
    char code[16];
    std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(hr));
    return std::string(call) + " -> " + (text != nullptr ? text->name : code) + ": " + words;
}

} // namespace

void note_refusal(const char *call, HRESULT hr, const std::string &reason) noexcept
{
    try {
        t_refusal.hr = hr;
        t_refusal.reason = reason;
        if (diagnostic_log_enabled()) {
            diagnostic_log(log_line(call, hr, reason));
        }
    } catch (...) {
        t_refusal.hr = hr; // out of memory: the code stands without its words
    }
}

void note_failure(const char *call, HRESULT hr, const std::string &what) noexcept
{
    if (!diagnostic_log_enabled()) {
        return;
    }
    try {
        diagnostic_log(log_line(call, hr, what));
    } catch (...) {
        // out of memory: the line is lost, the call's result is not
    }
}

std::string take_refusal_reason(HRESULT hr) noexcept
{
    std::string reason;
    if (t_refusal.hr == hr) {
        reason.swap(t_refusal.reason);
    }
    t_refusal.hr = S_OK;
    t_refusal.reason.clear();
    return reason;
}

void clear_refusal() noexcept
{
    t_refusal.hr = S_OK;
    t_refusal.reason.clear();
}

bool diagnostic_log_enabled() noexcept
{
    return log_file() != nullptr;
}

void diagnostic_log(const std::string &line) noexcept
{
    std::FILE *file = log_file();
    if (file == nullptr) {
        return;
    }
    const std::lock_guard<std::mutex> hold(log_lock());
    std::fprintf(file, "vssapi: %s\n", line.c_str());
    std::fflush(file);
}

} // namespace vssapi::core
