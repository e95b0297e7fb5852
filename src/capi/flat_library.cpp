// The flat API's library section: versions, the last error, memory, and the
// words for HRESULTs and writer states.
#include "capi/flat_common.h"
#include "vssapi_version.h" // generated: build/src
#include "core/state_machine.h"

#include <cstdlib>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace {

// The interned names of unknown codes: vss_hresult_name's strings stay valid
// for the process (no caller has to copy them before its next call), in
// bounded memory: after kMaxUnknownNames codes, the static "unknown".
constexpr std::size_t kMaxUnknownNames = 1024; // the number vssapi.h documents

const char *unknown_name(HRESULT hr) noexcept
{
    static std::mutex lock;
    static std::unordered_map<HRESULT, const char *> index;
    static std::deque<std::string> names; // a deque never moves its strings
    try {
        const std::lock_guard<std::mutex> guard(lock);
        if (const auto found = index.find(hr); found != index.end()) {
            return found->second;
        }
        if (names.size() >= kMaxUnknownNames) {
            return "unknown";
        }
        const char *name = names.emplace_back(vssapi::capi::hex_code(hr)).c_str();
        index.emplace(hr, name);
        return name;
    } catch (...) {
        return "unknown";
    }
}

} // namespace

extern "C" {

VSSAPI_EXPORT const char *VSS_CALL vss_version(void) noexcept
{
    return VSSAPI_PROJECT_VERSION; // meson.build's project version
}

VSSAPI_EXPORT int32_t VSS_CALL vss_abi_version(void) noexcept
{
    return VSSAPI_ABI_VERSION;
}

VSSAPI_EXPORT const char *VSS_CALL vss_last_error_message(void) noexcept
{
    return vssapi::capi::last_error();
}

VSSAPI_EXPORT void VSS_CALL vss_free(void *memory) noexcept
{
    std::free(memory);
}

VSSAPI_EXPORT const char *VSS_CALL vss_hresult_name(vss_hresult hr) noexcept
{
    const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
    return text != nullptr ? text->name : unknown_name(hr);
}

VSSAPI_EXPORT const char *VSS_CALL vss_hresult_meaning(vss_hresult hr) noexcept
{
    const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
    return text != nullptr ? text->meaning : "not a VSS or common COM code";
}

VSSAPI_EXPORT const char *VSS_CALL vss_writer_state_name(int32_t state) noexcept
{
    if (state < VSS_WS_UNKNOWN || state >= VSS_WS_COUNT) {
        return "?";
    }
    return vssapi::core::state_name(static_cast<VSS_WRITER_STATE>(state));
}

VSSAPI_EXPORT int32_t VSS_CALL vss_is_retryable(vss_hresult hr) noexcept
{
    return vssapi::capi::flat_retry_class(vssapi::core::retry_class(hr));
}

} // extern "C"
