// Linux file-system facts the btrfs and reflink providers need: which file
// system holds a folder, the top of the subvolume or mount holding it, and
// errors worded for a user (which ones need root).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace vssapi::providers::linux_fs {

// statfs's f_type of the folder (BTRFS_SUPER_MAGIC, XFS_SUPER_MAGIC ...), or 0.
long filesystem_type(const std::filesystem::path &folder);

// The highest folder above `folder` (itself included) on the same device:
// a btrfs subvolume's root, or a mount point. `relative`: the rest.
struct Top {
    std::filesystem::path root;
    std::filesystem::path relative;
};
std::optional<Top> top_of(const std::filesystem::path &folder);

// "<what>: <strerror>", plus what to do when the kernel wants root.
std::string describe_errno(const std::string &what, int error);

} // namespace vssapi::providers::linux_fs
