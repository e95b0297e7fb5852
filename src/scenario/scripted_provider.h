// The snapshot provider of a scenario: takes the time the file says, then
// commits like the in-memory provider or refuses with the file's code.
#pragma once

#include "core/clock.h"
#include "core/snapshot_provider.h"
#include "scenario/scenario.h"

#include <memory>

namespace vssapi::scenario {

class ScriptedProvider final : public core::SnapshotProvider {
public:
    ScriptedProvider(ProviderBehaviour behaviour, std::shared_ptr<core::Clock> clock);
    GUID id() const override;
    HRESULT commit(core::SnapshotSetRequest &request) override;

private:
    const ProviderBehaviour behaviour_;
    const std::shared_ptr<core::Clock> clock_;
    core::InMemoryProvider committed_;
};

} // namespace vssapi::scenario
