#include "providers/builtin.h"

#include "providers/copy_provider.h"
#include "providers/live_provider.h"

namespace vssapi::providers {

std::vector<std::shared_ptr<core::SnapshotProvider>> builtin()
{
    return {std::make_shared<LiveProvider>(), std::make_shared<CopyProvider>()};
}

std::shared_ptr<core::SnapshotProvider> by_name(const std::vector<std::shared_ptr<core::SnapshotProvider>> &from,
                                                std::string_view name)
{
    GUID wanted{};
    if (name == "simulated") {
        wanted = core::kInMemoryProviderId;
    } else if (name == "live") {
        wanted = kLiveProviderId;
    } else if (name == "copy") {
        wanted = kCopyProviderId;
    } else {
        return nullptr;
    }
    for (const auto &provider : from) {
        if (IsEqualGUID(provider->id(), wanted)) {
            return provider;
        }
    }
    return nullptr;
}

} // namespace vssapi::providers
