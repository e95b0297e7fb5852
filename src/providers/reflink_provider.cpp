#include "providers/reflink_provider.h"

#include "com/guid.h"
#include "core/diagnostics.h"
#include "providers/folder_volume.h"
#include "providers/linux_volume.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <system_error>
#include <unistd.h>

namespace vssapi::providers {

// 6f70656e-7673-5266-6c6b-000000000001 ("openvs" "Rflk")
const GUID kReflinkProviderId = {0x6f70656e, 0x7673, 0x5266, {0x6c, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

namespace {

constexpr const char *kStoreName = ".openvss-snapshots";

std::filesystem::path store_of(const linux_fs::Top &top)
{
    return top.root / kStoreName;
}

std::string snapshot_name(const GUID &snapshot_id)
{
    std::string id = com::format_guid(snapshot_id);
    return id.size() > 2 && id.front() == '{' ? id.substr(1, id.size() - 2) : id;
}

// One file by FICLONE; errno on failure.
int clone_file(const std::filesystem::path &from, const std::filesystem::path &to)
{
    const int source = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (source < 0) {
        return errno;
    }
    const int target = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int error = 0;
    if (target < 0 || ::ioctl(target, FICLONE, source) != 0) {
        error = errno;
    }
    if (target >= 0) {
        ::close(target);
    }
    ::close(source);
    return error;
}

// The tree under `from` into `to`, every file a reflink; the store is skipped.
std::string clone_tree(const std::filesystem::path &from, const std::filesystem::path &to,
                       const std::filesystem::path &store)
{
    std::error_code error;
    std::filesystem::create_directories(to, error);
    if (error) {
        return "cannot make " + to.string() + ": " + error.message();
    }
    std::filesystem::recursive_directory_iterator walk(from, error), end;
    for (; !error && walk != end; walk.increment(error)) {
        const std::filesystem::path source = walk->path();
        if (source == store) {
            walk.disable_recursion_pending();
            continue;
        }
        const std::filesystem::path target = to / source.lexically_relative(from);
        const auto status = walk->symlink_status(error);
        if (error) {
            break;
        }
        if (std::filesystem::is_symlink(status)) {
            std::filesystem::copy_symlink(source, target, error);
        } else if (std::filesystem::is_directory(status)) {
            std::filesystem::create_directory(target, error);
        } else if (std::filesystem::is_regular_file(status)) {
            if (const int failed = clone_file(source, target)) {
                return linux_fs::describe_errno("cannot reflink " + source.string(), failed);
            }
        } else {
            return source.string() + " is neither a file, a folder nor a link";
        }
        if (error) {
            return "cannot copy " + source.string() + ": " + error.message();
        }
    }
    return error ? "cannot read " + from.string() + ": " + error.message() : std::string();
}

} // namespace

core::ProviderInfo ReflinkProvider::info() const
{
    core::ProviderInfo info;
    info.id = kReflinkProviderId;
    info.name = u"openvss reflink provider (point-in-time copy of shared blocks)";
    info.type = VSS_PROV_SOFTWARE;
    info.version = u"1.0";
    info.version_id = {0x6f70656e, 0x7673, 0x5266, {0x6c, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00}};
    return info;
}

HRESULT ReflinkProvider::resolve_volume(std::u16string_view volume, core::VolumeName &name) const
{
    const HRESULT hr = resolve_folder_volume(volume, name);
    if (hr != S_OK) {
        return hr;
    }
    const auto type = static_cast<unsigned long>(linux_fs::filesystem_type(folder_of(name.path)));
    return type == BTRFS_SUPER_MAGIC || type == XFS_SUPER_MAGIC ? S_OK : VSS_E_VOLUME_NOT_SUPPORTED;
}

HRESULT ReflinkProvider::commit(core::SnapshotSetRequest &request)
{
    const VSS_TIMESTAMP now = core::filetime_now();
    std::vector<core::SnapshotRecord> made;
    for (core::SnapshotRecord &record : request.snapshots) {
        const std::filesystem::path folder = folder_of(record.volume_path);
        const auto top = linux_fs::top_of(folder);
        std::string failure = top ? std::string() : linux_fs::describe_errno("cannot look at " + folder.string(), errno);
        const std::filesystem::path copy = top ? store_of(*top) / snapshot_name(record.snapshot_id) : folder;
        if (top) {
            made.push_back(record); // a failed clone may have made part of its copy
            failure = clone_tree(folder, copy, store_of(*top));
        }
        if (!failure.empty()) {
            discard(made); // C-5.6
            core::note_refusal("DoSnapshotSet", VSS_E_UNEXPECTED_PROVIDER_ERROR, "the reflink provider: " + failure);
            return VSS_E_UNEXPECTED_PROVIDER_ERROR;
        }
        record.device_name = device_path(copy);
        record.creation_time = now;
        record.state = VSS_SS_CREATED;
    }
    return S_OK;
}

void ReflinkProvider::discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept
{
    for (const core::SnapshotRecord &record : snapshots) {
        try {
            if (const auto top = linux_fs::top_of(folder_of(record.volume_path))) {
                std::error_code error;
                std::filesystem::remove_all(store_of(*top) / snapshot_name(record.snapshot_id), error);
            }
        } catch (...) {
        }
    }
}

} // namespace vssapi::providers
