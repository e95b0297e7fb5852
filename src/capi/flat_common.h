// What every file of the flat C API (abi/vssapi/vssapi.h) shares: the
// thread's last-error message, the exception barrier, GUID and string
// conversions and the handle casts. Internal: never included by a caller.
#pragma once

#include "com/barrier.h"
#include "com/ref.h"
#include "com/utf.h"
#include "core/coordinator.h"
#include "core/hresult_text.h"

#include <vsbackup.h>
#include <vswriter.h>
#include <vssapi/vssapi.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

namespace vssapi::capi {

// Records why `function` failed and returns hr unchanged. Without `detail`
// the message says what the core recorded for this refusal on this thread
// (core::take_refusal_reason), else the code's generic meaning.
HRESULT fail(const char *function, HRESULT hr, const char *detail = nullptr) noexcept;

// The answer of a COM call, returned as is: always takes this thread's
// refusal reason (so none outlives its call) and records a failure.
HRESULT check(const char *function, HRESULT hr) noexcept;

// This thread's message (vss_last_error_message).
const char *last_error() noexcept;

// The flat API's retry class (vss_retry_class) of the core's.
int32_t flat_retry_class(core::RetryClass retry_class) noexcept;

// "0x%08X": the name of a code the table does not know.
std::string hex_code(HRESULT hr);

GUID to_guid(const vss_guid &id) noexcept;
vss_guid from_guid(const GUID &id) noexcept;

// A UTF-8 argument as UTF-16, keeping NULL apart from "".
struct Wide {
    explicit Wide(const char *utf8);
    LPCWSTR get() const { return text ? reinterpret_cast<LPCWSTR>(text->c_str()) : nullptr; }
    std::optional<std::u16string> text;
};

// A string allocated for the caller (vss_free), owned until released to it.
using Utf8 = std::unique_ptr<char, decltype(&std::free)>;
Utf8 utf8_or_null(BSTR text);

// For the *_clear functions: frees the strings a getter handed out, leaves NULLs.
template <class... Text>
void free_strings(Text *&...text) noexcept
{
    ((std::free(text), text = nullptr), ...);
}

// ---- handles ----------------------------------------------------------------

// Component `index` of a component handler's components (vss_components).
HRESULT component_at(const char *function, vss_components *components, uint32_t index,
                     com::Ref<IVssComponent> &out);

struct FlatCoordinator {
    std::shared_ptr<core::Coordinator> coordinator;
    std::shared_ptr<core::VirtualClock> virtual_clock; // null for the real clock
};

// The coordinator of a handle; NULL: the process's default one.
std::shared_ptr<core::Coordinator> coordinator_of(vss_coordinator *handle);

// A C caller's component type as the enum, without making a value the enum
// cannot hold (undefined behaviour): any other integer is VSS_CT_UNDEFINED,
// which every call refuses (or ignores) as it would refuse the integer.
inline VSS_COMPONENT_TYPE component_type(int32_t type) noexcept
{
    return type == VSS_CT_DATABASE || type == VSS_CT_FILEGROUP ? static_cast<VSS_COMPONENT_TYPE>(type)
                                                               : VSS_CT_UNDEFINED;
}

inline IVssBackupComponentsEx4 *requester_of(vss_requester *handle)
{
    return reinterpret_cast<IVssBackupComponentsEx4 *>(handle);
}

} // namespace vssapi::capi

// The exception barrier of every exported function that returns an HRESULT,
// as the handler of its function-try-block: __func__ names the function, so
// each states its name once (in its declaration).
#define VSSAPI_FLAT_CATCH                                                                         \
    catch (...)                                                                                   \
    {                                                                                             \
        return ::vssapi::capi::fail(__func__, ::vssapi::com::hresult_from_current_exception());   \
    }

// Refuses the call with E_INVALIDARG and `message` unless `condition` holds.
#define VSSAPI_FLAT_REQUIRE(condition, message)                                                   \
    if (!(condition)) {                                                                           \
        return ::vssapi::capi::fail(__func__, E_INVALIDARG, message);                            \
    }

// Refuses the call unless the struct `sized` points at has a size this
// library reads (sized.h: any published layout); its name is the message's.
#define VSSAPI_FLAT_REQUIRE_SIZED(sized)                                                          \
    if (const HRESULT sized_hr = ::vssapi::capi::check_sized(__func__, #sized, sized);           \
        FAILED(sized_hr)) {                                                                       \
        return sized_hr;                                                                          \
    }
