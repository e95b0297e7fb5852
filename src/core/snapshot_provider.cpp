#include "core/snapshot_provider.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace vssapi::core {

// b5946137-7b9f-4925-af80-51abd60b20d5: Microsoft Software Shadow Copy provider 1.0.
const GUID kInMemoryProviderId = {0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};

VSS_TIMESTAMP filetime_now()
{
    constexpr long long kUnixEpochInFiletime = 116444736000000000LL;
    const auto since_unix = std::chrono::system_clock::now().time_since_epoch();
    return kUnixEpochInFiletime +
           std::chrono::duration_cast<std::chrono::duration<long long, std::ratio<1, 10000000>>>(since_unix).count();
}

namespace {

std::u16string to_u16(const std::string &ascii)
{
    return std::u16string(ascii.begin(), ascii.end());
}

} // namespace

GUID InMemoryProvider::id() const
{
    return kInMemoryProviderId;
}

ProviderInfo InMemoryProvider::info() const
{
    ProviderInfo info;
    info.id = kInMemoryProviderId;
    info.name = u"openvss simulated provider (no readable device)";
    info.type = VSS_PROV_SOFTWARE;
    info.version = u"1.0.0.7";
    info.version_id = {0x00000001, 0x0000, 0x0000, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};
    return info;
}

ProviderInfo SnapshotProvider::info() const
{
    ProviderInfo info;
    info.id = id();
    info.name = u"provider";
    info.version = u"1.0";
    return info;
}

HRESULT SnapshotProvider::resolve_volume(std::u16string_view volume, VolumeName &name) const
{
    return simulated_volume(volume, name);
}

HRESULT InMemoryProvider::resolve_volume(std::u16string_view volume, VolumeName &name) const
{
    return simulated_volume(volume, name);
}

HRESULT simulated_volume(std::u16string_view volume, VolumeName &resolved)
{
    // The simulated machine has a volume on every drive letter, and no other.
    const std::u16string name = volume_name(volume);
    const bool drive = name.size() == 3 && ((name[0] >= u'A' && name[0] <= u'Z') || (name[0] >= u'a' && name[0] <= u'z')) &&
                       name[1] == u':' && name[2] == u'\\';
    if (!drive) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    resolved.unique = name;
    resolved.path = name;
    return S_OK;
}

HRESULT InMemoryProvider::commit(SnapshotSetRequest &request)
{
    const VSS_TIMESTAMP now = filetime_now();
    const std::lock_guard<std::mutex> hold(lock_);
    for (SnapshotRecord &record : request.snapshots) {
        record.device_name = to_u16("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(next_device_++));
        record.creation_time = now;
        record.state = VSS_SS_CREATED;
    }
    return S_OK;
}

void SnapshotStore::add(const std::vector<SnapshotRecord> &records)
{
    const std::lock_guard<std::mutex> hold(lock_);
    records_.insert(records_.end(), records.begin(), records.end());
}

std::optional<SnapshotRecord> SnapshotStore::find(const GUID &snapshot_id) const
{
    const std::lock_guard<std::mutex> hold(lock_);
    for (const SnapshotRecord &record : records_) {
        if (IsEqualGUID(record.snapshot_id, snapshot_id)) {
            return record;
        }
    }
    return std::nullopt;
}

std::vector<SnapshotRecord> SnapshotStore::all() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return records_;
}

std::vector<SnapshotRecord> SnapshotStore::remove_snapshot(const GUID &snapshot_id)
{
    return take([&](const SnapshotRecord &record) { return IsEqualGUID(record.snapshot_id, snapshot_id); });
}

std::vector<SnapshotRecord> SnapshotStore::remove_set(const GUID &snapshot_set_id)
{
    return take([&](const SnapshotRecord &record) { return IsEqualGUID(record.snapshot_set_id, snapshot_set_id); });
}

bool SnapshotStore::change(const GUID &snapshot_id, const std::function<HRESULT(SnapshotRecord &)> &change,
                           HRESULT &result)
{
    const std::lock_guard<std::mutex> hold(lock_);
    for (SnapshotRecord &record : records_) {
        if (IsEqualGUID(record.snapshot_id, snapshot_id)) {
            result = change(record);
            return true;
        }
    }
    return false;
}

bool SnapshotStore::has_set(const GUID &snapshot_set_id) const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return std::any_of(records_.begin(), records_.end(), [&](const SnapshotRecord &record) {
        return IsEqualGUID(record.snapshot_set_id, snapshot_set_id);
    });
}

std::u16string volume_name(std::u16string_view given)
{
    std::u16string name(given);
    if (!name.empty() && name.back() != u'\\' && name.back() != u'/') {
        name.push_back(u'\\');
    }
    return name;
}

bool SnapshotStore::has_volume(std::u16string_view volume) const
{
    const std::u16string name = volume_name(volume);
    const std::lock_guard<std::mutex> hold(lock_);
    return std::any_of(records_.begin(), records_.end(),
                       [&](const SnapshotRecord &record) { return record.original_volume == name; });
}

std::vector<SnapshotRecord> SnapshotStore::release_session(const GUID &session_id)
{
    return take([&](const SnapshotRecord &record) {
        return IsEqualGUID(record.session_id, session_id) &&
               (record.attributes & VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE) == 0;
    });
}

std::vector<SnapshotRecord> SnapshotStore::remove_all()
{
    return take([](const SnapshotRecord &) { return true; });
}

std::vector<SnapshotRecord> SnapshotStore::take(const std::function<bool(const SnapshotRecord &)> &which)
{
    std::vector<SnapshotRecord> taken;
    const std::lock_guard<std::mutex> hold(lock_);
    for (auto it = records_.begin(); it != records_.end();) {
        if (which(*it)) {
            taken.push_back(std::move(*it));
            it = records_.erase(it);
        } else {
            ++it;
        }
    }
    return taken;
}

} // namespace vssapi::core
