#include "scenario/scripted_provider.h"

namespace vssapi::scenario {

ScriptedProvider::ScriptedProvider(ProviderBehaviour behaviour, std::shared_ptr<core::Clock> clock)
    : behaviour_(behaviour), clock_(std::move(clock))
{
}

GUID ScriptedProvider::id() const
{
    return committed_.id();
}

HRESULT ScriptedProvider::commit(core::SnapshotSetRequest &request)
{
    if (behaviour_.take.count() > 0) {
        clock_->sleep_for(behaviour_.take);
    }
    if (behaviour_.ending == CommitEnding::Fail) {
        return behaviour_.hr;
    }
    return committed_.commit(request);
}

} // namespace vssapi::scenario
