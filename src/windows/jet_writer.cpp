// CVssJetWriter, the exported helper for writers of ESE ("Jet") databases,
// as the SDK's header declares it: { vtable pointer, void *m_pWriter } and
// members all inside VssApi.dll. Windows' own helper wraps each event in
// Begin/End hooks around its work on the process's Jet instances; this one
// has no Jet engine to drive, so the work between the hooks always
// succeeds, and End receives true unless Begin failed (then End is not
// called and the event fails, as with a handler that returns false).
//
// Its protected getters and SetWriterFailure are the legacy CVssWriter ones
// (legacy_writer.cpp): m_pWriter holds the same IVssWriterImpl.
#include "windows/msvc_abi.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <tuple>

namespace {

struct JetWriter {
    void *const *vtable;
    IVssWriterImpl *writer;
};

// The MSVC vtable of CVssJetWriter, in the SDK header's declaration order.
enum JetSlot : int {
    kDestructor = 0,
    kOnIdentify = 1,
    kOnPrepareBackupBegin = 2,
    kOnPrepareBackupEnd = 3,
    kOnPrepareSnapshotBegin = 4,
    kOnPrepareSnapshotEnd = 5,
    kOnFreezeBegin = 6,
    kOnFreezeEnd = 7,
    kOnThawBegin = 8,
    kOnThawEnd = 9,
    kOnPostSnapshot = 10,
    kOnAbortBegin = 11,
    kOnAbortEnd = 12,
    kOnBackupCompleteBegin = 13,
    kOnBackupCompleteEnd = 14,
    kOnPreRestoreBegin = 15,
    kOnPreRestoreEnd = 16,
    kOnPostRestoreBegin = 17,
    kOnPostRestoreEnd = 18,
};

// Begin, the (empty) Jet work, End(true): one answer for the event.
template <int Begin, int End, class... Args>
int32_t begin_end(void *object, Args... args) noexcept
{
    struct Call {
        void *object;
        std::tuple<Args...> args;
    } call{object, {args...}};
    return vssapi::windows::guarded(
        [](void *raw) {
            auto &c = *static_cast<Call *>(raw);
            const bool begun =
                std::apply([&](auto... a) { return vssapi::windows::call_msvc_handler(c.object, Begin, a...); }, c.args);
            if (!begun) {
                return false;
            }
            return std::apply(
                [&](auto... a) { return vssapi::windows::call_msvc_handler(c.object, End, a..., true); }, c.args);
        },
        &call);
}

template <int Begin, int End>
int32_t STDMETHODCALLTYPE plain_event(void *object)
{
    return begin_end<Begin, End>(object);
}

template <int Begin, int End>
int32_t STDMETHODCALLTYPE components_event(void *object, IVssWriterComponents *components)
{
    return begin_end<Begin, End>(object, components);
}

int32_t STDMETHODCALLTYPE on_post_snapshot(void *object, IVssWriterComponents *components)
{
    struct Call {
        void *object;
        IVssWriterComponents *components;
    } call{object, components};
    return vssapi::windows::guarded(
        [](void *raw) {
            auto &c = *static_cast<Call *>(raw);
            return vssapi::windows::call_msvc_handler(c.object, kOnPostSnapshot, c.components);
        },
        &call);
}

int32_t STDMETHODCALLTYPE on_identify(void *object, IVssCreateWriterMetadata *metadata)
{
    struct Call {
        void *object;
        IVssCreateWriterMetadata *metadata;
    } call{object, metadata};
    return vssapi::windows::guarded(
        [](void *raw) {
            auto &c = *static_cast<Call *>(raw);
            return vssapi::windows::call_msvc_handler(c.object, kOnIdentify, c.metadata);
        },
        &call);
}

// OnAbortBegin and OnAbortEnd return nothing: an abort cannot fail.
int32_t STDMETHODCALLTYPE on_abort(void *object)
{
    return vssapi::windows::guarded(
        [](void *o) {
            using Hook = void(STDMETHODCALLTYPE *)(void *);
            reinterpret_cast<Hook>(vssapi::windows::msvc_slot(o, kOnAbortBegin))(o);
            reinterpret_cast<Hook>(vssapi::windows::msvc_slot(o, kOnAbortEnd))(o);
            return true;
        },
        object);
}

} // namespace

extern "C" {

// The base bodies: Begin hooks and OnIdentify/OnPostSnapshot answer true,
// End hooks pass on how the Jet work went.
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_jet_begin(void *) noexcept { return true; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_jet_end(void *, bool succeeded) noexcept { return succeeded; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_jet_components_begin(void *, IVssWriterComponents *) noexcept { return true; }
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_jet_components_end(void *, IVssWriterComponents *, bool succeeded) noexcept
{
    return succeeded;
}
VSSAPI_EXPORT bool STDMETHODCALLTYPE vssapi_jet_on_identify(void *, IVssCreateWriterMetadata *) noexcept { return true; }
VSSAPI_EXPORT void STDMETHODCALLTYPE vssapi_jet_abort_hook(void *) noexcept {}

} // extern "C"

namespace {

void *VSSAPI_THISCALL jet_scalar_deleting_destructor(JetWriter *self, VSSAPI_THISCALL_PAD unsigned flags) noexcept;

void *const kJetVtable[] = {
    reinterpret_cast<void *>(&jet_scalar_deleting_destructor),
    reinterpret_cast<void *>(&vssapi_jet_on_identify),
    reinterpret_cast<void *>(&vssapi_jet_components_begin), // OnPrepareBackupBegin
    reinterpret_cast<void *>(&vssapi_jet_components_end),
    reinterpret_cast<void *>(&vssapi_jet_begin), // OnPrepareSnapshotBegin
    reinterpret_cast<void *>(&vssapi_jet_end),
    reinterpret_cast<void *>(&vssapi_jet_begin), // OnFreezeBegin
    reinterpret_cast<void *>(&vssapi_jet_end),
    reinterpret_cast<void *>(&vssapi_jet_begin), // OnThawBegin
    reinterpret_cast<void *>(&vssapi_jet_end),
    reinterpret_cast<void *>(&vssapi_jet_components_begin), // OnPostSnapshot
    reinterpret_cast<void *>(&vssapi_jet_abort_hook),       // OnAbortBegin
    reinterpret_cast<void *>(&vssapi_jet_abort_hook),       // OnAbortEnd
    reinterpret_cast<void *>(&vssapi_jet_components_begin), // OnBackupCompleteBegin
    reinterpret_cast<void *>(&vssapi_jet_components_end),
    reinterpret_cast<void *>(&vssapi_jet_components_begin), // OnPreRestoreBegin
    reinterpret_cast<void *>(&vssapi_jet_components_end),
    reinterpret_cast<void *>(&vssapi_jet_components_begin), // OnPostRestoreBegin
    reinterpret_cast<void *>(&vssapi_jet_components_end),
};

void uninitialize(JetWriter *self) noexcept
{
    if (self->writer != nullptr) {
        self->writer->Unsubscribe();
        self->writer->Uninitialize();
        self->writer->Release();
        self->writer = nullptr;
    }
}

void *VSSAPI_THISCALL jet_scalar_deleting_destructor(JetWriter *self, VSSAPI_THISCALL_PAD unsigned) noexcept
{
    uninitialize(self); // see legacy_writer.cpp: never the dynamic type, never freed here
    return self;
}

} // namespace

extern "C" {

VSSAPI_EXPORT void *VSSAPI_THISCALL vssapi_jet_construct(JetWriter *self) noexcept
{
    self->vtable = kJetVtable;
    self->writer = nullptr;
    return self;
}

VSSAPI_EXPORT void VSSAPI_THISCALL vssapi_jet_destruct(JetWriter *self) noexcept
{
    self->vtable = kJetVtable;
    uninitialize(self);
}

// Initialize(idWriter, wszWriterName, bSystemService, bBootableSystemState,
// wszFilesToInclude, wszFilesToExclude, dwTimeoutFreeze): the Jet writer
// initializes and subscribes in one call. A transacted database at the back
// end: VSS_ST_TRANSACTEDDB, VSS_APP_BACK_END; the usage type from the flags.
VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE vssapi_jet_initialize(JetWriter *self, VSS_ID idWriter, LPCWSTR wszWriterName,
                                                              bool bSystemService, bool bBootableSystemState,
                                                              LPCWSTR wszFilesToInclude, LPCWSTR wszFilesToExclude,
                                                              DWORD dwTimeoutFreeze) noexcept
{
    // Windows adds the files of the process's Jet databases, less these
    // specifications, to the metadata before OnIdentify; there are no Jet
    // databases here, so the writer's own OnIdentify declares its files.
    (void)wszFilesToInclude;
    (void)wszFilesToExclude;
    if (self == nullptr) {
        return E_INVALIDARG;
    }
    if (self->writer != nullptr) {
        return E_FAIL;
    }
    VSSAPI_WRITER_CALLBACKS callbacks{};
    callbacks.cbSize = sizeof callbacks;
    callbacks.pContext = self;
    callbacks.OnIdentify = &on_identify;
    callbacks.OnPrepareBackup = &components_event<kOnPrepareBackupBegin, kOnPrepareBackupEnd>;
    callbacks.OnPrepareSnapshot = &plain_event<kOnPrepareSnapshotBegin, kOnPrepareSnapshotEnd>;
    callbacks.OnFreeze = &plain_event<kOnFreezeBegin, kOnFreezeEnd>;
    callbacks.OnThaw = &plain_event<kOnThawBegin, kOnThawEnd>;
    callbacks.OnPostSnapshot = &on_post_snapshot;
    callbacks.OnAbort = &on_abort;
    callbacks.OnBackupComplete = &components_event<kOnBackupCompleteBegin, kOnBackupCompleteEnd>;
    callbacks.OnPreRestore = &components_event<kOnPreRestoreBegin, kOnPreRestoreEnd>;
    callbacks.OnPostRestore = &components_event<kOnPostRestoreBegin, kOnPostRestoreEnd>;
    IVssWriterImpl *impl = nullptr;
    HRESULT hr = vssapi_create_writer_impl(&callbacks, &impl);
    if (FAILED(hr)) {
        return hr;
    }
    const VSS_USAGE_TYPE usage = bBootableSystemState ? VSS_UT_BOOTABLESYSTEMSTATE
                                 : bSystemService     ? VSS_UT_SYSTEMSERVICE
                                                      : VSS_UT_USERDATA;
    hr = impl->Initialize(idWriter, wszWriterName, nullptr, 0, 0, usage, VSS_ST_TRANSACTEDDB, VSS_APP_BACK_END,
                          dwTimeoutFreeze, VSS_AWS_NO_ALTERNATE_WRITER, false);
    if (SUCCEEDED(hr)) {
        hr = impl->Subscribe(0, VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG);
    }
    if (FAILED(hr)) {
        impl->Uninitialize();
        impl->Release();
        return hr;
    }
    self->writer = impl;
    return S_OK;
}

VSSAPI_EXPORT void STDMETHODCALLTYPE vssapi_jet_uninitialize(JetWriter *self) noexcept
{
    if (self != nullptr) {
        uninitialize(self);
    }
}

} // extern "C"
