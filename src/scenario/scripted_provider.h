// The snapshot provider of a scenario: takes the time the file says, then
// commits through the provider it scripts (the coordinator's default or the
// one the file names) or refuses with the file's code.
#pragma once

#include "core/clock.h"
#include "core/snapshot_provider.h"
#include "scenario/scenario.h"

#include <memory>

namespace vssapi::scenario {

class ScriptedProvider final : public core::SnapshotProvider {
public:
    ScriptedProvider(ProviderBehaviour behaviour, std::shared_ptr<core::Clock> clock,
                     std::shared_ptr<core::SnapshotProvider> base);
    GUID id() const override { return base_->id(); }
    core::ProviderInfo info() const override { return base_->info(); }
    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override
    {
        return base_->resolve_volume(volume, name);
    }
    HRESULT commit(core::SnapshotSetRequest &request) override;
    void discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept override { base_->discard(snapshots); }
    LONG context_attributes() const override { return base_->context_attributes(); }

    const std::shared_ptr<core::SnapshotProvider> &base() const noexcept { return base_; }

private:
    const ProviderBehaviour behaviour_;
    const std::shared_ptr<core::Clock> clock_;
    const std::shared_ptr<core::SnapshotProvider> base_;
};

} // namespace vssapi::scenario
