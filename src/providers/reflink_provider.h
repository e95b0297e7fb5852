// The `reflink` provider (Linux): a point-in-time copy of the volume's folder
// tree made of reflinks (FICLONE: the file system shares the blocks until one
// side changes them), so it costs metadata only. XFS (with reflink=1) and
// btrfs; the copy lives in <mount>/.openvss-snapshots/<snapshot id> on the
// same file system, as FICLONE requires (C-5.5, C-5.6).
#pragma once

#include "core/snapshot_provider.h"

namespace vssapi::providers {

extern const GUID kReflinkProviderId;

class ReflinkProvider final : public core::SnapshotProvider {
public:
    GUID id() const override { return kReflinkProviderId; }
    core::ProviderInfo info() const override;
    // VSS_E_VOLUME_NOT_SUPPORTED for a folder on a file system without reflinks.
    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override;
    HRESULT commit(core::SnapshotSetRequest &request) override;
    void discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept override;
};

} // namespace vssapi::providers
