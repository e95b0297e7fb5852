// The providers every coordinator made for a program or a scenario offers
// besides the simulated default (C-5.5): chosen by id or name, never by a
// silent fallback.
#pragma once

#include "core/snapshot_provider.h"

#include <memory>
#include <string_view>
#include <vector>

namespace vssapi::providers {

std::vector<std::shared_ptr<core::SnapshotProvider>> builtin();

// "simulated", "live", "copy" (and on Linux "btrfs", "reflink"): the provider
// of that name among `from`, or null.
std::shared_ptr<core::SnapshotProvider> by_name(const std::vector<std::shared_ptr<core::SnapshotProvider>> &from,
                                                std::string_view name);

} // namespace vssapi::providers
