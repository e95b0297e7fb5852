#include "metadata/wm_filedesc.h"

#include "com/barrier.h"
#include "com/bstr.h"
#include "com/out.h"
#include "metadata/strings.h"

#include <utility>

namespace vssapi::metadata {
namespace {

// The SDK gives IVssWMFiledesc no IID. The table still needs a row (it names
// the interface in misuse reports); this GUID is private to the library, so in
// effect QueryInterface answers IUnknown only.
constexpr IID kPrivateIidWmFiledesc = {
    0x1f496fb6, 0x8a6c, 0x4ee4, {0x93, 0x2c, 0xee, 0x7c, 0x5f, 0x33, 0xe6, 0x60}};

} // namespace

WmFiledesc::WmFiledesc(core::FileSpec spec) : spec_(std::move(spec)) {}

gsl::span<const com::InterfaceEntry> WmFiledesc::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&kPrivateIidWmFiledesc, "IVssWMFiledesc", &com::interface_cast<WmFiledesc, IVssWMFiledesc>},
    };
    return table;
}

HRESULT STDMETHODCALLTYPE WmFiledesc::GetPath(BSTR *pbstrPath) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrPath)) {
        return E_INVALIDARG;
    }
    *pbstrPath = com::make_bstr(spec_.path);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmFiledesc::GetFilespec(BSTR *pbstrFilespec) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrFilespec)) {
        return E_INVALIDARG;
    }
    *pbstrFilespec = com::make_bstr(spec_.filespec);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmFiledesc::GetRecursive(bool *pbRecursive) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbRecursive == nullptr) {
        return E_INVALIDARG;
    }
    *pbRecursive = spec_.recursive;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// No alternate location: NULL and S_FALSE, "the requested information could not
// be found" (IVssWMFiledesc::GetAlternateLocation page).
HRESULT STDMETHODCALLTYPE WmFiledesc::GetAlternateLocation(BSTR *pbstrAlternateLocation) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrAlternateLocation)) {
        return E_INVALIDARG;
    }
    *pbstrAlternateLocation = optional_bstr(spec_.alternate_location);
    return *pbstrAlternateLocation == nullptr ? S_FALSE : S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmFiledesc::GetBackupTypeMask(DWORD *pdwTypeMask) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pdwTypeMask == nullptr) {
        return E_INVALIDARG;
    }
    *pdwTypeMask = spec_.backup_type_mask;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
