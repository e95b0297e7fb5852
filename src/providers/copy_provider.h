// The `copy` provider: a point-in-time copy, at commit, of the volume's
// folder tree into a store the library owns; the copy is the snapshot's
// device and goes with the snapshot (C-5.5, C-5.6). Meant for small test
// volumes: it copies every file.
#pragma once

#include "core/snapshot_provider.h"

#include <filesystem>

namespace vssapi::providers {

extern const GUID kCopyProviderId;
extern const GUID kFsfreezeProviderId;

class CopyProvider final : public core::SnapshotProvider {
public:
    // `store`: where copies go (empty: <temp>/openvss-snapshots). `freeze`
    // (Linux, the `fsfreeze` provider): the volume's file system is frozen
    // (FIFREEZE) while it is copied, so the copy is consistent as a whole and
    // the writers' OnFreeze/OnThaw bracket a real freeze; the store must be on
    // another file system.
    explicit CopyProvider(std::filesystem::path store = {}, bool freeze = false);

    GUID id() const override { return freeze_ ? kFsfreezeProviderId : kCopyProviderId; }
    core::ProviderInfo info() const override;
    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override;
    HRESULT commit(core::SnapshotSetRequest &request) override;
    void discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept override;

    const std::filesystem::path &store() const noexcept { return store_; }

private:
    bool freezable(const std::filesystem::path &volume) const;

    std::filesystem::path store_;
    bool freeze_ = false;
};

} // namespace vssapi::providers
