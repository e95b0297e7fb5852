#include "providers/com_provider.h"

#include "com/bstr.h"

#include <vssapi/oleauto.h>

#include <string>

namespace vssapi::providers {

HRESULT ComProvider::create(const core::ProviderInfo &info, IUnknown *object, std::shared_ptr<ComProvider> &out)
{
    std::shared_ptr<ComProvider> made(new ComProvider(info));
    HRESULT hr = object->QueryInterface(IID_IVssSoftwareSnapshotProvider, reinterpret_cast<void **>(made->snapshots_.out()));
    if (FAILED(hr) || made->snapshots_.p == nullptr) {
        made->snapshots_.p = nullptr;
        return E_NOINTERFACE;
    }
    hr = object->QueryInterface(IID_IVssProviderCreateSnapshotSet, reinterpret_cast<void **>(made->steps_.out()));
    if (FAILED(hr) || made->steps_.p == nullptr) {
        made->steps_.p = nullptr;
        return E_NOINTERFACE;
    }
    // Optional, as in the SDK: a provider without it is never told it loads.
    if (FAILED(object->QueryInterface(IID_IVssProviderNotifications, reinterpret_cast<void **>(made->notifications_.out())))) {
        made->notifications_.p = nullptr;
    }
    out = std::move(made);
    return S_OK;
}

ComProvider::~ComProvider()
{
    if (!closed()) {
        on_close();
    }
}

HRESULT ComProvider::load()
{
    if (notifications_.p == nullptr) {
        return S_OK;
    }
    const HRESULT hr = notifications_->OnLoad(nullptr);
    loaded_ = SUCCEEDED(hr);
    return hr;
}

void ComProvider::on_close() noexcept
{
    if (loaded_) {
        loaded_ = false;
        (void)notifications_->OnUnload(TRUE);
    }
    notifications_.reset();
    steps_.reset();
    snapshots_.reset();
}

HRESULT ComProvider::resolve_volume(std::u16string_view volume, core::VolumeName &name) const
{
    const Call call(*this);
    if (!call.admitted) {
        return VSS_E_PROVIDER_NOT_REGISTERED;
    }
    std::u16string given(volume);
    BOOL supported = FALSE;
    const HRESULT hr = snapshots_->IsVolumeSupported(reinterpret_cast<VSS_PWSZ>(given.data()), &supported);
    return volume_answer(FAILED(hr) ? hr : supported ? S_OK : VSS_E_VOLUME_NOT_SUPPORTED, volume, name);
}

HRESULT ComProvider::device_of(core::SnapshotRecord &record)
{
    VSS_SNAPSHOT_PROP prop{};
    const HRESULT hr = snapshots_->GetSnapshotProperties(record.snapshot_id, &prop);
    if (SUCCEEDED(hr) && prop.m_pwszSnapshotDeviceObject != nullptr && prop.m_pwszSnapshotDeviceObject[0] != 0) {
        record.device_name = std::u16string(com::wide_view(prop.m_pwszSnapshotDeviceObject));
    }
    const bool named = SUCCEEDED(hr) && !record.device_name.empty();
    // The provider filled it with CoTaskMemAlloc, as it would for the service.
    for (VSS_PWSZ text : {prop.m_pwszSnapshotDeviceObject, prop.m_pwszOriginalVolumeName, prop.m_pwszOriginatingMachine,
                          prop.m_pwszServiceMachine, prop.m_pwszExposedName, prop.m_pwszExposedPath}) {
        CoTaskMemFree(text);
    }
    return FAILED(hr) ? hr : named ? S_OK : VSS_E_UNEXPECTED_PROVIDER_ERROR;
}

HRESULT ComProvider::commit(core::SnapshotSetRequest &request)
{
    const Call call(*this);
    if (!call.admitted) {
        return VSS_E_PROVIDER_NOT_REGISTERED;
    }
    const GUID set = request.snapshot_set_id;
    HRESULT hr = snapshots_->SetContext(request.context);
    if (FAILED(hr)) {
        return hr;
    }
    auto aborted = [&](HRESULT failure) {
        (void)steps_->AbortSnapshots(set);
        return failure;
    };
    for (core::SnapshotRecord &record : request.snapshots) {
        hr = snapshots_->BeginPrepareSnapshot(set, record.snapshot_id, reinterpret_cast<VSS_PWSZ>(record.volume_path.data()),
                                              request.context);
        if (FAILED(hr)) {
            return aborted(hr);
        }
    }
    IVssProviderCreateSnapshotSet &steps = *steps_;
    if (FAILED(hr = steps.EndPrepareSnapshots(set)) || FAILED(hr = steps.PreCommitSnapshots(set)) ||
        FAILED(hr = steps.CommitSnapshots(set)) ||
        FAILED(hr = steps.PostCommitSnapshots(set, static_cast<LONG>(request.snapshots.size()))) ||
        FAILED(hr = steps.PreFinalCommitSnapshots(set)) || FAILED(hr = steps.PostFinalCommitSnapshots(set))) {
        return aborted(hr);
    }
    // Committed: from here a failure deletes what the provider made.
    const VSS_TIMESTAMP now = core::filetime_now();
    for (core::SnapshotRecord &record : request.snapshots) {
        hr = device_of(record);
        if (FAILED(hr)) {
            discard(request.snapshots);
            return hr;
        }
        record.creation_time = now;
        record.state = VSS_SS_CREATED;
    }
    return S_OK;
}

void ComProvider::discard(const std::vector<core::SnapshotRecord> &snapshots) noexcept
{
    const Call call(*this);
    if (!call.admitted) {
        return;
    }
    for (const core::SnapshotRecord &record : snapshots) {
        LONG deleted = 0;
        VSS_ID kept{};
        (void)snapshots_->DeleteSnapshots(record.snapshot_id, VSS_OBJECT_SNAPSHOT, TRUE, &deleted, &kept);
    }
}

} // namespace vssapi::providers
