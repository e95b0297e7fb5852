#include "writer/writer_impl.h"

#include "com/enum_value.h"
#include "com/barrier.h"
#include "com/bstr.h"
#include "com/guid.h"
#include "metadata/create_writer_metadata.h"
#include "metadata/examine_writer_metadata.h"
#include "metadata/writer_components.h"

#include <algorithm>
#include <cstddef>

namespace vssapi::writer {
namespace {

// IVssWriterImpl has no IID in the SDK; this private one names it in the
// QueryInterface table (bd4b3a4c-2a5e-4d4e-9d36-7a3b0f5e1c01).
constexpr IID kIidWriterImpl = {0xbd4b3a4c, 0x2a5e, 0x4d4e, {0x9d, 0x36, 0x7a, 0x3b, 0x0f, 0x5e, 0x1c, 0x01}};

const char16_t *as_u16(LPCWSTR text) noexcept
{
    return reinterpret_cast<const char16_t *>(text); // WCHAR is 16-bit on every platform
}

core::HandlerResult from_handler(int32_t answer) noexcept
{
    if (answer < 0) {
        return core::HandlerResult::Threw;
    }
    return answer == VSSAPI_HANDLER_FALSE ? core::HandlerResult::False : core::HandlerResult::True;
}

bool same_volume(std::u16string_view a, std::u16string_view b) noexcept
{
    auto trim = [](std::u16string_view v) {
        while (!v.empty() && (v.back() == u'\\' || v.back() == u'/')) {
            v.remove_suffix(1);
        }
        return v;
    };
    a = trim(a);
    b = trim(b);
    auto fold = [](char16_t c) { return c >= u'a' && c <= u'z' ? char16_t(c - u'a' + u'A') : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char16_t x, char16_t y) {
               return fold(x) == fold(y);
           });
}

bool path_on_volume(std::u16string_view path, std::u16string_view volume) noexcept
{
    while (!volume.empty() && (volume.back() == u'\\' || volume.back() == u'/')) {
        volume.remove_suffix(1);
    }
    if (path.size() < volume.size() || !same_volume(path.substr(0, volume.size()), volume)) {
        return false;
    }
    return path.size() == volume.size() || path[volume.size()] == u'\\' || path[volume.size()] == u'/';
}

} // namespace

WriterImpl::WriterImpl(const VSSAPI_WRITER_CALLBACKS &callbacks) noexcept : callbacks_(callbacks) {}

WriterImpl::~WriterImpl()
{
    if (identity_information_ != nullptr) {
        identity_information_->Release();
    }
}

gsl::span<const com::InterfaceEntry> WriterImpl::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&kIidWriterImpl, "IVssWriterImpl", &com::interface_cast<WriterImpl, IVssWriterImpl>},
    };
    return table;
}

void WriterImpl::on_final_release() noexcept
{
    Uninitialize();
    // A tombstone keeps nothing alive (C-6.3 quarantine).
    const std::lock_guard<std::mutex> hold(lock_);
    writer_.reset();
    coordinator_.reset();
}

void WriterImpl::bind(std::shared_ptr<core::Coordinator> coordinator)
{
    const std::lock_guard<std::mutex> hold(lock_);
    coordinator_ = std::move(coordinator);
}

void WriterImpl::set_instance_id(const GUID &instance_id)
{
    const std::lock_guard<std::mutex> hold(lock_);
    instance_id_ = instance_id;
}

std::shared_ptr<core::Writer> WriterImpl::core_writer() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return writer_;
}

HRESULT STDMETHODCALLTYPE WriterImpl::Initialize(VSS_ID writerId, LPCWSTR wszWriterName, LPCWSTR wszWriterInstanceName,
                                                 DWORD dwMajorVersion, DWORD dwMinorVersion, VSS_USAGE_TYPE ut,
                                                 VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel,
                                                 DWORD dwTimeoutFreeze, VSS_ALTERNATE_WRITER_STATE /*aws*/,
                                                 bool /*bIOThrottlingOnly*/) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszWriterName == nullptr || wszWriterName[0] == 0 || IsEqualGUID(writerId, GUID_NULL) ||
        com::enum_value(ut) < VSS_UT_UNDEFINED || com::enum_value(ut) > VSS_UT_OTHER ||
        com::enum_value(st) < VSS_ST_UNDEFINED || com::enum_value(st) > VSS_ST_OTHER ||
        (com::enum_value(nLevel) != VSS_APP_SYSTEM && com::enum_value(nLevel) != VSS_APP_BACK_END &&
         com::enum_value(nLevel) != VSS_APP_FRONT_END && com::enum_value(nLevel) != VSS_APP_AUTO)) {
        return E_INVALIDARG;
    }
    core::WriterIdentity identity;
    identity.class_id = writerId;
    identity.instance_id = com::new_guid(); // replaced below by a fixed one, if set
    identity.name = std::u16string(com::wide_view(wszWriterName));
    identity.instance_name = std::u16string(com::wide_view(wszWriterInstanceName));
    identity.usage = ut;
    identity.source = st;
    identity.level = nLevel;
    identity.version_major = dwMajorVersion;
    identity.version_minor = dwMinorVersion;
    identity.freeze_timeout_ms = dwTimeoutFreeze;
    const std::lock_guard<std::mutex> hold(lock_);
    if (writer_) {
        return VSS_E_BAD_STATE; // initialized once (the SDK wrapper says E_FAIL before we get here)
    }
    if (!coordinator_) {
        coordinator_ = core::Coordinator::current();
    }
    if (instance_id_) {
        identity.instance_id = *instance_id_;
    }
    writer_ = coordinator_->make_writer(std::move(identity), this);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WriterImpl::Subscribe(DWORD /*dwSubscribeTimeout*/, DWORD /*dwEventFlags*/) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (!writer_ || writer_->detached()) {
        return VSS_E_BAD_STATE;
    }
    return coordinator_->subscribe(writer_);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WriterImpl::Unsubscribe() noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (writer_) {
        coordinator_->unsubscribe(*writer_);
    }
    return S_OK;
}
VSSAPI_CATCH_RETURN()

void STDMETHODCALLTYPE WriterImpl::Uninitialize() noexcept
{
    std::shared_ptr<core::Writer> writer;
    {
        const std::lock_guard<std::mutex> hold(lock_);
        writer = writer_;
        if (writer) {
            coordinator_->unsubscribe(*writer);
        }
    }
    if (writer) {
        writer->detach(); // no handler runs once the C++ writer object is gone
    }
}

const core::SessionView *WriterImpl::current_view() const noexcept
{
    const std::lock_guard<std::mutex> hold(lock_);
    const core::HandlerCall *call = writer_ ? writer_->current_call() : nullptr;
    return call != nullptr ? call->view.get() : nullptr;
}

LPCWSTR *STDMETHODCALLTYPE WriterImpl::GetCurrentVolumeArray() const noexcept
{
    const core::SessionView *view = current_view();
    if (view == nullptr || view->volume_array.empty()) {
        return nullptr;
    }
    // The array lives as long as the handler call; the SDK says the base class owns it.
    return reinterpret_cast<LPCWSTR *>(const_cast<const char16_t **>(view->volume_array.data()));
}

UINT STDMETHODCALLTYPE WriterImpl::GetCurrentVolumeCount() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr ? gsl::narrow_cast<UINT>(view->volumes.size()) : 0;
}

HRESULT STDMETHODCALLTYPE WriterImpl::GetSnapshotDeviceName(LPCWSTR wszOriginalVolume,
                                                            LPCWSTR *ppwszSnapshotDevice) const noexcept
{
    if (wszOriginalVolume == nullptr || ppwszSnapshotDevice == nullptr) {
        return E_INVALIDARG;
    }
    *ppwszSnapshotDevice = nullptr;
    const core::SessionView *view = current_view();
    if (view == nullptr) {
        return VSS_E_BAD_STATE;
    }
    for (std::size_t i = 0; i < view->volumes.size(); ++i) {
        if (same_volume(view->volumes[i], com::wide_view(wszOriginalVolume)) && !view->snapshot_devices[i].empty()) {
            *ppwszSnapshotDevice = reinterpret_cast<LPCWSTR>(view->snapshot_devices[i].c_str());
            return S_OK;
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

VSS_ID *STDMETHODCALLTYPE WriterImpl::GetCurrentSnapshotSetId(VSS_ID *result) const noexcept
{
    const core::SessionView *view = current_view();
    *result = view != nullptr ? view->snapshot_set_id : GUID_NULL;
    return result;
}

LONG STDMETHODCALLTYPE WriterImpl::GetContext() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr ? view->context : static_cast<LONG>(VSS_CTX_BACKUP);
}

VSS_APPLICATION_LEVEL STDMETHODCALLTYPE WriterImpl::GetCurrentLevel() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr ? view->current_level : VSS_APP_AUTO;
}

bool STDMETHODCALLTYPE WriterImpl::IsPathAffected(LPCWSTR wszPath) const noexcept
{
    const core::SessionView *view = current_view();
    if (view == nullptr || wszPath == nullptr) {
        return false;
    }
    return std::any_of(view->volumes.begin(), view->volumes.end(),
                       [&](const std::u16string &volume) { return path_on_volume(com::wide_view(wszPath), volume); });
}

bool STDMETHODCALLTYPE WriterImpl::IsBootableSystemStateBackedUp() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr && view->bootable_system_state;
}

bool STDMETHODCALLTYPE WriterImpl::AreComponentsSelected() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr && view->components_selected;
}

VSS_BACKUP_TYPE STDMETHODCALLTYPE WriterImpl::GetBackupType() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr ? view->backup_type : VSS_BT_UNDEFINED;
}

VSS_RESTORE_TYPE STDMETHODCALLTYPE WriterImpl::GetRestoreType() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr ? view->restore_type : VSS_RTYPE_UNDEFINED;
}

HRESULT STDMETHODCALLTYPE WriterImpl::SetWriterFailure(HRESULT hr) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const auto writer = core_writer();
    return writer ? writer->report_failure(hr, S_OK, nullptr, false) : VSS_E_BAD_STATE;
}
VSSAPI_CATCH_RETURN()

bool STDMETHODCALLTYPE WriterImpl::IsPartialFileSupportEnabled() const noexcept
{
    const core::SessionView *view = current_view();
    return view != nullptr && view->partial_file_support;
}

HRESULT STDMETHODCALLTYPE WriterImpl::InstallAlternateWriter(VSS_ID /*idWriter*/, CLSID /*clsid*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    // Alternate writers are COM servers VSS starts by CLSID when the writer's
    // service is down; that needs a persistent class registry, which no
    // issue has asked for yet.
    return E_NOTIMPL;
}

IVssExamineWriterMetadata *STDMETHODCALLTYPE WriterImpl::GetIdentityInformation() const noexcept
try {
    const auto writer = core_writer();
    const core::HandlerCall *call = writer ? writer->current_call() : nullptr;
    // The SDK allows it in OnPrepareBackup, OnPrepareSnapshot and OnPostSnapshot.
    if (call == nullptr || (call->event != core::Event::PrepareBackup && call->event != core::Event::PrepareSnapshot &&
                            call->event != core::Event::PostSnapshot)) {
        return nullptr;
    }
    const auto metadata = writer->last_metadata();
    const std::lock_guard<std::mutex> hold(lock_);
    if (metadata != identity_information_source_) {
        IVssExamineWriterMetadataEx2 *fresh = nullptr;
        if (FAILED(metadata::make_examine_writer_metadata(std::make_shared<const core::WriterIdentity>(writer->identity()),
                                                          metadata, &fresh))) {
            return nullptr;
        }
        if (identity_information_ != nullptr) {
            identity_information_->Release();
        }
        identity_information_ = fresh;
        identity_information_source_ = metadata;
    }
    return identity_information_;
}
VSSAPI_CATCH_RETURN_VALUE(nullptr)

HRESULT STDMETHODCALLTYPE WriterImpl::SetWriterFailureEx(HRESULT hr, HRESULT hrApplication,
                                                         LPCWSTR wszApplicationMessage) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const auto writer = core_writer();
    return writer ? writer->report_failure(hr, hrApplication, as_u16(wszApplicationMessage), true) : VSS_E_BAD_STATE;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WriterImpl::GetSessionId(VSS_ID *idSession) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (idSession == nullptr) {
        return E_INVALIDARG;
    }
    const core::SessionView *view = current_view();
    if (view == nullptr) {
        return VSS_E_BAD_STATE; // on the handler's thread only, as SetWriterFailureEx
    }
    *idSession = view->session_id;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

bool STDMETHODCALLTYPE WriterImpl::IsWriterShuttingDown() noexcept
{
    const auto writer = core_writer();
    return writer != nullptr && writer->shutting_down();
}

core::HandlerResult WriterImpl::handle(const core::HandlerCall &call) noexcept
try {
    void *const context = callbacks_.pContext;
    if (call.event == core::Event::Identify) {
        const auto writer = core_writer();
        auto *metadata = new metadata::CreateWriterMetadata(*call.metadata,
                                                            writer ? writer->identity() : core::WriterIdentity{});
        int32_t answer = VSSAPI_HANDLER_TRUE;
        if (callbacks_.OnIdentifyEx != nullptr) {
            answer = callbacks_.OnIdentifyEx(context, metadata);
        } else if (callbacks_.OnIdentify != nullptr) {
            answer = callbacks_.OnIdentify(context, metadata);
        }
        metadata->seal(); // a pointer the writer kept cannot change the metadata later
        metadata->Release();
        return from_handler(answer);
    }

    // Component events get the session's components of this writer, or NULL
    // when the requester is not in component mode.
    metadata::WriterComponents *components = nullptr;
    if (call.components) {
        core::ComponentAccess access;
        access.side = core::ComponentAccess::Side::Writer;
        access.event = call.event;
        access.restore = call.event == core::Event::PreRestore || call.event == core::Event::PostRestore;
        components = new metadata::WriterComponents(call.components, access);
    }
    auto invoke = [&](VSSAPI_COMPONENTS_HANDLER *handler) {
        return handler != nullptr ? handler(context, components) : VSSAPI_HANDLER_TRUE;
    };
    auto invoke_plain = [&](VSSAPI_HANDLER *handler) {
        return handler != nullptr ? handler(context) : VSSAPI_HANDLER_TRUE;
    };
    int32_t answer = VSSAPI_HANDLER_TRUE;
    switch (call.event) {
    case core::Event::PrepareBackup: answer = invoke(callbacks_.OnPrepareBackup); break;
    case core::Event::PrepareSnapshot: answer = invoke_plain(callbacks_.OnPrepareSnapshot); break;
    case core::Event::Freeze: answer = invoke_plain(callbacks_.OnFreeze); break;
    case core::Event::Thaw: answer = invoke_plain(callbacks_.OnThaw); break;
    case core::Event::PostSnapshot: answer = invoke(callbacks_.OnPostSnapshot); break;
    case core::Event::Abort: answer = invoke_plain(callbacks_.OnAbort); break;
    case core::Event::BackupComplete: answer = invoke(callbacks_.OnBackupComplete); break;
    case core::Event::BackupShutdown:
        answer = callbacks_.OnBackupShutdown != nullptr ? callbacks_.OnBackupShutdown(context, &call.snapshot_set_id)
                                                        : VSSAPI_HANDLER_TRUE;
        break;
    case core::Event::PreRestore: answer = invoke(callbacks_.OnPreRestore); break;
    case core::Event::PostRestore: answer = invoke(callbacks_.OnPostRestore); break;
    case core::Event::Identify: break;
    }
    if (components != nullptr) {
        components->Release();
    }
    return from_handler(answer);
} catch (...) {
    return core::HandlerResult::Threw; // could not even build the handler's arguments
}

} // namespace vssapi::writer
