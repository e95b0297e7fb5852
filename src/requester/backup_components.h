// The requester object: one IVssBackupComponents session, answering for
// IVssBackupComponents and its Ex, Ex2, Ex3 and Ex4 extensions with one vtable
// whose slots are the SDK's (vsbackup.h, pinned by tests/abi/slots_test.c).
//
// It translates between the SDK's types (BSTR, LPCWSTR, IVssAsync) and one
// core::Session, which holds the sequence and its rules. The backup's slots are
// backup_components.cpp; the document (SaveAsXML, InitializeForBackup(xml))
// and the restore are backup_components_restore.cpp; snapshot management and
// recovery (expose, break, import, revert) are backup_components_snapshots.cpp.
#pragma once

#include "com/bstr.h"
#include "com/object.h"
#include "core/session.h"

#include "com/enum_value.h"

#include <vsbackup.h>

#include <functional>
#include <string>

namespace vssapi::requester {

// The component a requester call names, in the core's terms.
// `type` is read as the integer a C caller passed: a value that is no
// component type becomes VSS_CT_UNDEFINED, which no component has.
inline core::ComponentKey component_key(const VSS_ID &writer_id, const VSS_COMPONENT_TYPE &type,
                                        LPCWSTR logical_path, LPCWSTR name)
{
    core::ComponentKey key;
    key.writer_class_id = writer_id;
    const auto raw = com::enum_value(type);
    key.type = raw == VSS_CT_DATABASE || raw == VSS_CT_FILEGROUP ? static_cast<VSS_COMPONENT_TYPE>(raw) : VSS_CT_UNDEFINED;
    key.logical_path = com::wide_view(logical_path);
    key.name = com::wide_view(name);
    return key;
}

inline std::u16string text_of(LPCWSTR text)
{
    return std::u16string(com::wide_view(text));
}

class BackupComponents final
    : public com::ComObject<BackupComponents, IVssBackupComponentsEx4> {
public:
    BackupComponents(); // on the current coordinator
    explicit BackupComponents(std::shared_ptr<core::Coordinator> coordinator);
    ~BackupComponents() override;

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT *pcComponents) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT iWriter, IVssWriterComponentsExt **ppWriter) noexcept override;
    HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR bstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupState(bool bSelectComponents, bool bBackupBootableSystemState, VSS_BACKUP_TYPE backupType, bool bPartialFileSupport) noexcept override;
    HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR bstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE restoreType) noexcept override;
    HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync **pAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT *pcWriters) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT iWriter, VSS_ID *pidInstance, IVssExamineWriterMetadata **ppMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE FreeWriterMetadata() noexcept override;
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) noexcept override;
    HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE AbortBackup() noexcept override;
    HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync **pAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT *pcWriters) noexcept override;
    HRESULT STDMETHODCALLTYPE FreeWriterStatus() noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus, HRESULT *phResultFailure) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bSucceded) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszBackupOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bSelectedForRestore) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bAdditionalRestores) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPreviousBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszDestination) noexcept override;
    HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszSubComponentLogicalPath, LPCWSTR wszSubComponentName, bool bRepair) noexcept override;
    HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, VSS_FILE_RESTORE_STATUS status) noexcept override;
    HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName, bool bRecursive, LPCWSTR wszAlternatePath) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, UINT iPartialFile, LPCWSTR wszRangesFile) noexcept override;
    HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE SetContext(LONG lContext) noexcept override;
    HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID *pSnapshotSetId) noexcept override;
    HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId, VSS_ID *pidSnapshot) noexcept override;
    HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType, BOOL bForceDelete, LONG *plDeletedSnapshots, VSS_ID *pNondeletedSnapshotID) noexcept override;
    HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID SnapshotSetId) noexcept override;
    HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) noexcept override;
    HRESULT STDMETHODCALLTYPE Query(VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType, VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) noexcept override;
    HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName, BOOL *pbSupportedByThisProvider) noexcept override;
    HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept override;
    HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept override;
    HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID *rgWriterInstanceId, UINT cInstanceId) noexcept override;
    HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot, LONG lAttributes, VSS_PWSZ wszExpose, VSS_PWSZ *pwszExposed) noexcept override;
    HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID SnapshotId, BOOL bForceDismount) noexcept override;
    HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ pwszVolume, IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterMetadataEx(UINT iWriter, VSS_ID *pidInstance, IVssExamineWriterMetadataEx **ppMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE SetSelectedForRestoreEx(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bSelectedForRestore, VSS_ID instanceId) noexcept override;
    HRESULT STDMETHODCALLTYPE UnexposeSnapshot(VSS_ID snapshotId) noexcept override;
    HRESULT STDMETHODCALLTYPE SetAuthoritativeRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bAuth) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRollForward(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, VSS_ROLLFORWARD_TYPE rollType, LPCWSTR wszRollForwardPoint) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreName(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszRestoreName) noexcept override;
    HRESULT STDMETHODCALLTYPE BreakSnapshotSetEx(VSS_ID SnapshotSetID, DWORD dwBreakFlags, IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE PreFastRecovery(VSS_ID SnapshotSetID, DWORD dwPreFastRecoveryFlags, IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE FastRecovery(VSS_ID SnapshotSetID, DWORD dwFastRecoveryFlags, IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterStatusEx(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus, HRESULT *phrFailureWriter, HRESULT *phrApplication, BSTR *pbstrApplicationMessage) noexcept override;
    HRESULT STDMETHODCALLTYPE AddSnapshotToRecoverySet(VSS_ID snapshotId, DWORD dwFlags, VSS_PWSZ pwszDestinationVolume) noexcept override;
    HRESULT STDMETHODCALLTYPE RecoverSet(DWORD dwFlags, IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRootAndLogicalPrefixPaths(VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath, VSS_PWSZ *ppwszLogicalPrefix, BOOL bNormalizeFQDNforRootPath) noexcept override;

    void on_final_release() noexcept;

    // For tests: the session behind this object.
    core::Session &session() noexcept { return *session_; }

private:
    // Starts one asynchronous step of the session and hands the caller its IVssAsync.
    HRESULT start(HRESULT (core::Session::*step)(std::shared_ptr<core::Operation> &), IVssAsync **ppAsync);
    // The plain and Ex getters in one; `call` is the one the requester made (refusals name it).
    HRESULT writer_metadata(core::Call call, UINT iWriter, VSS_ID *pidInstance,
                            IVssExamineWriterMetadataEx **ppMetadata) noexcept;
    HRESULT writer_status(core::Call call, UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter,
                          VSS_WRITER_STATE *pnStatus, HRESULT *phrFailureWriter, HRESULT *phrApplication,
                          BSTR *pbstrApplicationMessage) noexcept;

    // A restore setter of the SDK: checks the component's name, then the session.
    HRESULT change_for_restore(core::Call call, const VSS_ID &writer_id, const VSS_ID *instance_id,
                               const VSS_COMPONENT_TYPE &type, LPCWSTR logical_path, LPCWSTR name,
                               const std::function<HRESULT(core::SelectedComponent &)> &change);

    // Reset at the last Release: a tombstone keeps no session, writer or coordinator alive.
    std::unique_ptr<core::Session> session_;
};

} // namespace vssapi::requester
