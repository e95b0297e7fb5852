// The flat API's requester section: the session, its steps (blocking or as an
// IVssAsync), the snapshot set and snapshot properties. What the writers
// declared and reported is in flat_components.cpp.
#include "capi/flat_common.h"
#include "com/enum_value.h"
#include "capi/sized.h"
#include "com/bstr.h"
#include "requester/backup_components.h"
#include "scenario/load.h"

using namespace vssapi::capi;

namespace {

// The steps of vss_step, as IVssBackupComponents methods.
using StepMethod = HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*)(IVssAsync **);
// `step` is read as the integer a C caller passed (any value), never as a vss_step.
StepMethod step_method(const vss_step &step)
{
    switch (vssapi::com::enum_value(step)) {
    case VSS_STEP_GATHER_WRITER_METADATA: return &IVssBackupComponents::GatherWriterMetadata;
    case VSS_STEP_PREPARE_FOR_BACKUP: return &IVssBackupComponents::PrepareForBackup;
    case VSS_STEP_DO_SNAPSHOT_SET: return &IVssBackupComponents::DoSnapshotSet;
    case VSS_STEP_BACKUP_COMPLETE: return &IVssBackupComponents::BackupComplete;
    case VSS_STEP_GATHER_WRITER_STATUS: return &IVssBackupComponents::GatherWriterStatus;
    case VSS_STEP_PRE_RESTORE: return &IVssBackupComponents::PreRestore;
    case VSS_STEP_POST_RESTORE: return &IVssBackupComponents::PostRestore;
    }
    return nullptr;
}

// Starts `step`; failures are reported under `function`'s name.
HRESULT start_step(const char *function, vss_requester *requester, const vss_step &step, vss_async **out)
{
    if (requester == nullptr) {
        return fail(function, E_INVALIDARG, "requester is NULL");
    }
    const StepMethod method = step_method(step);
    if (out == nullptr || method == nullptr) {
        return fail(function, E_INVALIDARG, "out is NULL or step is unknown");
    }
    *out = nullptr;
    IVssAsync *async = nullptr;
    const HRESULT hr = (requester_of(requester)->*method)(&async);
    *out = reinterpret_cast<vss_async *>(async);
    return check(function, hr);
}

IVssAsync *async_of(vss_async *async)
{
    return reinterpret_cast<IVssAsync *>(async);
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_create(vss_coordinator *coordinator, vss_requester **out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(out != nullptr, "out is NULL")
    *out = nullptr;
    if (coordinator == nullptr) {
        if (const auto error = vssapi::scenario::environment_error()) {
            return fail(__func__, VSS_E_UNEXPECTED, error->c_str());
        }
    }
    IVssBackupComponentsEx4 *created = new vssapi::requester::BackupComponents(coordinator_of(coordinator));
    *out = reinterpret_cast<vss_requester *>(created);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_requester_release(vss_requester *requester) noexcept
{
    if (requester != nullptr) {
        requester_of(requester)->Release();
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_session_id(vss_requester *requester, vss_guid *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(out != nullptr, "out is NULL")
    GUID id{};
    const HRESULT hr = requester_of(requester)->GetSessionId(&id);
    *out = from_guid(id);
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_initialize_for_backup(vss_requester *requester) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    return check(__func__, requester_of(requester)->InitializeForBackup(nullptr));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_context(vss_requester *requester, int32_t context) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    return check(__func__, requester_of(requester)->SetContext(context));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_backup_state(vss_requester *requester, int32_t select_components,
                                                                  int32_t bootable_system_state, int32_t backup_type,
                                                                  int32_t partial_file_support) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    // Only a value VSS_BACKUP_TYPE holds may become one (C++ makes any other undefined).
    VSSAPI_FLAT_REQUIRE(backup_type >= VSS_BT_UNDEFINED && backup_type <= VSS_BT_OTHER, "backup_type is not a VSS_BACKUP_TYPE")
    return check(__func__, requester_of(requester)->SetBackupState(select_components != 0, bootable_system_state != 0,
                                                                   static_cast<VSS_BACKUP_TYPE>(backup_type),
                                                                   partial_file_support != 0));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_start(vss_requester *requester, vss_step step,
                                                       vss_async **out) noexcept
try {
    return start_step(__func__, requester, step, out);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_run(vss_requester *requester, vss_step step) noexcept
try {
    vss_async *async = nullptr;
    const HRESULT started = start_step(__func__, requester, step, &async);
    if (FAILED(started)) {
        return started; // the message is already there
    }
    IVssAsync *operation = async_of(async);
    const HRESULT waited = operation->Wait(INFINITE);
    HRESULT result = E_UNEXPECTED;
    if (FAILED(waited)) {
        result = waited; // the step goes on; its status is not known here
    } else {
        operation->QueryStatus(&result, nullptr);
    }
    operation->Release();
    if (result == VSS_S_ASYNC_FINISHED) {
        return S_OK;
    }
    return check(__func__, result);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_wait(vss_async *async, uint32_t milliseconds) noexcept
try {
    VSSAPI_FLAT_REQUIRE(async != nullptr, "async is NULL")
    return check(__func__, async_of(async)->Wait(milliseconds));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_status(vss_async *async, vss_hresult *status) noexcept
try {
    VSSAPI_FLAT_REQUIRE(async != nullptr && status != nullptr, "async or status is NULL")
    HRESULT result = E_UNEXPECTED; // HRESULT is long on Windows, vss_hresult int32_t everywhere
    const HRESULT hr = async_of(async)->QueryStatus(&result, nullptr);
    if (SUCCEEDED(hr)) {
        *status = result;
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_cancel(vss_async *async) noexcept
try {
    VSSAPI_FLAT_REQUIRE(async != nullptr, "async is NULL")
    return check(__func__, async_of(async)->Cancel());
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_async_release(vss_async *async) noexcept
{
    if (async != nullptr) {
        async_of(async)->Release();
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_start_snapshot_set(vss_requester *requester,
                                                                    vss_guid *snapshot_set_id) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(snapshot_set_id != nullptr, "snapshot_set_id is NULL")
    GUID id{};
    const HRESULT hr = requester_of(requester)->StartSnapshotSet(&id);
    if (SUCCEEDED(hr)) {
        *snapshot_set_id = from_guid(id);
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_to_snapshot_set(vss_requester *requester, const char *volume,
                                                                     vss_guid *snapshot_id) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(volume != nullptr && snapshot_id != nullptr, "volume or snapshot_id is NULL")
    const Wide name(volume);
    GUID id{};
    const HRESULT hr = requester_of(requester)->AddToSnapshotSet(const_cast<VSS_PWSZ>(name.get()), GUID_NULL, &id);
    if (SUCCEEDED(hr)) {
        *snapshot_id = from_guid(id);
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_abort(vss_requester *requester) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    return check(__func__, requester_of(requester)->AbortBackup());
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_snapshot_props_clear(vss_snapshot_props *props) noexcept
{
    if (props != nullptr) {
        free_strings(props->original_volume, props->device_name);
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_snapshot_props(vss_requester *requester, const vss_guid *snapshot_id,
                                                                vss_snapshot_props *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(snapshot_id != nullptr, "snapshot_id is NULL")
    VSSAPI_FLAT_REQUIRE_SIZED(out)
    VSS_SNAPSHOT_PROP prop{};
    HRESULT hr = check(__func__, requester_of(requester)->GetSnapshotProperties(to_guid(*snapshot_id), &prop));
    if (FAILED(hr)) {
        return hr;
    }
    struct Free {
        VSS_SNAPSHOT_PROP *prop;
        ~Free() { VssFreeSnapshotPropertiesInternal(prop); }
    } free_prop{&prop};
    auto utf8_of = [](const VSS_PWSZ text) {
        return Utf8(vssapi::com::malloc_utf8(vssapi::com::wide_view(text)), &std::free);
    };
    Utf8 volume8 = utf8_of(prop.m_pwszOriginalVolumeName);
    Utf8 device8 = utf8_of(prop.m_pwszSnapshotDeviceObject);
    vss_snapshot_props filled{};
    filled.snapshot_id = from_guid(prop.m_SnapshotId);
    filled.snapshot_set_id = from_guid(prop.m_SnapshotSetId);
    filled.provider_id = from_guid(prop.m_ProviderId);
    filled.snapshots_in_set = prop.m_lSnapshotsCount;
    filled.original_volume = volume8.release();
    filled.device_name = device8.release();
    filled.attributes = prop.m_lSnapshotAttributes;
    filled.creation_time = prop.m_tsCreationTimestamp;
    write_sized(*out, filled);
    return S_OK;
}
VSSAPI_FLAT_CATCH

} // extern "C"
