#include "providers/btrfs_provider.h"

#include "com/guid.h"
#include "com/utf.h"
#include "core/diagnostics.h"
#include "providers/folder_volume.h"
#include "providers/linux_volume.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vssapi::providers {

// 6f70656e-7673-4274-7266-000000000001 ("openvs" "Btrf")
const GUID kBtrfsProviderId = {0x6f70656e, 0x7673, 0x4274, {0x72, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

namespace {

constexpr const char *kStoreName = ".openvss-snapshots";

std::string snapshot_name(const GUID &snapshot_id)
{
    std::string id = com::format_guid(snapshot_id);
    return id.size() > 2 && id.front() == '{' ? id.substr(1, id.size() - 2) : id;
}

// Closes a file descriptor at the end of a scope.
struct Fd {
    int fd = -1;
    explicit Fd(int opened) : fd(opened) {}
    ~Fd()
    {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
};

} // namespace

core::ProviderInfo BtrfsProvider::info() const
{
    core::ProviderInfo info;
    info.id = kBtrfsProviderId;
    info.name = u"openvss btrfs provider (read-only subvolume snapshot)";
    info.type = VSS_PROV_SOFTWARE;
    info.version = u"1.0";
    info.version_id = {0x6f70656e, 0x7673, 0x4274, {0x72, 0x66, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00}};
    return info;
}

HRESULT BtrfsProvider::resolve_volume(std::u16string_view volume, core::VolumeName &name) const
{
    const HRESULT hr = resolve_folder_volume(volume, name);
    if (hr != S_OK) {
        return hr;
    }
    if (static_cast<unsigned long>(linux_fs::filesystem_type(folder_of(name.path))) != BTRFS_SUPER_MAGIC) {
        return VSS_E_VOLUME_NOT_SUPPORTED;
    }
    return S_OK;
}

HRESULT BtrfsProvider::commit(core::SnapshotSetRequest &request)
{
    const VSS_TIMESTAMP now = core::filetime_now();
    std::vector<core::SnapshotRecord> made;
    auto refuse = [&](const std::string &reason) {
        discard(made); // C-5.6
        core::note_refusal("DoSnapshotSet", VSS_E_UNEXPECTED_PROVIDER_ERROR, "the btrfs provider: " + reason);
        return VSS_E_UNEXPECTED_PROVIDER_ERROR;
    };
    for (core::SnapshotRecord &record : request.snapshots) {
        const std::filesystem::path folder = folder_of(record.volume_path);
        const auto top = linux_fs::top_of(folder);
        if (!top) {
            return refuse(linux_fs::describe_errno("cannot look at " + folder.string(), errno));
        }
        const std::filesystem::path store = top->root / kStoreName;
        if (::mkdir(store.c_str(), 0700) != 0 && errno != EEXIST) {
            return refuse(linux_fs::describe_errno("cannot make " + store.string(), errno));
        }
        const Fd source(::open(top->root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        const Fd target(::open(store.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (source.fd < 0 || target.fd < 0) {
            return refuse(linux_fs::describe_errno("cannot open " + top->root.string(), errno));
        }
        btrfs_ioctl_vol_args_v2 args{};
        args.fd = source.fd;
        args.flags = BTRFS_SUBVOL_RDONLY;
        const std::string name = snapshot_name(record.snapshot_id);
        std::strncpy(args.name, name.c_str(), BTRFS_SUBVOL_NAME_MAX);
        if (::ioctl(target.fd, BTRFS_IOC_SNAP_CREATE_V2, &args) != 0) {
            return refuse(linux_fs::describe_errno("cannot snapshot " + top->root.string(), errno));
        }
        record.device_name = device_path(store / name / top->relative);
        record.creation_time = now;
        record.state = VSS_SS_CREATED;
        made.push_back(record);
    }
    return S_OK;
}

void BtrfsProvider::discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept
{
    for (const core::SnapshotRecord &record : snapshots) {
        try {
            const auto top = linux_fs::top_of(folder_of(record.volume_path));
            if (!top) {
                continue;
            }
            const std::filesystem::path store = top->root / kStoreName;
            const Fd target(::open(store.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (target.fd < 0) {
                continue;
            }
            btrfs_ioctl_vol_args args{};
            const std::string name = snapshot_name(record.snapshot_id);
            std::strncpy(args.name, name.c_str(), BTRFS_PATH_NAME_MAX);
            if (::ioctl(target.fd, BTRFS_IOC_SNAP_DESTROY, &args) != 0 && errno != ENOENT) {
                core::note_refusal("DeleteSnapshots", S_OK,
                                   linux_fs::describe_errno("the btrfs provider could not delete " +
                                                                (store / name).string(), errno));
            }
        } catch (...) {
        }
    }
}

} // namespace vssapi::providers
