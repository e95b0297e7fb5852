// One component of a Writer Metadata Document as IVssWMComponent. It shares
// the immutable component declaration and hands out new IVssWMFiledesc and
// IVssWMDependency objects (AddRef'ed; the caller releases them).
#pragma once

#include "com/object.h"
#include "core/metadata.h"

#include <vsbackup.h>

#include <cstddef>
#include <memory>

namespace vssapi::metadata {

class WmComponent final : public com::ComObject<WmComponent, IVssWMComponent> {
public:
    explicit WmComponent(std::shared_ptr<const core::ComponentDecl> component);

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    // VSS_COMPONENTINFO structures handed out and not yet freed, process-wide;
    // for tests.
    static std::size_t debug_outstanding_infos() noexcept;

    HRESULT STDMETHODCALLTYPE GetComponentInfo(PVSSCOMPONENTINFO *ppInfo) noexcept override;
    HRESULT STDMETHODCALLTYPE FreeComponentInfo(PVSSCOMPONENTINFO pInfo) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT iDBFile, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT iDbLogFile, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDependency(UINT iDependency, IVssWMDependency **ppDependency) noexcept override;

private:
    const std::shared_ptr<const core::ComponentDecl> component_;
};

} // namespace vssapi::metadata
