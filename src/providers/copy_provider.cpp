#include "providers/copy_provider.h"

#include "com/guid.h"
#include "com/utf.h"
#include "core/diagnostics.h"
#include "providers/folder_volume.h"

#include <system_error>
#include <utility>

#ifdef __linux__
#include "providers/linux_volume.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace vssapi::providers {

// 6f70656e-7673-436f-7079-000000000001 ("openvs" "Copy")
const GUID kCopyProviderId = {0x6f70656e, 0x7673, 0x436f, {0x70, 0x79, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};
// 6f70656e-7673-4672-7a66-000000000001 ("openvs" "Frzf")
const GUID kFsfreezeProviderId = {0x6f70656e, 0x7673, 0x4672, {0x7a, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

namespace {

// The folder of one snapshot in the store: its id without braces.
std::filesystem::path snapshot_folder(const std::filesystem::path &store, const GUID &snapshot_id)
{
    std::string id = com::format_guid(snapshot_id);
    if (id.size() > 2 && id.front() == '{') {
        id = id.substr(1, id.size() - 2);
    }
    return store / id;
}

#ifdef __linux__
// The file system of `folder` frozen (FIFREEZE) for this object's lifetime.
// The kernel wants CAP_SYS_ADMIN; a file system without freeze support
// answers EOPNOTSUPP.
class Frozen {
public:
    Frozen(const std::filesystem::path &folder, std::string &failure)
    {
        fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd_ < 0 || ::ioctl(fd_, FIFREEZE, 0) != 0) {
            failure = linux_fs::describe_errno("cannot freeze the file system of " + folder.string(), errno);
            if (fd_ >= 0) {
                ::close(fd_);
            }
            fd_ = -1;
        }
    }
    Frozen(Frozen &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Frozen(const Frozen &) = delete;
    Frozen &operator=(const Frozen &) = delete;
    Frozen &operator=(Frozen &&) = delete;
    ~Frozen()
    {
        if (fd_ >= 0) {
            (void)::ioctl(fd_, FITHAW, 0);
            ::close(fd_);
        }
    }

private:
    int fd_ = -1;
};
#else
class Frozen {
public:
    Frozen(const std::filesystem::path &, std::string &failure) { failure = "freezing needs Linux"; }
};
#endif

} // namespace

bool CopyProvider::freezable(const std::filesystem::path &volume) const
{
#ifdef __linux__
    // The copies go elsewhere: a store on the frozen file system would block.
    struct stat source {}, target {};
    std::error_code error;
    std::filesystem::create_directories(store_, error);
    return ::stat(volume.c_str(), &source) == 0 && ::stat(store_.c_str(), &target) == 0 &&
           source.st_dev != target.st_dev;
#else
    (void)volume;
    return false;
#endif
}

CopyProvider::CopyProvider(std::filesystem::path store, bool freeze) : store_(std::move(store)), freeze_(freeze)
{
    if (store_.empty()) {
        std::error_code error;
        const std::filesystem::path temp = std::filesystem::temp_directory_path(error);
        store_ = (error ? std::filesystem::path(".") : temp) / "openvss-snapshots";
    }
}

core::ProviderInfo CopyProvider::info() const
{
    core::ProviderInfo info;
    info.id = id();
    info.name = freeze_ ? u"openvss fsfreeze provider (copy of a folder tree with its file system frozen)"
                        : u"openvss copy provider (point-in-time copy of a folder tree)";
    info.type = VSS_PROV_SOFTWARE;
    info.version = u"1.0";
    info.version_id = {0x6f70656e, 0x7673, 0x436f, {0x70, 0x79, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00}};
    return info;
}

HRESULT CopyProvider::resolve_volume(std::u16string_view volume, core::VolumeName &name) const
{
    const HRESULT hr = resolve_folder_volume(volume, name);
    if (hr != S_OK) {
        return hr;
    }
    // A volume that holds the store would copy its own copies.
    std::error_code error;
    const std::filesystem::path volume_path = folder_of(name.path);
    const std::filesystem::path store = std::filesystem::weakly_canonical(store_, error);
    if (!error) {
        const auto relative = store.lexically_relative(std::filesystem::canonical(volume_path, error));
        if (!error && !relative.empty() && *relative.begin() != "..") {
            return VSS_E_VOLUME_NOT_SUPPORTED;
        }
    }
    if (freeze_ && !freezable(volume_path)) {
        return VSS_E_VOLUME_NOT_SUPPORTED;
    }
    return S_OK;
}

HRESULT CopyProvider::commit(core::SnapshotSetRequest &request)
{
    std::vector<Frozen> frozen; // thawed when this returns, whatever happens
    if (freeze_) {
        for (const core::SnapshotRecord &record : request.snapshots) {
            std::string failure;
            frozen.emplace_back(folder_of(record.volume_path), failure);
            if (!failure.empty()) {
                core::note_refusal("DoSnapshotSet", VSS_E_UNEXPECTED_PROVIDER_ERROR, "the fsfreeze provider: " + failure);
                return VSS_E_UNEXPECTED_PROVIDER_ERROR;
            }
        }
    }
    const VSS_TIMESTAMP now = core::filetime_now();
    std::vector<core::SnapshotRecord> made;
    for (core::SnapshotRecord &record : request.snapshots) {
        const std::filesystem::path folder = snapshot_folder(store_, record.snapshot_id);
        std::error_code error;
        std::filesystem::create_directories(store_, error);
        if (!error) {
            std::filesystem::copy(folder_of(record.volume_path), folder,
                                  std::filesystem::copy_options::recursive |
                                      std::filesystem::copy_options::copy_symlinks,
                                  error);
        }
        record.device_name = device_path(folder);
        made.push_back(record); // a failed copy may have made part of its folder
        if (error) {
            discard(made); // C-5.6: nothing half-made stays
            core::note_refusal("DoSnapshotSet", VSS_E_UNEXPECTED_PROVIDER_ERROR,
                               "the copy provider could not copy " + com::utf16_to_utf8(record.volume_path) +
                                   " into " + folder.string() + ": " + error.message());
            return VSS_E_UNEXPECTED_PROVIDER_ERROR;
        }
        record.creation_time = now;
        record.state = VSS_SS_CREATED;
    }
    return S_OK;
}

void CopyProvider::discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept
{
    for (const core::SnapshotRecord &record : snapshots) {
        // Only a folder this provider made: the one of the snapshot's id in the store.
        std::error_code error;
        std::filesystem::remove_all(snapshot_folder(store_, record.snapshot_id), error);
    }
}

} // namespace vssapi::providers
