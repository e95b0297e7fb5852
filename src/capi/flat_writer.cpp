// The flat API's writer section: a writer is the library's IVssWriterImpl
// plus the caller's C handlers, reached through the trampolines below.
#include "capi/flat_common.h"
#include "capi/sized.h"
#include "com/misuse.h"
#include "com/ref.h"
#include "writer/writer_impl.h"

#include <vssapi/writer_callbacks.h>
#include <vswriter.h>

using namespace vssapi::capi;
using vssapi::com::Ref;

namespace {

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

// The C table of the library: a trampoline for each handler the caller gave.
VSSAPI_WRITER_CALLBACKS table_of(FlatWriter &writer)
{
    const vss_writer_callbacks &cb = writer.callbacks;
    VSSAPI_WRITER_CALLBACKS table{};
    table.cbSize = sizeof table;
    table.pContext = &writer;
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
    return table;
}

vssapi::writer::WriterImpl &impl_of(vss_writer *writer)
{
    return *static_cast<vssapi::writer::WriterImpl *>(writer_of(writer)->impl);
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_create(vss_coordinator *coordinator, const vss_writer_info *info,
                                                     const vss_writer_callbacks *callbacks, void *user,
                                                     vss_writer **out) noexcept
try {
    if (out == nullptr) {
        return fail(__func__, E_INVALIDARG, "out is NULL");
    }
    HRESULT hr = check_sized(__func__, "info", info);
    if (SUCCEEDED(hr) && callbacks != nullptr) {
        hr = check_sized(__func__, "callbacks", callbacks);
    }
    if (FAILED(hr)) {
        return hr;
    }
    const vss_writer_info given = read_sized(*info);
    if (given.class_id == nullptr || given.name == nullptr) {
        return fail(__func__, E_INVALIDARG, "info lacks class_id or name");
    }
    *out = nullptr;
    auto writer = std::make_unique<FlatWriter>();
    if (callbacks != nullptr) {
        writer->callbacks = read_sized(*callbacks); // handlers its size lacks stay NULL: "true"
    }
    writer->user = user;
    const VSSAPI_WRITER_CALLBACKS table = table_of(*writer);

    Ref<IVssWriterImpl> impl;
    hr = check(__func__, vssapi_create_writer_impl(&table, impl.out()));
    if (FAILED(hr)) {
        return hr;
    }
    static_cast<vssapi::writer::WriterImpl *>(impl.p)->bind(coordinator_of(coordinator));
    const Wide name(given.name);
    const Wide instance_name(given.instance_name);
    hr = check(__func__,
               impl->Initialize(to_guid(*given.class_id), name.get(), instance_name.get(), given.version_major,
                                given.version_minor, static_cast<VSS_USAGE_TYPE>(given.usage),
                                static_cast<VSS_SOURCE_TYPE>(given.source),
                                given.level == 0 ? VSS_APP_FRONT_END : static_cast<VSS_APPLICATION_LEVEL>(given.level),
                                given.freeze_timeout_ms == 0 ? 60000 : given.freeze_timeout_ms,
                                VSS_AWS_NO_ALTERNATE_WRITER, false));
    if (FAILED(hr)) {
        return hr;
    }
    writer->impl = impl.p;
    impl.p = nullptr;
    *out = reinterpret_cast<vss_writer *>(writer.release());
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_subscribe(vss_writer *writer) noexcept
try {
    if (writer == nullptr) {
        return fail(__func__, E_INVALIDARG, "writer is NULL");
    }
    return check(__func__, writer_of(writer)->impl->Subscribe(0, VSS_SM_ALL_FLAGS));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_unsubscribe(vss_writer *writer) noexcept
try {
    if (writer == nullptr) {
        return fail(__func__, E_INVALIDARG, "writer is NULL");
    }
    return check(__func__, writer_of(writer)->impl->Unsubscribe());
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_writer_release(vss_writer *writer) noexcept
{
    if (writer == nullptr) {
        return;
    }
    const auto core_writer = impl_of(writer).core_writer();
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
        return fail(__func__, E_INVALIDARG, "writer or out is NULL");
    }
    *out = from_guid(impl_of(writer).core_writer()->identity().instance_id);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_set_failure_ex(vss_writer *writer, vss_hresult hr_writer,
                                                             vss_hresult hr_application, const char *message) noexcept
try {
    if (writer == nullptr) {
        return fail(__func__, E_INVALIDARG, "writer is NULL");
    }
    const Wide text(message);
    return check(__func__, writer_of(writer)->impl->SetWriterFailureEx(hr_writer, hr_application, text.get()));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_set_failure(vss_writer *writer, vss_hresult hr_writer) noexcept
try {
    if (writer == nullptr) {
        return fail(__func__, E_INVALIDARG, "writer is NULL");
    }
    return check(__func__, writer_of(writer)->impl->SetWriterFailure(hr_writer));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_session_id(vss_writer *writer, vss_guid *out) noexcept
try {
    if (writer == nullptr || out == nullptr) {
        return fail(__func__, E_INVALIDARG, "writer or out is NULL");
    }
    GUID id{};
    const HRESULT hr = writer_of(writer)->impl->GetSessionId(&id);
    if (SUCCEEDED(hr)) {
        *out = from_guid(id);
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

} // extern "C"
