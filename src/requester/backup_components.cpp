#include "requester/backup_components.h"

#include "com/barrier.h"
#include "com/bstr.h"
#include "com/enum_value.h"
#include "com/out.h"
#include "metadata/examine_writer_metadata.h"
#include "metadata/writer_components.h"
#include "requester/async.h"
#include "requester/enum_object.h"

#include <vssapi/oleauto.h>

namespace vssapi::requester {

gsl::span<const com::InterfaceEntry> BackupComponents::interface_table() noexcept
{
    using Self = BackupComponents;
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IVssBackupComponents, "IVssBackupComponents", &com::interface_cast<Self, IVssBackupComponentsEx4>},
        {&IID_IVssBackupComponentsEx, "IVssBackupComponentsEx", &com::interface_cast<Self, IVssBackupComponentsEx4>},
        {&IID_IVssBackupComponentsEx2, "IVssBackupComponentsEx2", &com::interface_cast<Self, IVssBackupComponentsEx4>},
        {&IID_IVssBackupComponentsEx3, "IVssBackupComponentsEx3", &com::interface_cast<Self, IVssBackupComponentsEx4>},
        {&IID_IVssBackupComponentsEx4, "IVssBackupComponentsEx4", &com::interface_cast<Self, IVssBackupComponentsEx4>},
    };
    return table;
}


// ---- the backup sequence (core::Session does the work) ----------------

BackupComponents::BackupComponents() : BackupComponents(core::Coordinator::current()) {}

BackupComponents::BackupComponents(std::shared_ptr<core::Coordinator> coordinator)
    : session_(std::make_unique<core::Session>(std::move(coordinator)))
{
}

BackupComponents::~BackupComponents() = default;

void BackupComponents::on_final_release() noexcept
{
    session_->shutdown(); // OnBackupShutdown to the session's writers (C-3.1)
    session_.reset();
}

HRESULT BackupComponents::start(HRESULT (core::Session::*step)(std::shared_ptr<core::Operation> &),
                                IVssAsync **ppAsync)
{
    if (!com::clear_out(ppAsync)) {
        return E_INVALIDARG;
    }
    // First the IVssAsync, then the step: E_OUTOFMEMORY must mean it never started.
    auto *async = new Async();
    std::shared_ptr<core::Operation> operation;
    HRESULT started = E_UNEXPECTED;
    try {
        started = ((*session_).*step)(operation);
    } catch (...) {
        async->Release();
        throw;
    }
    if (FAILED(started)) {
        async->Release();
        return started;
    }
    async->attach(std::move(operation));
    *ppAsync = async;
    return S_OK;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetSessionId(VSS_ID *idSession) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (idSession == nullptr) {
        return E_INVALIDARG;
    }
    *idSession = session_->id();
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetContext(LONG lContext) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return session_->set_context(lContext);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetBackupState(bool bSelectComponents, bool bBackupBootableSystemState,
                                                           VSS_BACKUP_TYPE backupType, bool bPartialFileSupport) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return session_->set_backup_state(bSelectComponents, bBackupBootableSystemState, com::enum_value(backupType),
                                      bPartialFileSupport); // the integer a C caller passed, checked there
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::DisableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (rgWriterClassId == nullptr && cClassId > 0) {
        return E_INVALIDARG;
    }
    return session_->disable_writer_classes(gsl::span<const GUID>(rgWriterClassId, cClassId));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::EnableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (rgWriterClassId == nullptr && cClassId > 0) {
        return E_INVALIDARG;
    }
    return session_->enable_writer_classes(gsl::span<const GUID>(rgWriterClassId, cClassId));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::DisableWriterInstances(const VSS_ID *rgWriterInstanceId,
                                                                   UINT cInstanceId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (rgWriterInstanceId == nullptr && cInstanceId > 0) {
        return E_INVALIDARG;
    }
    return session_->disable_writer_instances(gsl::span<const GUID>(rgWriterInstanceId, cInstanceId));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GatherWriterMetadata(IVssAsync **pAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::gather_writer_metadata, pAsync);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterMetadataCount(UINT *pcWriters) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcWriters == nullptr) {
        return E_INVALIDARG;
    }
    return session_->writer_metadata_count(*pcWriters);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterMetadataEx(UINT iWriter, VSS_ID *pidInstance,
                                                                IVssExamineWriterMetadataEx **ppMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return writer_metadata(core::Call::GetWriterMetadataEx, iWriter, pidInstance, ppMetadata);
}
VSSAPI_CATCH_RETURN()

// GetWriterMetadata and GetWriterMetadataEx; `call` names the one the requester made.
HRESULT BackupComponents::writer_metadata(core::Call call, UINT iWriter, VSS_ID *pidInstance,
                                          IVssExamineWriterMetadataEx **ppMetadata) noexcept
try {
    if (pidInstance == nullptr || ppMetadata == nullptr) {
        return E_INVALIDARG;
    }
    *ppMetadata = nullptr;
    core::MetadataEntry entry;
    const HRESULT found = session_->writer_metadata(iWriter, entry, call);
    if (FAILED(found)) {
        return found;
    }
    IVssExamineWriterMetadataEx2 *examine = nullptr;
    const HRESULT made = metadata::make_examine_writer_metadata(entry.identity, entry.metadata, &examine);
    if (FAILED(made)) {
        return made;
    }
    *pidInstance = entry.identity->instance_id;
    *ppMetadata = examine;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterMetadata(UINT iWriter, VSS_ID *pidInstance,
                                                              IVssExamineWriterMetadata **ppMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    IVssExamineWriterMetadataEx *examine = nullptr;
    if (ppMetadata == nullptr) {
        return E_INVALIDARG;
    }
    const HRESULT hr = writer_metadata(core::Call::GetWriterMetadata, iWriter, pidInstance, &examine);
    *ppMetadata = examine; // Ex derives from the plain interface: same pointer
    return hr;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::FreeWriterMetadata() noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return session_->free_writer_metadata();
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                         LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszComponentName == nullptr) {
        return E_INVALIDARG;
    }
    core::ComponentKey key = component_key(writerId, ct, wszLogicalPath, wszComponentName);
    key.instance_id = instanceId;
    return session_->add_component(key);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId,
                                                               VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                               LPCWSTR wszComponentName, bool bSucceded) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszComponentName == nullptr) {
        return E_INVALIDARG;
    }
    core::ComponentKey key = component_key(writerId, ct, wszLogicalPath, wszComponentName);
    key.instance_id = instanceId;
    return session_->set_backup_succeeded(key, bSucceded);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetBackupOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                             LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                             LPCWSTR wszBackupOptions) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszComponentName == nullptr || wszBackupOptions == nullptr) {
        return E_INVALIDARG;
    }
    return session_->set_backup_options(component_key(writerId, ct, wszLogicalPath, wszComponentName),
                                        text_of(wszBackupOptions));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetPreviousBackupStamp(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                                   LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                                   LPCWSTR wszPreviousBackupStamp) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszComponentName == nullptr || wszPreviousBackupStamp == nullptr) {
        return E_INVALIDARG;
    }
    return session_->set_previous_backup_stamp(component_key(writerId, ct, wszLogicalPath, wszComponentName),
                                               text_of(wszPreviousBackupStamp));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterComponentsCount(UINT *pcComponents) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcComponents == nullptr) {
        return E_INVALIDARG;
    }
    return session_->writer_components_count(*pcComponents);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterComponents(UINT iWriter, IVssWriterComponentsExt **ppWriter) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppWriter)) {
        return E_INVALIDARG;
    }
    std::shared_ptr<core::ComponentStore> store;
    const HRESULT found = session_->writer_components(iWriter, store);
    if (FAILED(found)) {
        return found;
    }
    core::ComponentAccess access; // the requester's view: read-only
    access.restore = core::is_restore(session_->phase());
    *ppWriter = new metadata::WriterComponents(std::move(store), access);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::PrepareForBackup(IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::prepare_for_backup, ppAsync);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::StartSnapshotSet(VSS_ID *pSnapshotSetId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pSnapshotSetId == nullptr) {
        return E_INVALIDARG;
    }
    GUID id{};
    const HRESULT hr = session_->start_snapshot_set(id);
    if (SUCCEEDED(hr)) {
        *pSnapshotSetId = id;
    }
    return hr;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId,
                                                             VSS_ID *pidSnapshot) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pwszVolumeName == nullptr || pidSnapshot == nullptr) {
        return E_INVALIDARG;
    }
    GUID id{};
    const HRESULT hr = session_->add_to_snapshot_set(text_of(pwszVolumeName), ProviderId, id);
    if (SUCCEEDED(hr)) {
        *pidSnapshot = id;
    }
    return hr;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::DoSnapshotSet(IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::do_snapshot_set, ppAsync);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GatherWriterStatus(IVssAsync **pAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::gather_writer_status, pAsync);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterStatusCount(UINT *pcWriters) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcWriters == nullptr) {
        return E_INVALIDARG;
    }
    return session_->writer_status_count(*pcWriters);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterStatusEx(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                              BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                              HRESULT *phrFailureWriter, HRESULT *phrApplication,
                                                              BSTR *pbstrApplicationMessage) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return writer_status(core::Call::GetWriterStatusEx, iWriter, pidInstance, pidWriter, pbstrWriter, pnStatus,
                         phrFailureWriter, phrApplication, pbstrApplicationMessage);
}
VSSAPI_CATCH_RETURN()

// GetWriterStatus and GetWriterStatusEx; `call` names the one the requester made.
HRESULT BackupComponents::writer_status(core::Call call, UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                        BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus, HRESULT *phrFailureWriter,
                                        HRESULT *phrApplication, BSTR *pbstrApplicationMessage) noexcept
try {
    // C-3.9: these five are required; the application pair is optional.
    if (pidInstance == nullptr || pidWriter == nullptr || pbstrWriter == nullptr || pnStatus == nullptr ||
        phrFailureWriter == nullptr) {
        return E_INVALIDARG;
    }
    core::StatusEntry entry;
    const HRESULT found = session_->writer_status(iWriter, entry, call);
    if (FAILED(found)) {
        return found;
    }
    // Allocate both strings before writing anything, so a failure changes nothing.
    com::Bstr name(entry.identity->name);
    com::Bstr message;
    if (pbstrApplicationMessage != nullptr && !entry.status.message.empty()) {
        message = com::Bstr(entry.status.message); // empty is reported as NULL (C-2.2)
    }
    *pidInstance = entry.identity->instance_id;
    *pidWriter = entry.identity->class_id;
    *pbstrWriter = name.release();
    *pnStatus = entry.status.state;
    *phrFailureWriter = entry.status.hr_failure;
    if (phrApplication != nullptr) {
        *phrApplication = entry.status.hr_application;
    }
    if (pbstrApplicationMessage != nullptr) {
        *pbstrApplicationMessage = message.release();
    }
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterStatus(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                            BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                            HRESULT *phResultFailure) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return writer_status(core::Call::GetWriterStatus, iWriter, pidInstance, pidWriter, pbstrWriter, pnStatus,
                         phResultFailure, nullptr, nullptr);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::FreeWriterStatus() noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return session_->free_writer_status();
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::BackupComplete(IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::backup_complete, ppAsync);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::AbortBackup() noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return session_->abort_backup();
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pProp == nullptr) {
        return E_INVALIDARG;
    }
    const auto record = session_->coordinator().snapshots().find(SnapshotId);
    if (!record) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    fill_snapshot_prop(*record, *pProp);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::Query(VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,
                                                  VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    // The SDK supports one query: every snapshot (GUID_NULL, NONE, SNAPSHOT);
    // the coordinator's (GUID_NULL, NONE, PROVIDER) lists providers, as
    // `vssadmin list providers` does.
    if (ppEnum == nullptr || !IsEqualGUID(QueriedObjectId, GUID_NULL) || eQueriedObjectType != VSS_OBJECT_NONE ||
        (eReturnedObjectsType != VSS_OBJECT_SNAPSHOT && eReturnedObjectsType != VSS_OBJECT_PROVIDER)) {
        return E_INVALIDARG;
    }
    if (eReturnedObjectsType == VSS_OBJECT_PROVIDER) {
        auto listed = std::make_shared<std::vector<core::ProviderInfo>>();
        for (const auto &provider : session_->coordinator().providers()) {
            listed->push_back(provider->info());
        }
        *ppEnum = new EnumObject(std::move(listed));
        return S_OK;
    }
    *ppEnum = new EnumObject(
        std::make_shared<const std::vector<core::SnapshotRecord>>(session_->coordinator().snapshots().all()));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,
                                                            BOOL /*bForceDelete*/, LONG *plDeletedSnapshots,
                                                            VSS_ID *pNondeletedSnapshotID) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (plDeletedSnapshots == nullptr || pNondeletedSnapshotID == nullptr ||
        (eSourceObjectType != VSS_OBJECT_SNAPSHOT && eSourceObjectType != VSS_OBJECT_SNAPSHOT_SET)) {
        return E_INVALIDARG;
    }
    *plDeletedSnapshots = 0;
    *pNondeletedSnapshotID = GUID_NULL;
    core::SnapshotStore &store = session_->coordinator().snapshots();
    const std::vector<core::SnapshotRecord> removed = eSourceObjectType == VSS_OBJECT_SNAPSHOT
                                                          ? store.remove_snapshot(SourceObjectId)
                                                          : store.remove_set(SourceObjectId);
    session_->coordinator().discard(removed); // a copy's store, a btrfs subvolume: gone with the record
    const auto deleted = gsl::narrow<LONG>(removed.size());
    if (deleted == 0) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    *plDeletedSnapshots = deleted;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,
                                                              BOOL *pbSupportedByThisProvider) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pwszVolumeName == nullptr || pwszVolumeName[0] == 0 || pbSupportedByThisProvider == nullptr) {
        return E_INVALIDARG;
    }
    const auto provider = session_->coordinator().find_provider(ProviderId);
    if (!provider) {
        return VSS_E_PROVIDER_NOT_REGISTERED;
    }
    // C-5.4: no such volume is an error; one the provider cannot snapshot is a FALSE.
    core::VolumeName name;
    const HRESULT resolved = provider->resolve_volume(
        std::u16string_view(reinterpret_cast<const char16_t *>(pwszVolumeName)), name);
    if (resolved == VSS_E_OBJECT_NOT_FOUND) {
        return resolved;
    }
    *pbSupportedByThisProvider = resolved == S_OK ? TRUE : FALSE;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::requester
