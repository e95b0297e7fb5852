// The components one writer has in one session, as IVssWriterComponentsExt:
// the writer's handlers receive it as IVssWriterComponents* (its first base),
// the requester gets it from GetWriterComponents. Both see the same
// ComponentStore; the ComponentAccess decides what the Components it hands
// out may write.
#pragma once

#include "com/object.h"
#include "core/metadata.h"

#include <vsbackup.h>

#include <memory>

namespace vssapi::metadata {

class WriterComponents final
    : public com::ComObject<WriterComponents, IVssWriterComponentsExt> {
public:
    WriterComponents(std::shared_ptr<core::ComponentStore> store,
                     core::ComponentAccess access) noexcept;

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE GetComponentCount(UINT *pcComponents) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssComponent **ppComponent) noexcept override;

private:
    std::shared_ptr<core::ComponentStore> store_;
    core::ComponentAccess access_;
};

} // namespace vssapi::metadata
