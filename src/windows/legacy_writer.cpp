// The legacy CVssWriter members VssApi.dll still exports (vss-facts.md
// section 3.6). Headers before Windows 7 declared CVssWriter with
// __declspec(dllimport) members instead of inline ones: a writer built with
// them calls these for construction, Initialize, Subscribe, the protected
// getters and the base handler bodies, on an object laid out as
// { vtable pointer, IVssWriterImpl *m_pWrapper }. The .def files give each
// function its MSVC-decorated name (abi/vssapi.def, abi/vssapi-x86.def).
#include "windows/msvc_abi.h"

#include <vsbackup.h>
#include <vswriter.h>

namespace {

struct LegacyWriter {
    void *const *vtable;
    IVssWriterImpl *wrapper;
};

// CVssWriter is abstract: its four pure handlers are never called on a
// complete object; reaching one is the C++ "pure virtual call" error.
bool STDMETHODCALLTYPE pure_handler(void *) noexcept
{
    RaiseException(static_cast<DWORD>(E_UNEXPECTED), EXCEPTION_NONCONTINUABLE, 0, nullptr);
    return false;
}

} // namespace

extern "C" {

// The base bodies: every handler but the four pure ones returns true.
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_on_components(void *, IVssWriterComponents *) noexcept { return true; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_on_identify(void *, IVssCreateWriterMetadata *) noexcept { return true; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_on_backup_shutdown(void *, VSS_ID) noexcept { return true; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_on_volume(void *, VSS_PWSZ, VSS_ID, VSS_ID) noexcept { return true; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_on_plain(void *) noexcept { return true; }

} // extern "C"

namespace {

void *VSSAPI_THISCALL scalar_deleting_destructor(LegacyWriter *self, VSSAPI_THISCALL_PAD unsigned flags) noexcept;

// CVssWriter's own vtable, in MSVC's layout, which its constructor installs
// until the derived constructor installs the writer's.
void *const kLegacyVtable[] = {
    reinterpret_cast<void *>(&scalar_deleting_destructor),
    reinterpret_cast<void *>(&vssapi_legacy_on_identify),
    reinterpret_cast<void *>(&vssapi_legacy_on_components), // OnPrepareBackup
    reinterpret_cast<void *>(&pure_handler),                // OnPrepareSnapshot
    reinterpret_cast<void *>(&pure_handler),                // OnFreeze
    reinterpret_cast<void *>(&pure_handler),                // OnThaw
    reinterpret_cast<void *>(&pure_handler),                // OnAbort
    reinterpret_cast<void *>(&vssapi_legacy_on_components), // OnBackupComplete
    reinterpret_cast<void *>(&vssapi_legacy_on_backup_shutdown),
    reinterpret_cast<void *>(&vssapi_legacy_on_components), // OnPreRestore
    reinterpret_cast<void *>(&vssapi_legacy_on_components), // OnPostRestore
    reinterpret_cast<void *>(&vssapi_legacy_on_components), // OnPostSnapshot
    reinterpret_cast<void *>(&vssapi_legacy_on_volume),     // OnBackOffIOOnVolume
    reinterpret_cast<void *>(&vssapi_legacy_on_volume),     // OnContinueIOOnVolume
    reinterpret_cast<void *>(&vssapi_legacy_on_plain),      // OnVSSShutdown
    reinterpret_cast<void *>(&vssapi_legacy_on_plain),      // OnVSSApplicationStartup
};

void release_wrapper(LegacyWriter *self) noexcept
{
    if (self->wrapper != nullptr) {
        self->wrapper->Uninitialize();
        self->wrapper->Release();
        self->wrapper = nullptr;
    }
}

// Only reachable for an object whose dynamic type is CVssWriter itself,
// which cannot exist: the memory belongs to the caller's allocator, so this
// destroys and never frees.
void *VSSAPI_THISCALL scalar_deleting_destructor(LegacyWriter *self, VSSAPI_THISCALL_PAD unsigned) noexcept
{
    release_wrapper(self);
    return self;
}

} // namespace

extern "C" {

// ??0CVssWriter: the constructor returns `this`, as MSVC constructors do.
VSSAPI_EXPORT void *VSSAPI_THISCALL vssapi_legacy_construct(LegacyWriter *self) noexcept
{
    self->vtable = kLegacyVtable;
    self->wrapper = nullptr;
    return self;
}

// ??1CVssWriter: the destructor proper (the derived class's deleting
// destructor calls it, then frees with its own allocator).
VSSAPI_EXPORT void VSSAPI_THISCALL vssapi_legacy_destruct(LegacyWriter *self) noexcept
{
    self->vtable = kLegacyVtable;
    release_wrapper(self);
}

VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_legacy_initialize(LegacyWriter *self, VSS_ID WriterId,
                                                                 LPCWSTR wszWriterName, VSS_USAGE_TYPE ut,
                                                                 VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel,
                                                                 DWORD dwTimeoutFreeze,
                                                                 VSS_ALTERNATE_WRITER_STATE aws,
                                                                 bool bIOThrottlingOnly,
                                                                 LPCWSTR wszWriterInstanceName) noexcept
{
    if (self == nullptr) {
        return E_INVALIDARG;
    }
    if (self->wrapper != nullptr) {
        return E_FAIL; // already initialized, as the modern header answers
    }
    IVssWriterImpl *impl = nullptr;
    HRESULT hr = vssapi::windows::create_msvc_writer_impl(self, vssapi::windows::MsvcClass::Writer, &impl);
    if (FAILED(hr)) {
        return hr;
    }
    hr = impl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, 0, 0, ut, st, nLevel, dwTimeoutFreeze, aws,
                          bIOThrottlingOnly);
    if (FAILED(hr)) {
        impl->Release();
        return hr;
    }
    self->wrapper = impl;
    return S_OK;
}

VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_legacy_subscribe(LegacyWriter *self, DWORD dwEventFlags) noexcept
{
    return self != nullptr && self->wrapper != nullptr ? self->wrapper->Subscribe(0, dwEventFlags) : E_FAIL;
}

VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_legacy_unsubscribe(LegacyWriter *self) noexcept
{
    return self != nullptr && self->wrapper != nullptr ? self->wrapper->Unsubscribe() : E_FAIL;
}

VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_legacy_install_alternate_writer(LegacyWriter *self, VSS_ID writerId,
                                                                               CLSID persistentWriterClassId) noexcept
{
    return self != nullptr && self->wrapper != nullptr
               ? self->wrapper->InstallAlternateWriter(writerId, persistentWriterClassId)
               : E_FAIL;
}

// The protected getters, with the modern header's answers when there is no
// wrapper yet.
VSSAPI_EXPORT LPCWSTR *STDMETHODCALLTYPE vssapi_legacy_get_current_volume_array(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetCurrentVolumeArray() : nullptr;
}

VSSAPI_EXPORT UINT STDMETHODCALLTYPE vssapi_legacy_get_current_volume_count(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetCurrentVolumeCount() : 0;
}

VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_legacy_get_snapshot_device_name(const LegacyWriter *self,
                                                                               LPCWSTR wszOriginalVolume,
                                                                               LPCWSTR *ppwszSnapshotDevice) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetSnapshotDeviceName(wszOriginalVolume, ppwszSnapshotDevice)
                                    : E_FAIL;
}

// VSS_ID GetCurrentSnapshotSetId() const: MSVC passes the result's address
// after `this` and expects it back.
VSSAPI_EXPORT VSS_ID *STDMETHODCALLTYPE vssapi_legacy_get_current_snapshot_set_id(const LegacyWriter *self,
                                                                                  VSS_ID *result) noexcept
{
    *result = GUID_NULL;
    if (self->wrapper != nullptr) {
        self->wrapper->GetCurrentSnapshotSetId(result);
    }
    return result;
}

VSSAPI_EXPORT LONG STDMETHODCALLTYPE vssapi_legacy_get_context(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetContext() : 0;
}

VSSAPI_EXPORT VSS_APPLICATION_LEVEL STDMETHODCALLTYPE vssapi_legacy_get_current_level(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetCurrentLevel() : VSS_APP_AUTO;
}

VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_is_path_affected(const LegacyWriter *self, LPCWSTR wszPath) noexcept
{
    return self->wrapper != nullptr && self->wrapper->IsPathAffected(wszPath);
}

VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_is_bootable_system_state_backed_up(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr && self->wrapper->IsBootableSystemStateBackedUp();
}

VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_are_components_selected(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr && self->wrapper->AreComponentsSelected();
}

VSSAPI_EXPORT VSS_BACKUP_TYPE STDMETHODCALLTYPE vssapi_legacy_get_backup_type(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetBackupType() : VSS_BT_UNDEFINED;
}

VSSAPI_EXPORT VSS_RESTORE_TYPE STDMETHODCALLTYPE vssapi_legacy_get_restore_type(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->GetRestoreType() : VSS_RTYPE_UNDEFINED;
}

VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_legacy_is_partial_file_support_enabled(const LegacyWriter *self) noexcept
{
    return self->wrapper != nullptr && self->wrapper->IsPartialFileSupportEnabled();
}

VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_legacy_set_writer_failure(LegacyWriter *self, HRESULT hr) noexcept
{
    return self->wrapper != nullptr ? self->wrapper->SetWriterFailure(hr) : E_FAIL;
}

} // extern "C"
