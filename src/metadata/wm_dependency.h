// One explicit writer-component dependency of a component, as
// IVssWMDependency, over its own copy of the data.
#pragma once

#include "com/object.h"
#include "core/metadata.h"

#include <vswriter.h>

namespace vssapi::metadata {

class WmDependency final : public com::ComObject<WmDependency, IVssWMDependency> {
public:
    explicit WmDependency(core::Dependency dependency);

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE GetWriterId(VSS_ID *pWriterId) noexcept override;
    HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrLogicalPath) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrComponentName) noexcept override;

private:
    const core::Dependency dependency_;
};

} // namespace vssapi::metadata
