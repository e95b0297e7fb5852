// The `btrfs` provider (Linux): a read-only snapshot of the btrfs subvolume
// holding the volume, made by the kernel at the commit, in
// <subvolume>/.openvss-snapshots/<snapshot id>; the device path is the
// volume's folder inside it (C-5.5). Deleted with its snapshot (C-5.6).
#pragma once

#include "core/snapshot_provider.h"

namespace vssapi::providers {

extern const GUID kBtrfsProviderId;

class BtrfsProvider final : public core::SnapshotProvider {
public:
    GUID id() const override { return kBtrfsProviderId; }
    core::ProviderInfo info() const override;
    // VSS_E_VOLUME_NOT_SUPPORTED for a folder that is not on btrfs.
    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override;
    HRESULT commit(core::SnapshotSetRequest &request) override;
    void discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept override;
};

} // namespace vssapi::providers
