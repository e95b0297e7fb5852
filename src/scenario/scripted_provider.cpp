#include "scenario/scripted_provider.h"

#include <gsl/gsl>

namespace vssapi::scenario {

ScriptedProvider::ScriptedProvider(ProviderBehaviour behaviour, std::shared_ptr<core::Clock> clock,
                                   std::shared_ptr<core::SnapshotProvider> base)
    : behaviour_(behaviour), clock_(std::move(clock)), base_(std::move(base))
{
    Expects(base_ != nullptr);
}

HRESULT ScriptedProvider::commit(core::SnapshotSetRequest &request)
{
    if (behaviour_.take.count() > 0) {
        clock_->sleep_for(behaviour_.take);
    }
    if (behaviour_.ending == CommitEnding::Fail) {
        return behaviour_.hr;
    }
    return base_->commit(request);
}

} // namespace vssapi::scenario
