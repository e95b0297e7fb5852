// One file set of a Writer Metadata Document (an include or exclude file, a
// component's file, database or log file, an alternate location mapping) as
// IVssWMFiledesc, over its own copy of the data.
#pragma once

#include "com/object.h"
#include "core/metadata.h"

#include <vswriter.h>

namespace vssapi::metadata {

class WmFiledesc final : public com::ComObject<WmFiledesc, IVssWMFiledesc> {
public:
    explicit WmFiledesc(core::FileSpec spec);

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE GetPath(BSTR *pbstrPath) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFilespec(BSTR *pbstrFilespec) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRecursive(bool *pbRecursive) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAlternateLocation(BSTR *pbstrAlternateLocation) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupTypeMask(DWORD *pdwTypeMask) noexcept override;

private:
    const core::FileSpec spec_;
};

} // namespace vssapi::metadata
