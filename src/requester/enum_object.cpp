#include "requester/enum_object.h"

#include "com/barrier.h"

#include <vsbackup.h>
#include <vssapi/oleauto.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace vssapi::requester {
namespace {

VSS_PWSZ copy_task_string(const std::u16string &text)
{
    if (text.empty()) {
        return nullptr;
    }
    const std::size_t bytes = (text.size() + 1) * sizeof(char16_t);
    auto *copy = static_cast<VSS_PWSZ>(CoTaskMemAlloc(bytes));
    if (copy == nullptr) {
        throw std::bad_alloc();
    }
    std::memcpy(copy, text.c_str(), bytes);
    return copy;
}

} // namespace

void fill_snapshot_prop(const core::SnapshotRecord &record, VSS_SNAPSHOT_PROP &prop)
{
    VSS_SNAPSHOT_PROP filled{};
    try {
        filled.m_pwszSnapshotDeviceObject = copy_task_string(record.device_name);
        filled.m_pwszOriginalVolumeName = copy_task_string(record.original_volume);
        filled.m_pwszOriginatingMachine = copy_task_string(record.originating_machine);
        filled.m_pwszServiceMachine = copy_task_string(record.service_machine);
        filled.m_pwszExposedName = copy_task_string(record.exposed_name);
        filled.m_pwszExposedPath = copy_task_string(record.exposed_path);
    } catch (...) {
        VssFreeSnapshotPropertiesInternal(&filled);
        throw;
    }
    filled.m_SnapshotId = record.snapshot_id;
    filled.m_SnapshotSetId = record.snapshot_set_id;
    filled.m_lSnapshotsCount = record.snapshots_in_set;
    filled.m_ProviderId = record.provider_id;
    filled.m_lSnapshotAttributes = record.attributes;
    filled.m_tsCreationTimestamp = record.creation_time;
    filled.m_eStatus = record.state;
    prop = filled;
}

void EnumObject::fill(std::size_t index, VSS_OBJECT_PROP &prop) const
{
    if (records_) {
        prop.Type = VSS_OBJECT_SNAPSHOT;
        fill_snapshot_prop((*records_)[index], prop.Obj.Snap);
        return;
    }
    const core::ProviderInfo &info = (*providers_)[index];
    VSS_PROVIDER_PROP filled{};
    filled.m_pwszProviderName = copy_task_string(info.name);
    try {
        filled.m_pwszProviderVersion = copy_task_string(info.version);
    } catch (...) {
        CoTaskMemFree(filled.m_pwszProviderName);
        throw;
    }
    filled.m_ProviderId = info.id;
    filled.m_eProviderType = info.type;
    filled.m_ProviderVersionId = info.version_id;
    filled.m_ClassId = info.class_id;
    prop.Type = VSS_OBJECT_PROVIDER;
    prop.Obj.Prov = filled;
}

void EnumObject::free(VSS_OBJECT_PROP &prop) noexcept
{
    if (prop.Type == VSS_OBJECT_SNAPSHOT) {
        VssFreeSnapshotPropertiesInternal(&prop.Obj.Snap);
    } else {
        CoTaskMemFree(prop.Obj.Prov.m_pwszProviderName);
        CoTaskMemFree(prop.Obj.Prov.m_pwszProviderVersion);
        prop.Obj.Prov.m_pwszProviderName = nullptr;
        prop.Obj.Prov.m_pwszProviderVersion = nullptr;
    }
}

gsl::span<const com::InterfaceEntry> EnumObject::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IVssEnumObject, "IVssEnumObject", &com::interface_cast<EnumObject, IVssEnumObject>},
    };
    return table;
}

HRESULT STDMETHODCALLTYPE EnumObject::Next(ULONG celt, VSS_OBJECT_PROP *rgelt, ULONG *pceltFetched) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (rgelt == nullptr || pceltFetched == nullptr) {
        return E_INVALIDARG;
    }
    *pceltFetched = 0;
    const std::lock_guard<std::mutex> hold(lock_);
    ULONG fetched = 0;
    try {
        while (fetched < celt && position_ + fetched < size_) {
            fill(position_ + fetched, rgelt[fetched]);
            ++fetched;
        }
    } catch (...) {
        for (ULONG i = 0; i < fetched; ++i) { // all or nothing
            free(rgelt[i]);
        }
        throw;
    }
    position_ += fetched;
    *pceltFetched = fetched;
    return fetched == celt ? S_OK : S_FALSE;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE EnumObject::Skip(ULONG celt) noexcept
{
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    const std::size_t left = size_ - position_;
    position_ += std::min<std::size_t>(celt, left);
    return celt <= left ? S_OK : S_FALSE;
}

HRESULT STDMETHODCALLTYPE EnumObject::Reset() noexcept
{
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    position_ = 0;
    return S_OK;
}

HRESULT STDMETHODCALLTYPE EnumObject::Clone(IVssEnumObject **ppenum) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (ppenum == nullptr) {
        return E_INVALIDARG;
    }
    auto *copy = records_ ? new EnumObject(records_) : new EnumObject(providers_);
    {
        const std::lock_guard<std::mutex> hold(lock_);
        copy->position_ = position_;
    }
    *ppenum = copy;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::requester
