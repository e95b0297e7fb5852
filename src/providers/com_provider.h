// A provider written against the SDK's vsprov.h: an object implementing
// IVssSoftwareSnapshotProvider and IVssProviderCreateSnapshotSet (and, if it
// likes, IVssProviderNotifications), called in the order the Windows service
// calls a software provider it loaded (contract C-5.4 to C-5.6).
#pragma once

#include "com/ref.h"
#include "providers/user_provider.h"

#include <vsprov.h>

namespace vssapi::providers {

class ComProvider final : public UserProvider {
public:
    // Takes its own references; E_NOINTERFACE when `object` lacks one of the
    // two interfaces every software provider has.
    static HRESULT create(const core::ProviderInfo &info, IUnknown *object, std::shared_ptr<ComProvider> &out);
    ~ComProvider() override;

    GUID id() const override { return info_.id; }
    core::ProviderInfo info() const override { return info_; }
    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override;
    HRESULT commit(core::SnapshotSetRequest &request) override;
    void discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept override;
    // The provider sees the whole context in SetContext and BeginPrepareSnapshot
    // and refuses there what it cannot do, so every requester bit is offered.
    LONG context_attributes() const override { return core::kRequesterAttributes; }

    // OnLoad(NULL) once registered; its failure undoes the registration.
    HRESULT load();

private:
    explicit ComProvider(const core::ProviderInfo &info) : info_(info) {}
    void on_close() noexcept override;
    HRESULT device_of(core::SnapshotRecord &record);

    const core::ProviderInfo info_;
    com::Ref<IVssSoftwareSnapshotProvider> snapshots_;
    com::Ref<IVssProviderCreateSnapshotSet> steps_;
    com::Ref<IVssProviderNotifications> notifications_;
    bool loaded_ = false;
};

} // namespace vssapi::providers
