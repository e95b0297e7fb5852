#include "providers/builtin.h"

#include "providers/copy_provider.h"
#include "providers/live_provider.h"

#ifdef __linux__
#include "providers/btrfs_provider.h"
#include "providers/reflink_provider.h"
#endif

namespace vssapi::providers {

std::vector<std::shared_ptr<core::SnapshotProvider>> builtin()
{
    return {
        std::make_shared<LiveProvider>(),
        std::make_shared<CopyProvider>(),
#ifdef __linux__
        std::make_shared<BtrfsProvider>(),
        std::make_shared<ReflinkProvider>(),
        std::make_shared<CopyProvider>(std::filesystem::path(), true), // fsfreeze
#endif
    };
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
#ifdef __linux__
    } else if (name == "btrfs") {
        wanted = kBtrfsProviderId;
    } else if (name == "reflink") {
        wanted = kReflinkProviderId;
    } else if (name == "fsfreeze") {
        wanted = kFsfreezeProviderId;
#endif
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
