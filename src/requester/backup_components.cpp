#include "requester/backup_components.h"

#include "com/barrier.h"
#include "com/guid.h"

namespace vssapi::requester {
namespace {

// Backup, restore and snapshot methods wait for the VSS core of issue 3
// (coordinator, sessions, writer dispatch, the C-3 state machine).
constexpr HRESULT kNeedsVssCore = E_NOTIMPL;

} // namespace

BackupComponents::BackupComponents() : session_id_(com::new_guid()) {}

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

HRESULT STDMETHODCALLTYPE BackupComponents::GetSessionId(VSS_ID *idSession) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (idSession == nullptr) {
        return E_INVALIDARG;
    }
    *idSession = session_id_;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterComponentsCount(UINT */*pcComponents*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterComponents(UINT /*iWriter*/, IVssWriterComponentsExt **/*ppWriter*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::InitializeForBackup(BSTR /*bstrXML*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetBackupState(bool /*bSelectComponents*/, bool /*bBackupBootableSystemState*/, VSS_BACKUP_TYPE /*backupType*/, bool /*bPartialFileSupport*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::InitializeForRestore(BSTR /*bstrXML*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetRestoreState(VSS_RESTORE_TYPE /*restoreType*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GatherWriterMetadata(IVssAsync **/*pAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterMetadataCount(UINT */*pcWriters*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterMetadata(UINT /*iWriter*/, VSS_ID */*pidInstance*/, IVssExamineWriterMetadata **/*ppMetadata*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::FreeWriterMetadata() noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AddComponent(VSS_ID /*instanceId*/, VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::PrepareForBackup(IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AbortBackup() noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GatherWriterStatus(IVssAsync **/*pAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterStatusCount(UINT */*pcWriters*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::FreeWriterStatus() noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterStatus(UINT /*iWriter*/, VSS_ID */*pidInstance*/, VSS_ID */*pidWriter*/, BSTR */*pbstrWriter*/, VSS_WRITER_STATE */*pnStatus*/, HRESULT */*phResultFailure*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetBackupSucceeded(VSS_ID /*instanceId*/, VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, bool /*bSucceded*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetBackupOptions(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszBackupOptions*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetSelectedForRestore(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, bool /*bSelectedForRestore*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetRestoreOptions(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszRestoreOptions*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetAdditionalRestores(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, bool /*bAdditionalRestores*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetPreviousBackupStamp(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszPreviousBackupStamp*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SaveAsXML(BSTR */*pbstrXML*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::BackupComplete(IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AddAlternativeLocationMapping(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszPath*/, LPCWSTR /*wszFilespec*/, bool /*bRecursive*/, LPCWSTR /*wszDestination*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AddRestoreSubcomponent(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszSubComponentLogicalPath*/, LPCWSTR /*wszSubComponentName*/, bool /*bRepair*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetFileRestoreStatus(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, VSS_FILE_RESTORE_STATUS /*status*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AddNewTarget(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszPath*/, LPCWSTR /*wszFileName*/, bool /*bRecursive*/, LPCWSTR /*wszAlternatePath*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetRangesFilePath(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, UINT /*iPartialFile*/, LPCWSTR /*wszRangesFile*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::PreRestore(IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::PostRestore(IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetContext(LONG /*lContext*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::StartSnapshotSet(VSS_ID */*pSnapshotSetId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AddToSnapshotSet(VSS_PWSZ /*pwszVolumeName*/, VSS_ID /*ProviderId*/, VSS_ID */*pidSnapshot*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::DoSnapshotSet(IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::DeleteSnapshots(VSS_ID /*SourceObjectId*/, VSS_OBJECT_TYPE /*eSourceObjectType*/, BOOL /*bForceDelete*/, LONG */*plDeletedSnapshots*/, VSS_ID */*pNondeletedSnapshotID*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::ImportSnapshots(IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::BreakSnapshotSet(VSS_ID /*SnapshotSetId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetSnapshotProperties(VSS_ID /*SnapshotId*/, VSS_SNAPSHOT_PROP */*pProp*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::Query(VSS_ID /*QueriedObjectId*/, VSS_OBJECT_TYPE /*eQueriedObjectType*/, VSS_OBJECT_TYPE /*eReturnedObjectsType*/, IVssEnumObject **/*ppEnum*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::IsVolumeSupported(VSS_ID /*ProviderId*/, VSS_PWSZ /*pwszVolumeName*/, BOOL */*pbSupportedByThisProvider*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::DisableWriterClasses(const VSS_ID */*rgWriterClassId*/, UINT /*cClassId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::EnableWriterClasses(const VSS_ID */*rgWriterClassId*/, UINT /*cClassId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::DisableWriterInstances(const VSS_ID */*rgWriterInstanceId*/, UINT /*cInstanceId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::ExposeSnapshot(VSS_ID /*SnapshotId*/, VSS_PWSZ /*wszPathFromRoot*/, LONG /*lAttributes*/, VSS_PWSZ /*wszExpose*/, VSS_PWSZ */*pwszExposed*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::RevertToSnapshot(VSS_ID /*SnapshotId*/, BOOL /*bForceDismount*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::QueryRevertStatus(VSS_PWSZ /*pwszVolume*/, IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterMetadataEx(UINT /*iWriter*/, VSS_ID */*pidInstance*/, IVssExamineWriterMetadataEx **/*ppMetadata*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetSelectedForRestoreEx(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, bool /*bSelectedForRestore*/, VSS_ID /*instanceId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::UnexposeSnapshot(VSS_ID /*snapshotId*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetAuthoritativeRestore(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, bool /*bAuth*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetRollForward(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, VSS_ROLLFORWARD_TYPE /*rollType*/, LPCWSTR /*wszRollForwardPoint*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetRestoreName(VSS_ID /*writerId*/, VSS_COMPONENT_TYPE /*ct*/, LPCWSTR /*wszLogicalPath*/, LPCWSTR /*wszComponentName*/, LPCWSTR /*wszRestoreName*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::BreakSnapshotSetEx(VSS_ID /*SnapshotSetID*/, DWORD /*dwBreakFlags*/, IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::PreFastRecovery(VSS_ID /*SnapshotSetID*/, DWORD /*dwPreFastRecoveryFlags*/, IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::FastRecovery(VSS_ID /*SnapshotSetID*/, DWORD /*dwFastRecoveryFlags*/, IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetWriterStatusEx(UINT /*iWriter*/, VSS_ID */*pidInstance*/, VSS_ID */*pidWriter*/, BSTR */*pbstrWriter*/, VSS_WRITER_STATE */*pnStatus*/, HRESULT */*phrFailureWriter*/, HRESULT */*phrApplication*/, BSTR */*pbstrApplicationMessage*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::AddSnapshotToRecoverySet(VSS_ID /*snapshotId*/, DWORD /*dwFlags*/, VSS_PWSZ /*pwszDestinationVolume*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::RecoverSet(DWORD /*dwFlags*/, IVssAsync **/*ppAsync*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

HRESULT STDMETHODCALLTYPE BackupComponents::GetRootAndLogicalPrefixPaths(VSS_PWSZ /*pwszFilePath*/, VSS_PWSZ */*ppwszRootPath*/, VSS_PWSZ */*ppwszLogicalPrefix*/, BOOL /*bNormalizeFQDNforRootPath*/) noexcept
{
    VSSAPI_CHECK_ALIVE();
    return kNeedsVssCore;
}

} // namespace vssapi::requester
