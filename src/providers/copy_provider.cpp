#include "providers/copy_provider.h"

#include "com/guid.h"
#include "com/utf.h"
#include "core/diagnostics.h"
#include "providers/folder_volume.h"

#include <system_error>

namespace vssapi::providers {

// 6f70656e-7673-436f-7079-000000000001 ("openvs" "Copy")
const GUID kCopyProviderId = {0x6f70656e, 0x7673, 0x436f, {0x70, 0x79, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

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

} // namespace

CopyProvider::CopyProvider(std::filesystem::path store) : store_(std::move(store))
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
    info.id = kCopyProviderId;
    info.name = u"openvss copy provider (point-in-time copy of a folder tree)";
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
    return S_OK;
}

HRESULT CopyProvider::commit(core::SnapshotSetRequest &request)
{
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
