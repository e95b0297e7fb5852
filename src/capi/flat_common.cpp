#include "capi/flat_common.h"

#include "com/bstr.h"
#include "core/diagnostics.h"

#include <cstdio>
#include <cstring>

static_assert(sizeof(vss_guid) == sizeof(GUID), "vss_guid is a GUID");
static_assert(sizeof(vss_hresult) == sizeof(HRESULT), "vss_hresult is an HRESULT");

namespace vssapi::capi {
namespace {

thread_local std::string t_last_error;

} // namespace

HRESULT fail(const char *function, HRESULT hr, const char *detail) noexcept
{
    try {
        std::string reason;
        if (detail == nullptr) {
            reason = core::take_refusal_reason(hr);
            if (!reason.empty()) {
                detail = reason.c_str();
            }
        }
        const core::HresultText *text = core::find_hresult(hr);
        t_last_error = std::string(function) + ": " + (text != nullptr ? std::string(text->name) : hex_code(hr));
        if (detail != nullptr) {
            t_last_error += std::string(" (") + detail + ")";
        } else if (text != nullptr) {
            t_last_error += std::string(" (") + text->meaning + ")";
        }
    } catch (...) {
        // The message is best effort; the HRESULT is the answer.
    }
    return hr;
}

HRESULT check(const char *function, HRESULT hr) noexcept
{
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    core::take_refusal_reason(hr); // an admitted call leaves no reason behind
    return hr;
}

const char *last_error() noexcept
{
    return t_last_error.c_str();
}

int32_t flat_retry_class(core::RetryClass retry_class) noexcept
{
    switch (retry_class) {
    case core::RetryClass::AfterWait: return VSS_RETRY_AFTER_WAIT;
    case core::RetryClass::ShortBackOff: return VSS_RETRY_SHORT_BACK_OFF;
    case core::RetryClass::No: break;
    }
    return VSS_RETRY_NO;
}

std::string hex_code(HRESULT hr)
{
    char code[16];
    std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(hr));
    return code;
}

GUID to_guid(const vss_guid &id) noexcept
{
    GUID out;
    std::memcpy(&out, &id, sizeof out);
    return out;
}

vss_guid from_guid(const GUID &id) noexcept
{
    vss_guid out;
    std::memcpy(&out, &id, sizeof out);
    return out;
}

Wide::Wide(const char *utf8)
{
    if (utf8 != nullptr) {
        text = com::utf8_to_utf16(utf8);
    }
}

Utf8 utf8_or_null(BSTR text)
{
    return Utf8(text == nullptr ? nullptr : com::malloc_utf8(com::bstr_view(text)), &std::free);
}

std::shared_ptr<core::Coordinator> coordinator_of(vss_coordinator *handle)
{
    return handle != nullptr ? reinterpret_cast<FlatCoordinator *>(handle)->coordinator
                             : core::Coordinator::current();
}

HRESULT component_at(const char *function, vss_components *components, uint32_t index,
                     com::Ref<IVssComponent> &out)
{
    if (components == nullptr) {
        return fail(function, E_INVALIDARG, "components is NULL");
    }
    return check(function, reinterpret_cast<IVssWriterComponents *>(components)->GetComponent(index, out.out()));
}

} // namespace vssapi::capi
