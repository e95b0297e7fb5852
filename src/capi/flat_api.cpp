// The flat C API (abi/vssapi/vssapi.h): UTF-8, GUIDs by pointer, int32_t
// booleans, size-prefixed structs. Every function translates and calls the
// same COM objects a C++ caller uses; no VSS rule is implemented twice.
// Failures leave a message for this thread (vss_last_error_message).
#include "com/barrier.h"
#include "com/bstr.h"
#include "com/misuse.h"
#include "com/ref.h"
#include "com/utf.h"
#include "core/coordinator.h"
#include "core/hresult_text.h"
#include "core/retry_policy.h"
#include "core/state_machine.h"
#include "requester/backup_components.h"
#include "scenario/load.h"
#include "writer/writer_impl.h"

#include <vsbackup.h>
#include <vssapi/retry.h>
#include <vssapi/vssapi.h>
#include <vswriter.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>

static_assert(sizeof(vss_guid) == sizeof(GUID), "vss_guid is a GUID");
static_assert(sizeof(vss_hresult) == sizeof(HRESULT), "vss_hresult is an HRESULT");

namespace {

using vssapi::com::Bstr;
using vssapi::core::Coordinator;

thread_local std::string t_last_error;

// Records why `function` failed and returns hr unchanged.
HRESULT fail(const char *function, HRESULT hr, const char *detail = nullptr) noexcept
{
    try {
        const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
        char code[16];
        std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(hr));
        t_last_error = std::string(function) + ": " + (text != nullptr ? text->name : code);
        if (detail != nullptr) {
            t_last_error += std::string(" (") + detail + ")";
        } else if (text != nullptr) {
            t_last_error += std::string(" (") + text->meaning + ")";
        }
    } catch (...) {
        // The message is best effort; the HRESULT is the answer.
    }
    return hr;
}

// Returns hr, recording it when it is a failure.
HRESULT check(const char *function, HRESULT hr) noexcept
{
    return FAILED(hr) ? fail(function, hr) : hr;
}

#define FLAT_CATCH(function)                                                                    \
    catch (...)                                                                                 \
    {                                                                                           \
        return fail(function, vssapi::com::hresult_from_current_exception());                  \
    }

GUID to_guid(const vss_guid &id)
{
    GUID out;
    std::memcpy(&out, &id, sizeof out);
    return out;
}

vss_guid from_guid(const GUID &id)
{
    vss_guid out;
    std::memcpy(&out, &id, sizeof out);
    return out;
}

// A UTF-8 argument as UTF-16, keeping NULL apart from "".
struct Wide {
    explicit Wide(const char *utf8)
    {
        if (utf8 != nullptr) {
            text = vssapi::com::utf8_to_utf16(utf8);
        }
    }
    LPCWSTR get() const { return text ? reinterpret_cast<LPCWSTR>(text->c_str()) : nullptr; }
    std::optional<std::u16string> text;
};

char *utf8_or_null(BSTR text)
{
    return text == nullptr ? nullptr : vssapi::com::malloc_utf8(vssapi::com::bstr_view(text));
}

using vssapi::com::Ref;

// ---- handles ------------------------------------------------------------

struct FlatCoordinator {
    std::shared_ptr<Coordinator> coordinator;
    std::shared_ptr<vssapi::core::VirtualClock> virtual_clock; // null for the real clock
};

std::shared_ptr<Coordinator> coordinator_of(vss_coordinator *handle)
{
    return handle != nullptr ? reinterpret_cast<FlatCoordinator *>(handle)->coordinator : Coordinator::current();
}

IVssBackupComponentsEx4 *requester_of(vss_requester *handle)
{
    return reinterpret_cast<IVssBackupComponentsEx4 *>(handle);
}

// A writer of the flat API: the library's IVssWriterImpl plus the caller's
// handlers and user pointer, which the C table's trampolines reach.
struct FlatWriter {
    IVssWriterImpl *impl = nullptr;
    vss_writer_callbacks callbacks{};
    void *user = nullptr;
};

FlatWriter *writer_of(vss_writer *handle)
{
    return reinterpret_cast<FlatWriter *>(handle);
}

vss_writer *handle_of(void *context)
{
    return reinterpret_cast<vss_writer *>(context);
}

FlatWriter &flat(void *context)
{
    return *static_cast<FlatWriter *>(context);
}

int32_t STDMETHODCALLTYPE on_identify(void *c, IVssCreateWriterMetadataEx *metadata)
{
    return flat(c).callbacks.on_identify(flat(c).user, handle_of(c), reinterpret_cast<vss_metadata *>(metadata));
}

#define FLAT_HANDLER(name)                                                                        \
    int32_t STDMETHODCALLTYPE name(void *c)                                                       \
    {                                                                                             \
        return flat(c).callbacks.name(flat(c).user, handle_of(c));                                \
    }
#define FLAT_COMPONENTS_HANDLER(name)                                                             \
    int32_t STDMETHODCALLTYPE name(void *c, IVssWriterComponents *components)                     \
    {                                                                                             \
        return flat(c).callbacks.name(flat(c).user, handle_of(c),                                 \
                                      reinterpret_cast<vss_components *>(components));            \
    }
FLAT_HANDLER(on_prepare_snapshot)
FLAT_HANDLER(on_freeze)
FLAT_HANDLER(on_thaw)
FLAT_HANDLER(on_abort)
FLAT_COMPONENTS_HANDLER(on_prepare_backup)
FLAT_COMPONENTS_HANDLER(on_post_snapshot)
FLAT_COMPONENTS_HANDLER(on_backup_complete)
FLAT_COMPONENTS_HANDLER(on_pre_restore)
FLAT_COMPONENTS_HANDLER(on_post_restore)
#undef FLAT_HANDLER
#undef FLAT_COMPONENTS_HANDLER

int32_t STDMETHODCALLTYPE on_backup_shutdown(void *c, const VSS_ID *snapshot_set_id)
{
    const vss_guid id = from_guid(*snapshot_set_id);
    return flat(c).callbacks.on_backup_shutdown(flat(c).user, handle_of(c), &id);
}

// The steps of vss_step, as IVssBackupComponents methods.
using StepMethod = HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*)(IVssAsync **);
StepMethod step_method(vss_step step)
{
    switch (step) {
    case VSS_STEP_GATHER_WRITER_METADATA: return &IVssBackupComponents::GatherWriterMetadata;
    case VSS_STEP_PREPARE_FOR_BACKUP: return &IVssBackupComponents::PrepareForBackup;
    case VSS_STEP_DO_SNAPSHOT_SET: return &IVssBackupComponents::DoSnapshotSet;
    case VSS_STEP_BACKUP_COMPLETE: return &IVssBackupComponents::BackupComplete;
    case VSS_STEP_GATHER_WRITER_STATUS: return &IVssBackupComponents::GatherWriterStatus;
    }
    return nullptr;
}

// The struct the caller passed is at least as large as the version we fill.
template <class T>
bool sized(const T *value)
{
    return value != nullptr && value->size >= sizeof(T);
}

// A requester count (writers, statuses) through the COM getter that gives it.
HRESULT read_count(const char *function, vss_requester *requester,
                   HRESULT (STDMETHODCALLTYPE IVssBackupComponentsEx4::*getter)(UINT *), uint32_t *count)
{
    if (requester == nullptr || count == nullptr) {
        return fail(function, E_INVALIDARG, "requester or count is NULL");
    }
    UINT n = 0;
    const HRESULT hr = (requester_of(requester)->*getter)(&n);
    if (SUCCEEDED(hr)) {
        *count = n;
    }
    return check(function, hr);
}

// Starts `step`; failures are reported under `function`'s name.
HRESULT start_step(const char *function, vss_requester *requester, vss_step step, vss_async **out)
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

} // namespace

extern "C" {

// ---- library --------------------------------------------------------------

VSSAPI_EXPORT const char *VSS_CALL vss_version(void) noexcept
{
    return "0.1.0";
}

VSSAPI_EXPORT int32_t VSS_CALL vss_abi_version(void) noexcept
{
    return VSSAPI_ABI_VERSION;
}

VSSAPI_EXPORT const char *VSS_CALL vss_last_error_message(void) noexcept
{
    return t_last_error.c_str();
}

VSSAPI_EXPORT void VSS_CALL vss_free(void *memory) noexcept
{
    std::free(memory);
}

VSSAPI_EXPORT const char *VSS_CALL vss_hresult_name(vss_hresult hr) noexcept
{
    const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
    if (text != nullptr) {
        return text->name;
    }
    thread_local char unknown[16];
    std::snprintf(unknown, sizeof unknown, "0x%08X", static_cast<unsigned>(hr));
    return unknown;
}

VSSAPI_EXPORT const char *VSS_CALL vss_hresult_meaning(vss_hresult hr) noexcept
{
    const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
    return text != nullptr ? text->meaning : "not a VSS or common COM code";
}

VSSAPI_EXPORT const char *VSS_CALL vss_writer_state_name(int32_t state) noexcept
{
    if (state < VSS_WS_UNKNOWN || state >= VSS_WS_COUNT) {
        return "?";
    }
    return vssapi::core::state_name(static_cast<VSS_WRITER_STATE>(state));
}

VSSAPI_EXPORT int32_t VSS_CALL vss_is_retryable(vss_hresult hr) noexcept
{
    switch (vssapi::core::retry_class(hr)) {
    case vssapi::core::RetryClass::AfterWait: return 1;
    case vssapi::core::RetryClass::ShortBackOff: return 2;
    case vssapi::core::RetryClass::No: break;
    }
    return 0;
}

// ---- coordinator ----------------------------------------------------------

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_default(vss_coordinator **out) noexcept
try {
    if (out == nullptr) {
        return fail("vss_coordinator_default", E_INVALIDARG, "out is NULL");
    }
    *out = reinterpret_cast<vss_coordinator *>(new FlatCoordinator{Coordinator::current(), nullptr});
    return S_OK;
}
FLAT_CATCH("vss_coordinator_default")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_create(const vss_coordinator_options *options,
                                                          vss_coordinator **out) noexcept
try {
    if (out == nullptr || (options != nullptr && options->size < sizeof(vss_coordinator_options))) {
        return fail("vss_coordinator_create", E_INVALIDARG, "out is NULL or options->size is too small");
    }
    *out = nullptr;
    vssapi::core::CoordinatorOptions settings;
    std::shared_ptr<vssapi::core::VirtualClock> virtual_clock;
    if (options != nullptr) {
        settings.workers = options->workers;
        if (options->event_timeout_ms != 0) {
            settings.event_timeout = vssapi::core::Duration(options->event_timeout_ms);
        }
        if (options->commit_window_ms != 0) {
            settings.commit_window = vssapi::core::Duration(options->commit_window_ms);
        }
        if (options->session_limit != 0) {
            settings.session_limit = options->session_limit;
        }
        if (options->virtual_clock == VSS_CLOCK_MANUAL) {
            virtual_clock = std::make_shared<vssapi::core::VirtualClock>();
            settings.clock = virtual_clock;
        } else if (options->virtual_clock == VSS_CLOCK_SIMULATED) {
            settings.clock = std::make_shared<vssapi::core::SimulatedClock>();
        } else if (options->virtual_clock != VSS_CLOCK_REAL) {
            return fail("vss_coordinator_create", E_INVALIDARG, "options->virtual_clock is not a vss_clock_kind");
        }
    }
    *out = reinterpret_cast<vss_coordinator *>(
        new FlatCoordinator{Coordinator::create(std::move(settings)), std::move(virtual_clock)});
    return S_OK;
}
FLAT_CATCH("vss_coordinator_create")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_advance_clock(vss_coordinator *coordinator,
                                                                 uint64_t milliseconds) noexcept
try {
    if (coordinator == nullptr) {
        return fail("vss_coordinator_advance_clock", E_INVALIDARG, "coordinator is NULL");
    }
    auto *flat_coordinator = reinterpret_cast<FlatCoordinator *>(coordinator);
    if (!flat_coordinator->virtual_clock) {
        return fail("vss_coordinator_advance_clock", VSS_E_BAD_STATE,
                    "only a VSS_CLOCK_MANUAL clock moves by hand; this coordinator has a real clock or a simulated one");
    }
    flat_coordinator->virtual_clock->advance(vssapi::core::Duration(milliseconds));
    return S_OK;
}
FLAT_CATCH("vss_coordinator_advance_clock")

VSSAPI_EXPORT void VSS_CALL vss_coordinator_release(vss_coordinator *coordinator) noexcept
{
    delete reinterpret_cast<FlatCoordinator *>(coordinator);
}

// ---- writer ---------------------------------------------------------------

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_create(vss_coordinator *coordinator, const vss_writer_info *info,
                                                     const vss_writer_callbacks *callbacks, void *user,
                                                     vss_writer **out) noexcept
try {
    constexpr const char *function = "vss_writer_create";
    if (out == nullptr) {
        return fail(function, E_INVALIDARG, "out is NULL");
    }
    *out = nullptr;
    if (!sized(info) || info->class_id == nullptr || info->name == nullptr) {
        return fail(function, E_INVALIDARG, "info is NULL, too small, or lacks class_id or name");
    }
    if (callbacks != nullptr && callbacks->size < sizeof(vss_writer_callbacks)) {
        return fail(function, E_INVALIDARG, "callbacks->size is too small");
    }
    auto writer = std::make_unique<FlatWriter>();
    if (callbacks != nullptr) {
        writer->callbacks = *callbacks;
    }
    writer->user = user;
    const vss_writer_callbacks &cb = writer->callbacks;
    VSSAPI_WRITER_CALLBACKS table{};
    table.cbSize = sizeof table;
    table.pContext = writer.get();
    table.OnIdentifyEx = cb.on_identify != nullptr ? &on_identify : nullptr;
    table.OnPrepareBackup = cb.on_prepare_backup != nullptr ? &on_prepare_backup : nullptr;
    table.OnPrepareSnapshot = cb.on_prepare_snapshot != nullptr ? &on_prepare_snapshot : nullptr;
    table.OnFreeze = cb.on_freeze != nullptr ? &on_freeze : nullptr;
    table.OnThaw = cb.on_thaw != nullptr ? &on_thaw : nullptr;
    table.OnAbort = cb.on_abort != nullptr ? &on_abort : nullptr;
    table.OnPostSnapshot = cb.on_post_snapshot != nullptr ? &on_post_snapshot : nullptr;
    table.OnBackupComplete = cb.on_backup_complete != nullptr ? &on_backup_complete : nullptr;
    table.OnBackupShutdown = cb.on_backup_shutdown != nullptr ? &on_backup_shutdown : nullptr;
    table.OnPreRestore = cb.on_pre_restore != nullptr ? &on_pre_restore : nullptr;
    table.OnPostRestore = cb.on_post_restore != nullptr ? &on_post_restore : nullptr;

    Ref<IVssWriterImpl> impl;
    HRESULT hr = vssapi_create_writer_impl(&table, impl.out());
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    static_cast<vssapi::writer::WriterImpl *>(impl.p)->bind(coordinator_of(coordinator));
    const Wide name(info->name);
    const Wide instance_name(info->instance_name);
    hr = impl->Initialize(to_guid(*info->class_id), name.get(), instance_name.get(), info->version_major,
                          info->version_minor, static_cast<VSS_USAGE_TYPE>(info->usage),
                          static_cast<VSS_SOURCE_TYPE>(info->source),
                          info->level == 0 ? VSS_APP_FRONT_END : static_cast<VSS_APPLICATION_LEVEL>(info->level),
                          info->freeze_timeout_ms == 0 ? 60000 : info->freeze_timeout_ms, VSS_AWS_NO_ALTERNATE_WRITER,
                          false);
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    writer->impl = impl.p;
    impl.p = nullptr;
    *out = reinterpret_cast<vss_writer *>(writer.release());
    return S_OK;
}
FLAT_CATCH("vss_writer_create")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_subscribe(vss_writer *writer) noexcept
try {
    if (writer == nullptr) {
        return fail("vss_writer_subscribe", E_INVALIDARG, "writer is NULL");
    }
    return check("vss_writer_subscribe", writer_of(writer)->impl->Subscribe(0, VSS_SM_ALL_FLAGS));
}
FLAT_CATCH("vss_writer_subscribe")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_unsubscribe(vss_writer *writer) noexcept
try {
    if (writer == nullptr) {
        return fail("vss_writer_unsubscribe", E_INVALIDARG, "writer is NULL");
    }
    return check("vss_writer_unsubscribe", writer_of(writer)->impl->Unsubscribe());
}
FLAT_CATCH("vss_writer_unsubscribe")

VSSAPI_EXPORT void VSS_CALL vss_writer_release(vss_writer *writer) noexcept
{
    if (writer == nullptr) {
        return;
    }
    const auto core_writer = static_cast<vssapi::writer::WriterImpl *>(writer_of(writer)->impl)->core_writer();
    if (core_writer && core_writer->current_call() != nullptr) {
        // The running handler still uses this writer: releasing it here would
        // free it under the handler's feet. A caller bug, reported, not done.
        vssapi::com::report_misuse("vss_writer", "vss_writer_release from inside one of its own handlers");
        return;
    }
    std::unique_ptr<FlatWriter> owned(writer_of(writer));
    owned->impl->Uninitialize(); // waits for a running handler: none runs after this
    owned->impl->Release();
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_instance_id(vss_writer *writer, vss_guid *out) noexcept
try {
    if (writer == nullptr || out == nullptr) {
        return fail("vss_writer_instance_id", E_INVALIDARG, "writer or out is NULL");
    }
    const auto core_writer = static_cast<vssapi::writer::WriterImpl *>(writer_of(writer)->impl)->core_writer();
    *out = from_guid(core_writer->identity().instance_id);
    return S_OK;
}
FLAT_CATCH("vss_writer_instance_id")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_set_failure_ex(vss_writer *writer, vss_hresult hr_writer,
                                                             vss_hresult hr_application, const char *message) noexcept
try {
    if (writer == nullptr) {
        return fail("vss_writer_set_failure_ex", E_INVALIDARG, "writer is NULL");
    }
    const Wide text(message);
    return check("vss_writer_set_failure_ex",
                 writer_of(writer)->impl->SetWriterFailureEx(hr_writer, hr_application, text.get()));
}
FLAT_CATCH("vss_writer_set_failure_ex")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_set_failure(vss_writer *writer, vss_hresult hr_writer) noexcept
try {
    if (writer == nullptr) {
        return fail("vss_writer_set_failure", E_INVALIDARG, "writer is NULL");
    }
    return check("vss_writer_set_failure", writer_of(writer)->impl->SetWriterFailure(hr_writer));
}
FLAT_CATCH("vss_writer_set_failure")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_session_id(vss_writer *writer, vss_guid *out) noexcept
try {
    if (writer == nullptr || out == nullptr) {
        return fail("vss_writer_session_id", E_INVALIDARG, "writer or out is NULL");
    }
    GUID id{};
    const HRESULT hr = writer_of(writer)->impl->GetSessionId(&id);
    if (SUCCEEDED(hr)) {
        *out = from_guid(id);
    }
    return check("vss_writer_session_id", hr);
}
FLAT_CATCH("vss_writer_session_id")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_component(vss_metadata *metadata, int32_t type,
                                                              const char *logical_path, const char *name,
                                                              const char *caption, int32_t selectable) noexcept
try {
    if (metadata == nullptr) {
        return fail("vss_metadata_add_component", E_INVALIDARG, "metadata is NULL");
    }
    const Wide path(logical_path), component(name), title(caption);
    return check("vss_metadata_add_component",
                 reinterpret_cast<IVssCreateWriterMetadataEx *>(metadata)->AddComponent(
                     static_cast<VSS_COMPONENT_TYPE>(type), path.get(), component.get(), title.get(), nullptr, 0,
                     false, false, selectable != 0));
}
FLAT_CATCH("vss_metadata_add_component")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_files(vss_metadata *metadata, int32_t kind,
                                                          const char *logical_path, const char *component_name,
                                                          const char *path, const char *filespec,
                                                          int32_t recursive) noexcept
try {
    constexpr const char *function = "vss_metadata_add_files";
    if (metadata == nullptr) {
        return fail(function, E_INVALIDARG, "metadata is NULL");
    }
    auto *md = reinterpret_cast<IVssCreateWriterMetadataEx *>(metadata);
    const Wide lp(logical_path), name(component_name), where(path), spec(filespec);
    switch (kind) {
    case 0:
        return check(function, md->AddFilesToFileGroup(lp.get(), name.get(), where.get(), spec.get(), recursive != 0,
                                                       nullptr));
    case 1: return check(function, md->AddDatabaseFiles(lp.get(), name.get(), where.get(), spec.get()));
    case 2: return check(function, md->AddDatabaseLogFiles(lp.get(), name.get(), where.get(), spec.get()));
    default: return fail(function, E_INVALIDARG, "kind is not 0, 1 or 2");
    }
}
FLAT_CATCH("vss_metadata_add_files")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_include_files(vss_metadata *metadata, const char *path,
                                                                  const char *filespec, int32_t recursive) noexcept
try {
    if (metadata == nullptr) {
        return fail("vss_metadata_add_include_files", E_INVALIDARG, "metadata is NULL");
    }
    const Wide where(path), spec(filespec);
    return check("vss_metadata_add_include_files",
                 reinterpret_cast<IVssCreateWriterMetadataEx *>(metadata)->AddIncludeFiles(
                     where.get(), spec.get(), recursive != 0, nullptr));
}
FLAT_CATCH("vss_metadata_add_include_files")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_exclude_files(vss_metadata *metadata, const char *path,
                                                                  const char *filespec, int32_t recursive) noexcept
try {
    if (metadata == nullptr) {
        return fail("vss_metadata_add_exclude_files", E_INVALIDARG, "metadata is NULL");
    }
    const Wide where(path), spec(filespec);
    return check("vss_metadata_add_exclude_files",
                 reinterpret_cast<IVssCreateWriterMetadataEx *>(metadata)->AddExcludeFiles(where.get(), spec.get(),
                                                                                           recursive != 0));
}
FLAT_CATCH("vss_metadata_add_exclude_files")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_count(vss_components *components, uint32_t *count) noexcept
try {
    if (components == nullptr || count == nullptr) {
        return fail("vss_components_count", E_INVALIDARG, "components or count is NULL");
    }
    UINT n = 0;
    const HRESULT hr = reinterpret_cast<IVssWriterComponents *>(components)->GetComponentCount(&n);
    if (SUCCEEDED(hr)) {
        *count = n;
    }
    return check("vss_components_count", hr);
}
FLAT_CATCH("vss_components_count")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_get(vss_components *components, uint32_t index,
                                                      char **logical_path, char **name) noexcept
try {
    constexpr const char *function = "vss_components_get";
    if (components == nullptr) {
        return fail(function, E_INVALIDARG, "components is NULL");
    }
    Ref<IVssComponent> component;
    HRESULT hr = reinterpret_cast<IVssWriterComponents *>(components)->GetComponent(index, component.out());
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    Bstr path, component_name;
    component->GetLogicalPath(path.put());
    component->GetComponentName(component_name.put());
    std::unique_ptr<char, decltype(&std::free)> path8(utf8_or_null(path.get()), &std::free);
    std::unique_ptr<char, decltype(&std::free)> name8(utf8_or_null(component_name.get()), &std::free);
    if (logical_path != nullptr) {
        *logical_path = path8.release();
    }
    if (name != nullptr) {
        *name = name8.release();
    }
    return S_OK;
}
FLAT_CATCH("vss_components_get")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_set_failure(vss_components *components, uint32_t index,
                                                              vss_hresult hr, vss_hresult hr_application,
                                                              const char *message) noexcept
try {
    constexpr const char *function = "vss_components_set_failure";
    if (components == nullptr) {
        return fail(function, E_INVALIDARG, "components is NULL");
    }
    Ref<IVssComponent> component;
    HRESULT result = reinterpret_cast<IVssWriterComponents *>(components)->GetComponent(index, component.out());
    if (FAILED(result)) {
        return fail(function, result);
    }
    Ref<IVssComponentEx2> component_ex2;
    result = component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(component_ex2.out()));
    if (FAILED(result)) {
        return fail(function, result);
    }
    const Wide text(message);
    return check(function, component_ex2->SetFailure(hr, hr_application, text.get(), 0));
}
FLAT_CATCH("vss_components_set_failure")

// ---- requester ------------------------------------------------------------

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_create(vss_coordinator *coordinator, vss_requester **out) noexcept
try {
    if (out == nullptr) {
        return fail("vss_requester_create", E_INVALIDARG, "out is NULL");
    }
    *out = nullptr;
    if (coordinator == nullptr) {
        if (const auto error = vssapi::scenario::environment_error()) {
            return fail("vss_requester_create", VSS_E_UNEXPECTED, error->c_str());
        }
    }
    IVssBackupComponentsEx4 *created = new vssapi::requester::BackupComponents(coordinator_of(coordinator));
    *out = reinterpret_cast<vss_requester *>(created);
    return S_OK;
}
FLAT_CATCH("vss_requester_create")

VSSAPI_EXPORT void VSS_CALL vss_requester_release(vss_requester *requester) noexcept
{
    if (requester != nullptr) {
        requester_of(requester)->Release();
    }
}

#define REQUIRE_REQUESTER(function)                                                                \
    if (requester == nullptr) {                                                                    \
        return fail(function, E_INVALIDARG, "requester is NULL");                                  \
    }

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_session_id(vss_requester *requester, vss_guid *out) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_session_id")
    if (out == nullptr) {
        return fail("vss_requester_session_id", E_INVALIDARG, "out is NULL");
    }
    GUID id{};
    const HRESULT hr = requester_of(requester)->GetSessionId(&id);
    *out = from_guid(id);
    return check("vss_requester_session_id", hr);
}
FLAT_CATCH("vss_requester_session_id")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_initialize_for_backup(vss_requester *requester) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_initialize_for_backup")
    return check("vss_requester_initialize_for_backup", requester_of(requester)->InitializeForBackup(nullptr));
}
FLAT_CATCH("vss_requester_initialize_for_backup")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_context(vss_requester *requester, int32_t context) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_set_context")
    return check("vss_requester_set_context", requester_of(requester)->SetContext(context));
}
FLAT_CATCH("vss_requester_set_context")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_backup_state(vss_requester *requester, int32_t select_components,
                                                                  int32_t bootable_system_state, int32_t backup_type,
                                                                  int32_t partial_file_support) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_set_backup_state")
    return check("vss_requester_set_backup_state",
                 requester_of(requester)->SetBackupState(select_components != 0, bootable_system_state != 0,
                                                         static_cast<VSS_BACKUP_TYPE>(backup_type),
                                                         partial_file_support != 0));
}
FLAT_CATCH("vss_requester_set_backup_state")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_start(vss_requester *requester, vss_step step,
                                                       vss_async **out) noexcept
try {
    return start_step("vss_requester_start", requester, step, out);
}
FLAT_CATCH("vss_requester_start")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_run(vss_requester *requester, vss_step step) noexcept
try {
    vss_async *async = nullptr;
    const HRESULT started = start_step("vss_requester_run", requester, step, &async);
    if (FAILED(started)) {
        return started; // the message is already there
    }
    auto *operation = reinterpret_cast<IVssAsync *>(async);
    operation->Wait(INFINITE);
    HRESULT result = E_UNEXPECTED;
    operation->QueryStatus(&result, nullptr);
    operation->Release();
    if (result == VSS_S_ASYNC_FINISHED) {
        return S_OK;
    }
    return check("vss_requester_run", result);
}
FLAT_CATCH("vss_requester_run")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_wait(vss_async *async, uint32_t milliseconds) noexcept
try {
    if (async == nullptr) {
        return fail("vss_async_wait", E_INVALIDARG, "async is NULL");
    }
    return check("vss_async_wait", reinterpret_cast<IVssAsync *>(async)->Wait(milliseconds));
}
FLAT_CATCH("vss_async_wait")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_status(vss_async *async, vss_hresult *status) noexcept
try {
    if (async == nullptr || status == nullptr) {
        return fail("vss_async_status", E_INVALIDARG, "async or status is NULL");
    }
    HRESULT result = E_UNEXPECTED; // HRESULT is long on Windows, vss_hresult int32_t everywhere
    const HRESULT hr = reinterpret_cast<IVssAsync *>(async)->QueryStatus(&result, nullptr);
    if (SUCCEEDED(hr)) {
        *status = result;
    }
    return check("vss_async_status", hr);
}
FLAT_CATCH("vss_async_status")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_cancel(vss_async *async) noexcept
try {
    if (async == nullptr) {
        return fail("vss_async_cancel", E_INVALIDARG, "async is NULL");
    }
    return check("vss_async_cancel", reinterpret_cast<IVssAsync *>(async)->Cancel());
}
FLAT_CATCH("vss_async_cancel")

VSSAPI_EXPORT void VSS_CALL vss_async_release(vss_async *async) noexcept
{
    if (async != nullptr) {
        reinterpret_cast<IVssAsync *>(async)->Release();
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_count(vss_requester *requester, uint32_t *count) noexcept
try {
    return read_count("vss_requester_writer_count", requester, &IVssBackupComponentsEx4::GetWriterMetadataCount, count);
}
FLAT_CATCH("vss_requester_writer_count")

VSSAPI_EXPORT void VSS_CALL vss_writer_identity_clear(vss_writer_identity *identity) noexcept
{
    if (identity != nullptr) {
        std::free(identity->name);
        std::free(identity->instance_name);
        identity->name = nullptr;
        identity->instance_name = nullptr;
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_identity(vss_requester *requester, uint32_t index,
                                                                 vss_writer_identity *out) noexcept
try {
    constexpr const char *function = "vss_requester_writer_identity";
    REQUIRE_REQUESTER(function)
    if (!sized(out)) {
        return fail(function, E_INVALIDARG, "out is NULL or out->size is too small");
    }
    VSS_ID instance{};
    Ref<IVssExamineWriterMetadataEx> metadata;
    HRESULT hr = requester_of(requester)->GetWriterMetadataEx(index, &instance, metadata.out());
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    VSS_ID instance_again{}, klass{};
    Bstr name, instance_name;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    hr = metadata->GetIdentityEx(&instance_again, &klass, name.put(),
                                 instance_name.put(), &usage, &source);
    UINT include = 0, exclude = 0, components = 0;
    if (SUCCEEDED(hr)) {
        hr = metadata->GetFileCounts(&include, &exclude, &components);
    }
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    std::unique_ptr<char, decltype(&std::free)> name8(utf8_or_null(name.get()), &std::free);
    std::unique_ptr<char, decltype(&std::free)> instance8(utf8_or_null(instance_name.get()), &std::free);
    out->instance_id = from_guid(instance);
    out->class_id = from_guid(klass);
    out->name = name8.release();
    out->instance_name = instance8.release();
    out->usage = usage;
    out->source = source;
    out->component_count = components;
    return S_OK;
}
FLAT_CATCH("vss_requester_writer_identity")

VSSAPI_EXPORT void VSS_CALL vss_component_info_clear(vss_component_info *info) noexcept
{
    if (info != nullptr) {
        std::free(info->logical_path);
        std::free(info->name);
        std::free(info->caption);
        info->logical_path = info->name = info->caption = nullptr;
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_component(vss_requester *requester, uint32_t writer_index,
                                                                  uint32_t component_index,
                                                                  vss_component_info *out) noexcept
try {
    constexpr const char *function = "vss_requester_writer_component";
    REQUIRE_REQUESTER(function)
    if (!sized(out)) {
        return fail(function, E_INVALIDARG, "out is NULL or out->size is too small");
    }
    VSS_ID instance{};
    Ref<IVssExamineWriterMetadataEx> metadata;
    HRESULT hr = requester_of(requester)->GetWriterMetadataEx(writer_index, &instance, metadata.out());
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    Ref<IVssWMComponent> component;
    hr = metadata->GetComponent(component_index, component.out());
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    PVSSCOMPONENTINFO info = nullptr;
    hr = component->GetComponentInfo(&info);
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    struct Free {
        IVssWMComponent *component;
        PVSSCOMPONENTINFO info;
        ~Free() { component->FreeComponentInfo(info); }
    } free_info{component.p, info};
    std::unique_ptr<char, decltype(&std::free)> path8(utf8_or_null(info->bstrLogicalPath), &std::free);
    std::unique_ptr<char, decltype(&std::free)> name8(utf8_or_null(info->bstrComponentName), &std::free);
    std::unique_ptr<char, decltype(&std::free)> caption8(utf8_or_null(info->bstrCaption), &std::free);
    out->type = info->type;
    out->logical_path = path8.release();
    out->name = name8.release();
    out->caption = caption8.release();
    out->selectable = info->bSelectable ? 1 : 0;
    out->file_count = info->cFileCount;
    out->database_count = info->cDatabases;
    out->log_count = info->cLogFiles;
    return S_OK;
}
FLAT_CATCH("vss_requester_writer_component")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_component(vss_requester *requester, const vss_guid *instance_id,
                                                               const vss_guid *class_id, int32_t type,
                                                               const char *logical_path, const char *name) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_add_component")
    if (instance_id == nullptr || class_id == nullptr || name == nullptr) {
        return fail("vss_requester_add_component", E_INVALIDARG, "instance_id, class_id or name is NULL");
    }
    const Wide path(logical_path), component(name);
    return check("vss_requester_add_component",
                 requester_of(requester)->AddComponent(to_guid(*instance_id), to_guid(*class_id),
                                                       static_cast<VSS_COMPONENT_TYPE>(type), path.get(),
                                                       component.get()));
}
FLAT_CATCH("vss_requester_add_component")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_all_components(vss_requester *requester) noexcept
try {
    constexpr const char *function = "vss_requester_add_all_components";
    REQUIRE_REQUESTER(function)
    IVssBackupComponentsEx4 *backup = requester_of(requester);
    UINT writers = 0;
    HRESULT hr = backup->GetWriterMetadataCount(&writers);
    for (UINT w = 0; SUCCEEDED(hr) && w < writers; ++w) {
        VSS_ID instance{};
        Ref<IVssExamineWriterMetadataEx> metadata;
        hr = backup->GetWriterMetadataEx(w, &instance, metadata.out());
        VSS_ID instance_again{}, klass{};
        Bstr name;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        UINT include = 0, exclude = 0, components = 0;
        if (SUCCEEDED(hr)) {
            hr = metadata->GetIdentity(&instance_again, &klass, name.put(), &usage, &source);
        }
        if (SUCCEEDED(hr)) {
            hr = metadata->GetFileCounts(&include, &exclude, &components);
        }
        for (UINT c = 0; SUCCEEDED(hr) && c < components; ++c) {
            Ref<IVssWMComponent> component;
            PVSSCOMPONENTINFO info = nullptr;
            hr = metadata->GetComponent(c, component.out());
            if (SUCCEEDED(hr)) {
                hr = component->GetComponentInfo(&info);
            }
            if (SUCCEEDED(hr)) {
                hr = backup->AddComponent(instance, klass, info->type, info->bstrLogicalPath, info->bstrComponentName);
                if (hr == VSS_E_OBJECT_ALREADY_EXISTS) {
                    hr = S_OK; // already selected: fine
                }
                component->FreeComponentInfo(info);
            }
        }
    }
    return check(function, hr);
}
FLAT_CATCH("vss_requester_add_all_components")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_start_snapshot_set(vss_requester *requester,
                                                                    vss_guid *snapshot_set_id) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_start_snapshot_set")
    if (snapshot_set_id == nullptr) {
        return fail("vss_requester_start_snapshot_set", E_INVALIDARG, "snapshot_set_id is NULL");
    }
    GUID id{};
    const HRESULT hr = requester_of(requester)->StartSnapshotSet(&id);
    if (SUCCEEDED(hr)) {
        *snapshot_set_id = from_guid(id);
    }
    return check("vss_requester_start_snapshot_set", hr);
}
FLAT_CATCH("vss_requester_start_snapshot_set")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_to_snapshot_set(vss_requester *requester, const char *volume,
                                                                     vss_guid *snapshot_id) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_add_to_snapshot_set")
    if (volume == nullptr || snapshot_id == nullptr) {
        return fail("vss_requester_add_to_snapshot_set", E_INVALIDARG, "volume or snapshot_id is NULL");
    }
    const Wide name(volume);
    GUID id{};
    const HRESULT hr =
        requester_of(requester)->AddToSnapshotSet(const_cast<VSS_PWSZ>(name.get()), GUID_NULL, &id);
    if (SUCCEEDED(hr)) {
        *snapshot_id = from_guid(id);
    }
    return check("vss_requester_add_to_snapshot_set", hr);
}
FLAT_CATCH("vss_requester_add_to_snapshot_set")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_abort(vss_requester *requester) noexcept
try {
    REQUIRE_REQUESTER("vss_requester_abort")
    return check("vss_requester_abort", requester_of(requester)->AbortBackup());
}
FLAT_CATCH("vss_requester_abort")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_status_count(vss_requester *requester, uint32_t *count) noexcept
try {
    return read_count("vss_requester_status_count", requester, &IVssBackupComponentsEx4::GetWriterStatusCount, count);
}
FLAT_CATCH("vss_requester_status_count")

VSSAPI_EXPORT void VSS_CALL vss_writer_status_clear(vss_writer_status *status) noexcept
{
    if (status != nullptr) {
        std::free(status->name);
        std::free(status->message);
        status->name = status->message = nullptr;
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_status(vss_requester *requester, uint32_t index,
                                                        vss_writer_status *out) noexcept
try {
    constexpr const char *function = "vss_requester_status";
    REQUIRE_REQUESTER(function)
    if (!sized(out)) {
        return fail(function, E_INVALIDARG, "out is NULL or out->size is too small");
    }
    VSS_ID instance{}, klass{};
    Bstr name, message;
    VSS_WRITER_STATE state{};
    HRESULT hr_writer = S_OK, hr_application = S_OK;
    const HRESULT hr = requester_of(requester)->GetWriterStatusEx(index, &instance, &klass, name.put(),
                                                                  &state, &hr_writer, &hr_application,
                                                                  message.put());
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    std::unique_ptr<char, decltype(&std::free)> name8(utf8_or_null(name.get()), &std::free);
    std::unique_ptr<char, decltype(&std::free)> message8(utf8_or_null(message.get()), &std::free);
    out->instance_id = from_guid(instance);
    out->class_id = from_guid(klass);
    out->name = name8.release();
    out->state = state;
    out->hr_failure_writer = hr_writer;
    out->hr_application = hr_application;
    out->message = message8.release();
    return S_OK;
}
FLAT_CATCH("vss_requester_status")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_component_count(vss_requester *requester, uint32_t *count) noexcept
try {
    constexpr const char *function = "vss_requester_component_count";
    REQUIRE_REQUESTER(function)
    if (count == nullptr) {
        return fail(function, E_INVALIDARG, "count is NULL");
    }
    UINT writers = 0;
    HRESULT hr = requester_of(requester)->GetWriterComponentsCount(&writers);
    uint32_t total = 0;
    for (UINT w = 0; SUCCEEDED(hr) && w < writers; ++w) {
        Ref<IVssWriterComponentsExt> components;
        hr = requester_of(requester)->GetWriterComponents(w, components.out());
        UINT n = 0;
        if (SUCCEEDED(hr)) {
            hr = components->GetComponentCount(&n);
        }
        total += n;
    }
    if (SUCCEEDED(hr)) {
        *count = total;
    }
    return check(function, hr);
}
FLAT_CATCH("vss_requester_component_count")

VSSAPI_EXPORT void VSS_CALL vss_component_failure_clear(vss_component_failure *failure) noexcept
{
    if (failure != nullptr) {
        std::free(failure->logical_path);
        std::free(failure->name);
        std::free(failure->message);
        failure->logical_path = failure->name = failure->message = nullptr;
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_component_failure(vss_requester *requester, uint32_t index,
                                                                   vss_component_failure *out) noexcept
try {
    constexpr const char *function = "vss_requester_component_failure";
    REQUIRE_REQUESTER(function)
    if (!sized(out)) {
        return fail(function, E_INVALIDARG, "out is NULL or out->size is too small");
    }
    UINT writers = 0;
    HRESULT hr = requester_of(requester)->GetWriterComponentsCount(&writers);
    for (UINT w = 0; SUCCEEDED(hr) && w < writers; ++w) {
        Ref<IVssWriterComponentsExt> components;
        hr = requester_of(requester)->GetWriterComponents(w, components.out());
        UINT n = 0;
        if (SUCCEEDED(hr)) {
            hr = components->GetComponentCount(&n);
        }
        if (FAILED(hr) || index >= n) {
            index -= SUCCEEDED(hr) ? n : 0;
            continue;
        }
        VSS_ID instance{}, klass{};
        hr = components->GetWriterInfo(&instance, &klass);
        Ref<IVssComponent> component;
        if (SUCCEEDED(hr)) {
            hr = components->GetComponent(index, component.out());
        }
        Ref<IVssComponentEx2> component_ex2;
        if (SUCCEEDED(hr)) {
            hr = component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(component_ex2.out()));
        }
        HRESULT failure = S_OK, application = S_OK;
        Bstr message, path, name;
        DWORD reserved = 0;
        if (SUCCEEDED(hr)) {
            hr = component_ex2->GetFailure(&failure, &application, message.put(), &reserved);
        }
        if (FAILED(hr)) {
            return fail(function, hr);
        }
        component->GetLogicalPath(path.put());
        component->GetComponentName(name.put());
        std::unique_ptr<char, decltype(&std::free)> path8(utf8_or_null(path.get()), &std::free);
        std::unique_ptr<char, decltype(&std::free)> name8(utf8_or_null(name.get()), &std::free);
        std::unique_ptr<char, decltype(&std::free)> message8(utf8_or_null(message.get()), &std::free);
        out->instance_id = from_guid(instance);
        out->class_id = from_guid(klass);
        out->logical_path = path8.release();
        out->name = name8.release();
        out->hr = failure;
        out->hr_application = application;
        out->message = message8.release();
        return S_OK;
    }
    return fail(function, FAILED(hr) ? hr : VSS_E_OBJECT_NOT_FOUND);
}
FLAT_CATCH("vss_requester_component_failure")

VSSAPI_EXPORT void VSS_CALL vss_snapshot_props_clear(vss_snapshot_props *props) noexcept
{
    if (props != nullptr) {
        std::free(props->original_volume);
        std::free(props->device_name);
        props->original_volume = props->device_name = nullptr;
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_snapshot_props(vss_requester *requester, const vss_guid *snapshot_id,
                                                                vss_snapshot_props *out) noexcept
try {
    constexpr const char *function = "vss_requester_snapshot_props";
    REQUIRE_REQUESTER(function)
    if (snapshot_id == nullptr || !sized(out)) {
        return fail(function, E_INVALIDARG, "snapshot_id is NULL, or out is NULL or too small");
    }
    VSS_SNAPSHOT_PROP prop{};
    const HRESULT hr = requester_of(requester)->GetSnapshotProperties(to_guid(*snapshot_id), &prop);
    if (FAILED(hr)) {
        return fail(function, hr);
    }
    struct Free {
        VSS_SNAPSHOT_PROP *prop;
        ~Free() { VssFreeSnapshotPropertiesInternal(prop); }
    } free_prop{&prop};
    auto utf8_of = [](const VSS_PWSZ text) {
        return vssapi::com::malloc_utf8(vssapi::com::wide_view(text));
    };
    std::unique_ptr<char, decltype(&std::free)> volume8(utf8_of(prop.m_pwszOriginalVolumeName), &std::free);
    std::unique_ptr<char, decltype(&std::free)> device8(utf8_of(prop.m_pwszSnapshotDeviceObject), &std::free);
    out->snapshot_id = from_guid(prop.m_SnapshotId);
    out->snapshot_set_id = from_guid(prop.m_SnapshotSetId);
    out->provider_id = from_guid(prop.m_ProviderId);
    out->snapshots_in_set = prop.m_lSnapshotsCount;
    out->original_volume = volume8.release();
    out->device_name = device8.release();
    out->attributes = prop.m_lSnapshotAttributes;
    out->creation_time = prop.m_tsCreationTimestamp;
    return S_OK;
}
FLAT_CATCH("vss_requester_snapshot_props")

// ---- scenarios --------------------------------------------------------------

namespace {

vss_hresult load_scenario(const char *function, vss_coordinator *coordinator,
                          const vssapi::scenario::ParseResult &parsed, vss_scenario **out)
{
    if (!parsed.scenario) {
        const std::string message = parsed.error->to_string();
        return fail(function, E_INVALIDARG, message.c_str());
    }
    std::unique_ptr<vssapi::scenario::LoadedScenario> loaded;
    std::string error;
    const HRESULT hr = vssapi::scenario::LoadedScenario::load(coordinator_of(coordinator), *parsed.scenario,
                                                              loaded, error);
    if (FAILED(hr)) {
        return fail(function, hr, error.c_str());
    }
    *out = reinterpret_cast<vss_scenario *>(loaded.release());
    return S_OK;
}

} // namespace

VSSAPI_EXPORT vss_hresult VSS_CALL vss_scenario_load(vss_coordinator *coordinator, const char *path,
                                                     vss_scenario **out) noexcept
try {
    if (out == nullptr || path == nullptr) {
        return fail("vss_scenario_load", E_INVALIDARG, "path or out is NULL");
    }
    *out = nullptr;
    return load_scenario("vss_scenario_load", coordinator, vssapi::scenario::parse_scenario_file(path), out);
}
FLAT_CATCH("vss_scenario_load")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_scenario_load_text(vss_coordinator *coordinator, const char *json,
                                                          vss_scenario **out) noexcept
try {
    if (out == nullptr || json == nullptr) {
        return fail("vss_scenario_load_text", E_INVALIDARG, "json or out is NULL");
    }
    *out = nullptr;
    return load_scenario("vss_scenario_load_text", coordinator,
                         vssapi::scenario::parse_scenario_text(json, "<text>"), out);
}
FLAT_CATCH("vss_scenario_load_text")

VSSAPI_EXPORT void VSS_CALL vss_scenario_release(vss_scenario *scenario) noexcept
{
    delete reinterpret_cast<vssapi::scenario::LoadedScenario *>(scenario);
}

} // extern "C"

// ---- retry helper (C-7.2) ---------------------------------------------------
// vss_retry_run and its COM twin vss_retry_run_com (vssapi/retry.h) share the
// policy check, the report and the closing message; both run core's
// run_with_retry on the coordinator's clock.

namespace {

using vssapi::core::AttemptRecord;
using vssapi::core::RetryClass;
using vssapi::core::RetryPolicy;

// The caller's policy (NULL: the defaults), within the header's limits.
HRESULT read_policy(const char *function, const vss_retry_policy *policy, RetryPolicy &out)
{
    out = RetryPolicy{};
    if (policy == nullptr) {
        return S_OK;
    }
    if (!sized(policy)) {
        return fail(function, E_INVALIDARG, "policy->size is too small");
    }
    if (policy->max_retries > VSS_RETRY_MAX_RETRIES || policy->in_progress_max_retries > VSS_RETRY_MAX_RETRIES) {
        return fail(function, E_INVALIDARG, "more retries than VSS_RETRY_MAX_RETRIES (100)");
    }
    if (policy->wait_ms > VSS_RETRY_MAX_WAIT_MS || policy->in_progress_wait_ms > VSS_RETRY_MAX_WAIT_MS) {
        return fail(function, E_INVALIDARG, "a wait longer than VSS_RETRY_MAX_WAIT_MS (24 hours)");
    }
    if (policy->reserved != 0) {
        return fail(function, E_INVALIDARG, "policy->reserved is not 0");
    }
    out.max_retries = policy->max_retries;
    out.wait = vssapi::core::Duration(static_cast<int64_t>(policy->wait_ms));
    out.in_progress_max_retries = policy->in_progress_max_retries;
    out.in_progress_wait = vssapi::core::Duration(static_cast<int64_t>(policy->in_progress_wait_ms));
    return S_OK;
}

// What both retry entry points check before running anything.
HRESULT read_retry_arguments(const char *function, bool has_attempt, const vss_retry_policy *policy,
                             RetryPolicy &out)
{
    if (!has_attempt) {
        return fail(function, E_INVALIDARG, "attempt is NULL");
    }
    return read_policy(function, policy, out);
}

uint64_t clock_ms(vssapi::core::TimePoint time)
{
    const auto ms = time.time_since_epoch().count();
    return ms > 0 ? static_cast<uint64_t>(ms) : 0;
}

int32_t flat_class(RetryClass retry_class)
{
    switch (retry_class) {
    case RetryClass::AfterWait: return 1;
    case RetryClass::ShortBackOff: return 2;
    case RetryClass::No: break;
    }
    return 0;
}

// Runs the policy; `attempt` makes the fresh requester, calls the caller and
// releases it. Leaves a message saying why the run stopped when it failed.
HRESULT run_retry(const char *function, vssapi::core::Clock &clock, const RetryPolicy &policy,
                  const std::function<HRESULT(unsigned)> &attempt, vss_retry_report_fn report, void *user)
{
    AttemptRecord last;
    const HRESULT hr = vssapi::core::run_with_retry(clock, policy, attempt, [&](const AttemptRecord &record) {
        last = record;
        if (report != nullptr) {
            vss_retry_attempt flat{};
            flat.size = sizeof flat;
            flat.number = record.number;
            flat.result = record.result;
            flat.retry_class = flat_class(record.retry_class);
            flat.start_ms = clock_ms(record.start);
            flat.end_ms = clock_ms(record.end);
            flat.wait_ms = static_cast<uint64_t>(record.wait_after.count());
            report(user, &flat);
        }
    });
    if (FAILED(hr)) {
        // "attempt 4, retryable but no retry left (max_retries 3): <meaning>"
        char why[96];
        switch (last.retry_class) {
        case RetryClass::No:
            std::snprintf(why, sizeof why, "attempt %u, not retryable", last.number);
            break;
        case RetryClass::AfterWait:
            std::snprintf(why, sizeof why, "attempt %u, retryable but no retry left (max_retries %u)", last.number,
                          policy.max_retries);
            break;
        case RetryClass::ShortBackOff:
            std::snprintf(why, sizeof why, "attempt %u, retryable but no retry left (in_progress_max_retries %u)",
                          last.number, policy.in_progress_max_retries);
            break;
        }
        const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
        const std::string detail = text != nullptr ? std::string(why) + ": " + text->meaning : std::string(why);
        return fail(function, hr, detail.c_str());
    }
    return hr;
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_retry_policy_default(vss_retry_policy *policy) noexcept
try {
    if (!sized(policy)) {
        return fail("vss_retry_policy_default", E_INVALIDARG, "policy is NULL or policy->size is too small");
    }
    const RetryPolicy defaults;
    policy->max_retries = defaults.max_retries;
    policy->wait_ms = static_cast<uint64_t>(defaults.wait.count());
    policy->in_progress_max_retries = defaults.in_progress_max_retries;
    policy->reserved = 0;
    policy->in_progress_wait_ms = static_cast<uint64_t>(defaults.in_progress_wait.count());
    return S_OK;
}
FLAT_CATCH("vss_retry_policy_default")

VSSAPI_EXPORT vss_hresult VSS_CALL vss_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy,
                                                 vss_retry_attempt_fn attempt, vss_retry_report_fn report,
                                                 void *user) noexcept
try {
    constexpr const char *function = "vss_retry_run";
    RetryPolicy settings;
    const HRESULT checked = read_retry_arguments(function, attempt != nullptr, policy, settings);
    if (FAILED(checked)) {
        return checked;
    }
    const std::shared_ptr<Coordinator> service = coordinator_of(coordinator);
    return run_retry(
        function, *service->clock(), settings,
        [&](unsigned number) -> HRESULT {
            Ref<IVssBackupComponentsEx4> fresh; // released when the attempt ends, before any wait
            try {
                fresh.p = new vssapi::requester::BackupComponents(service);
                return attempt(user, reinterpret_cast<vss_requester *>(fresh.p), number);
            } catch (...) {
                return vssapi::com::hresult_from_current_exception(); // this attempt's result
            }
        },
        report, user);
}
FLAT_CATCH("vss_retry_run")

VSSAPI_EXPORT HRESULT VSS_CALL vss_retry_run_com(const vss_retry_policy *policy, vss_retry_com_attempt_fn attempt,
                                                 vss_retry_report_fn report, void *user) noexcept
try {
    constexpr const char *function = "vss_retry_run_com";
    RetryPolicy settings;
    const HRESULT checked = read_retry_arguments(function, attempt != nullptr, policy, settings);
    if (FAILED(checked)) {
        return checked;
    }
    // CreateVssBackupComponents' object, on the coordinator current now.
    const std::shared_ptr<Coordinator> service = Coordinator::current();
    return run_retry(
        function, *service->clock(), settings,
        [&](unsigned number) -> HRESULT {
            Ref<IVssBackupComponents> fresh; // released when the attempt ends, before any wait
            try {
                fresh.p = new vssapi::requester::BackupComponents(service);
                return attempt(user, fresh.p, number);
            } catch (...) {
                return vssapi::com::hresult_from_current_exception();
            }
        },
        report, user);
}
FLAT_CATCH("vss_retry_run_com")

} // extern "C"
