// Snapshot providers through the flat C API (contract C-5.4 to C-5.6): the
// list, the choice by id, and providers written by the user as a table of
// callbacks, adapted to core::SnapshotProvider here.
#include "capi/flat_common.h"
#include "capi/sized.h"
#include "com/utf.h"
#include "core/coordinator.h"
#include "providers/com_provider.h"
#include "providers/folder_volume.h"
#include "requester/backup_components.h"

#include <cstdlib>
#include <cstring>
#include <string>

using namespace vssapi::capi;

namespace vssapi::capi {

VSSAPI_FIRST_LAYOUT(vss_provider_info, VSS_PROVIDER_INFO_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_provider_callbacks, VSS_PROVIDER_CALLBACKS_SIZE_V1)

namespace {

// A provider of callbacks. Calls are counted (UserProvider) so that
// unregistering waits for the running ones and none starts after it (the
// header's promise).
class CallbackProvider final : public providers::UserProvider {
public:
    CallbackProvider(const vss_provider_callbacks &callbacks, void *user)
        : callbacks_(callbacks), user_(user), id_(to_guid(callbacks.id)), name_(com::utf8_to_utf16(callbacks.name)),
          version_(com::utf8_to_utf16(callbacks.version != nullptr ? callbacks.version : "1.0"))
    {
        callbacks_.name = nullptr; // copied above; the caller's strings may go
        callbacks_.version = nullptr;
    }

    GUID id() const override { return id_; }

    core::ProviderInfo info() const override
    {
        core::ProviderInfo info;
        info.id = id_;
        info.name = name_;
        info.type = VSS_PROV_SOFTWARE;
        info.version = version_;
        return info;
    }

    HRESULT resolve_volume(std::u16string_view volume, core::VolumeName &name) const override
    {
        if (callbacks_.is_volume_supported == nullptr) {
            return providers::resolve_folder_volume(volume, name);
        }
        const Call call(*this);
        if (!call.admitted) {
            return VSS_E_PROVIDER_NOT_REGISTERED;
        }
        const std::string text = com::utf16_to_utf8(volume);
        return volume_answer(callbacks_.is_volume_supported(user_, text.c_str()), volume, name);
    }

    HRESULT commit(core::SnapshotSetRequest &request) override
    {
        const Call call(*this);
        if (!call.admitted) {
            return VSS_E_PROVIDER_NOT_REGISTERED;
        }
        const vss_guid set = from_guid(request.snapshot_set_id);
        auto failed = [&](HRESULT hr) {
            if (callbacks_.abort_snapshots != nullptr) {
                (void)callbacks_.abort_snapshots(user_, &set);
            }
            return hr;
        };
        for (const core::SnapshotRecord &record : request.snapshots) {
            if (callbacks_.prepare_for_snapshot != nullptr) {
                const vss_guid snapshot = from_guid(record.snapshot_id);
                const std::string volume = com::utf16_to_utf8(record.volume_path);
                const HRESULT hr = callbacks_.prepare_for_snapshot(user_, &set, &snapshot, volume.c_str());
                if (FAILED(hr)) {
                    return failed(hr);
                }
            }
        }
        using Step = vss_hresult(VSS_CALL *)(void *, const vss_guid *);
        for (Step step : {callbacks_.end_prepare_snapshots, callbacks_.pre_commit_snapshots, callbacks_.commit_snapshots}) {
            if (step != nullptr) {
                const HRESULT hr = step(user_, &set);
                if (FAILED(hr)) {
                    return failed(hr);
                }
            }
        }
        if (callbacks_.post_commit_snapshots != nullptr) {
            const HRESULT hr =
                callbacks_.post_commit_snapshots(user_, &set, static_cast<int32_t>(request.snapshots.size()));
            if (FAILED(hr)) {
                return failed(hr);
            }
        }
        for (Step step : {callbacks_.pre_final_commit_snapshots, callbacks_.post_final_commit_snapshots}) {
            if (step != nullptr) {
                const HRESULT hr = step(user_, &set);
                if (FAILED(hr)) {
                    return failed(hr);
                }
            }
        }
        const VSS_TIMESTAMP now = core::filetime_now();
        for (core::SnapshotRecord &record : request.snapshots) {
            if (callbacks_.snapshot_device != nullptr) {
                char device[4096] = {};
                const vss_guid snapshot = from_guid(record.snapshot_id);
                const HRESULT hr = callbacks_.snapshot_device(user_, &snapshot, device, sizeof device);
                if (FAILED(hr) || std::memchr(device, 0, sizeof device) == nullptr) {
                    return failed(FAILED(hr) ? hr : VSS_E_UNEXPECTED_PROVIDER_ERROR);
                }
                record.device_name = com::utf8_to_utf16(device);
            }
            record.creation_time = now;
            record.state = VSS_SS_CREATED;
        }
        return S_OK;
    }

    void discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept override
    {
        const Call call(*this);
        if (!call.admitted || callbacks_.delete_snapshot == nullptr) {
            return;
        }
        for (const core::SnapshotRecord &record : snapshots) {
            const vss_guid snapshot = from_guid(record.snapshot_id);
            (void)callbacks_.delete_snapshot(user_, &snapshot);
        }
    }

private:
    vss_provider_callbacks callbacks_;
    void *const user_;
    const GUID id_;
    const std::u16string name_;
    const std::u16string version_;
};

} // namespace
} // namespace vssapi::capi

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_to_snapshot_set_with(vss_requester *requester,
                                                                          const char *volume,
                                                                          const vss_guid *provider_id,
                                                                          vss_guid *snapshot_id) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(volume != nullptr && snapshot_id != nullptr, "volume or snapshot_id is NULL")
    const Wide name(volume);
    GUID id{};
    const GUID provider = provider_id != nullptr ? to_guid(*provider_id) : GUID_NULL;
    const HRESULT hr =
        requester_of(requester)->AddToSnapshotSet(const_cast<VSS_PWSZ>(name.get()), provider, &id);
    if (SUCCEEDED(hr)) {
        *snapshot_id = from_guid(id);
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_provider_count(vss_coordinator *coordinator,
                                                                  uint32_t *count) noexcept
try {
    VSSAPI_FLAT_REQUIRE(count != nullptr, "count is NULL")
    *count = static_cast<uint32_t>(coordinator_of(coordinator)->providers().size());
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_provider(vss_coordinator *coordinator, uint32_t index,
                                                            vss_provider_info *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE_SIZED(out)
    const auto listed = coordinator_of(coordinator)->providers();
    if (index >= listed.size()) {
        return fail(__func__, VSS_E_OBJECT_NOT_FOUND, "index is past the last provider");
    }
    const vssapi::core::ProviderInfo info = listed[index]->info();
    Utf8 name(vssapi::com::malloc_utf8(info.name), &std::free);
    Utf8 version(vssapi::com::malloc_utf8(info.version), &std::free);
    if (!name || !version) {
        return fail(__func__, E_OUTOFMEMORY);
    }
    vss_provider_info filled{};
    filled.id = from_guid(info.id);
    filled.name = name.release();
    filled.type = info.type;
    filled.version = version.release();
    write_sized(*out, filled);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_provider_info_clear(vss_provider_info *info) noexcept
{
    if (info != nullptr) {
        free_strings(info->name, info->version);
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_register_provider(vss_coordinator *coordinator,
                                                                     const vss_provider_callbacks *callbacks,
                                                                     void *user) noexcept
try {
    VSSAPI_FLAT_REQUIRE_SIZED(callbacks)
    vss_provider_callbacks given = read_sized(*callbacks);
    VSSAPI_FLAT_REQUIRE(!IsEqualGUID(to_guid(given.id), GUID_NULL), "callbacks->id is all zero")
    VSSAPI_FLAT_REQUIRE(given.name != nullptr, "callbacks->name is NULL")
    VSSAPI_FLAT_REQUIRE(given.commit_snapshots != nullptr, "callbacks->commit_snapshots is NULL")
    auto provider = std::make_shared<CallbackProvider>(given, user);
    return check(__func__, coordinator_of(coordinator)->register_provider(std::move(provider)));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_unregister_provider(vss_coordinator *coordinator,
                                                                       const vss_guid *id) noexcept
try {
    VSSAPI_FLAT_REQUIRE(id != nullptr, "id is NULL")
    const auto service = coordinator_of(coordinator);
    const GUID wanted = to_guid(*id);
    const auto provider = service->find_provider(wanted);
    const HRESULT hr = IsEqualGUID(wanted, GUID_NULL) || !provider ? VSS_E_PROVIDER_NOT_REGISTERED
                                                                   : service->unregister_provider(wanted);
    if (hr == S_OK) {
        if (auto *user = dynamic_cast<vssapi::providers::UserProvider *>(provider.get())) {
            user->close();
        }
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_register_com_provider(vss_coordinator *coordinator,
                                                                         const vss_provider_info *info,
                                                                         void *provider) noexcept
try {
    VSSAPI_FLAT_REQUIRE_SIZED(info)
    const vss_provider_info given = read_sized(*info);
    VSSAPI_FLAT_REQUIRE(provider != nullptr, "provider is NULL")
    VSSAPI_FLAT_REQUIRE(!IsEqualGUID(to_guid(given.id), GUID_NULL), "info->id is all zero")
    VSSAPI_FLAT_REQUIRE(given.name != nullptr, "info->name is NULL")
    VSSAPI_FLAT_REQUIRE(given.type == VSS_PROV_SOFTWARE, "info->type is not VSS_PROV_SOFTWARE (2): only software providers plug in")
    vssapi::core::ProviderInfo described;
    described.id = to_guid(given.id);
    described.name = vssapi::com::utf8_to_utf16(given.name);
    described.type = VSS_PROV_SOFTWARE;
    described.version = vssapi::com::utf8_to_utf16(given.version != nullptr ? given.version : "1.0");
    std::shared_ptr<vssapi::providers::ComProvider> made;
    HRESULT hr = vssapi::providers::ComProvider::create(described, static_cast<IUnknown *>(provider), made);
    if (FAILED(hr)) {
        return fail(__func__, hr, "the object lacks IVssSoftwareSnapshotProvider or IVssProviderCreateSnapshotSet");
    }
    const auto service = coordinator_of(coordinator);
    if (service->find_provider(described.id)) {
        return check(__func__, VSS_E_PROVIDER_ALREADY_REGISTERED);
    }
    hr = made->load();
    if (FAILED(hr)) {
        return fail(__func__, hr, "the provider's OnLoad failed");
    }
    hr = service->register_provider(made);
    if (FAILED(hr)) {
        made->close();
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

} // extern "C"
