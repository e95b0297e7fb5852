#include "providers/live_provider.h"

#include "providers/folder_volume.h"

namespace vssapi::providers {

// 6f70656e-7673-4c69-7665-000000000001 ("openvs" "Live")
const GUID kLiveProviderId = {0x6f70656e, 0x7673, 0x4c69, {0x76, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

core::ProviderInfo LiveProvider::info() const
{
    core::ProviderInfo info;
    info.id = kLiveProviderId;
    info.name = u"openvss live provider (not point-in-time: the volume as it is now)";
    info.type = VSS_PROV_SOFTWARE;
    info.version = u"1.0";
    info.version_id = {0x6f70656e, 0x7673, 0x4c69, {0x76, 0x65, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00}};
    return info;
}

HRESULT LiveProvider::resolve_volume(std::u16string_view volume, core::VolumeName &name) const
{
    return resolve_folder_volume(volume, name);
}

HRESULT LiveProvider::commit(core::SnapshotSetRequest &request)
{
    const VSS_TIMESTAMP now = core::filetime_now();
    for (core::SnapshotRecord &record : request.snapshots) {
        record.device_name = device_path(folder_of(record.volume_path));
        record.creation_time = now;
        record.state = VSS_SS_CREATED;
    }
    return S_OK;
}

} // namespace vssapi::providers
