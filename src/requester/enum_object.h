// IVssEnumObject over a copy of snapshot records or of provider descriptions
// (Query's answer).
#pragma once

#include "com/object.h"
#include "core/snapshot_provider.h"

#include <vss.h>

#include <memory>
#include <vector>

namespace vssapi::requester {

// Fills *prop with a record; the strings are CoTaskMemAlloc'ed and freed by
// VssFreeSnapshotProperties. Throws std::bad_alloc with nothing allocated.
void fill_snapshot_prop(const core::SnapshotRecord &record, VSS_SNAPSHOT_PROP &prop);

class EnumObject final : public com::ComObject<EnumObject, IVssEnumObject> {
public:
    explicit EnumObject(std::shared_ptr<const std::vector<core::SnapshotRecord>> records) noexcept
        : records_(std::move(records)), size_(records_->size())
    {
    }
    explicit EnumObject(std::shared_ptr<const std::vector<core::ProviderInfo>> providers) noexcept
        : providers_(std::move(providers)), size_(providers_->size())
    {
    }

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE Next(ULONG celt, VSS_OBJECT_PROP *rgelt, ULONG *pceltFetched) noexcept override;
    HRESULT STDMETHODCALLTYPE Skip(ULONG celt) noexcept override;
    HRESULT STDMETHODCALLTYPE Reset() noexcept override;
    HRESULT STDMETHODCALLTYPE Clone(IVssEnumObject **ppenum) noexcept override;

private:
    void fill(std::size_t index, VSS_OBJECT_PROP &prop) const;
    static void free(VSS_OBJECT_PROP &prop) noexcept;

    const std::shared_ptr<const std::vector<core::SnapshotRecord>> records_;
    const std::shared_ptr<const std::vector<core::ProviderInfo>> providers_;
    const std::size_t size_;
    std::mutex lock_;
    std::size_t position_ = 0;
};

} // namespace vssapi::requester
