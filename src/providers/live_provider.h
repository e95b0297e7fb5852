// The `live` provider: no snapshot at all. The device path opens the volume
// as it is now, so a backup tool reads every file it asks for; its name says
// it is not point-in-time (C-5.5). The default for programs that load our
// vssapi.dll, because what they read must exist.
#pragma once

#include "core/snapshot_provider.h"

namespace vssapi::providers {

extern const GUID kLiveProviderId;

class LiveProvider final : public core::SnapshotProvider {
public:
    GUID id() const override { return kLiveProviderId; }
    core::ProviderInfo info() const override;
    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override;
    HRESULT commit(core::SnapshotSetRequest &request) override;
};

} // namespace vssapi::providers
