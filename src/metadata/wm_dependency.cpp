#include "metadata/wm_dependency.h"

#include "com/barrier.h"
#include "com/bstr.h"
#include "com/out.h"
#include "metadata/strings.h"

#include <utility>

namespace vssapi::metadata {
namespace {

// The SDK gives IVssWMDependency no IID; like WmFiledesc's, this one is private,
// so in effect QueryInterface answers IUnknown only.
constexpr IID kPrivateIidWmDependency = {
    0xd0a1bab6, 0xdba0, 0x4498, {0xa4, 0x6d, 0x8f, 0x23, 0x41, 0xa4, 0x00, 0xe3}};

} // namespace

WmDependency::WmDependency(core::Dependency dependency) : dependency_(std::move(dependency)) {}

gsl::span<const com::InterfaceEntry> WmDependency::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&kPrivateIidWmDependency, "IVssWMDependency", &com::interface_cast<WmDependency, IVssWMDependency>},
    };
    return table;
}

HRESULT STDMETHODCALLTYPE WmDependency::GetWriterId(VSS_ID *pWriterId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pWriterId == nullptr) {
        return E_INVALIDARG;
    }
    *pWriterId = dependency_.writer_id;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// A dependency on a component at the root has no logical path: NULL, S_OK.
// (The page's S_FALSE means "no writer manages that component", which a
// document cannot know.)
HRESULT STDMETHODCALLTYPE WmDependency::GetLogicalPath(BSTR *pbstrLogicalPath) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrLogicalPath)) {
        return E_INVALIDARG;
    }
    *pbstrLogicalPath = optional_bstr(dependency_.logical_path);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmDependency::GetComponentName(BSTR *pbstrComponentName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrComponentName)) {
        return E_INVALIDARG;
    }
    *pbstrComponentName = com::make_bstr(dependency_.component_name);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
