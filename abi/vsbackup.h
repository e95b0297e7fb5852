/*
 * vsbackup.h - Volume Shadow Copy Service: the requester side.
 *
 * Same names, values, IIDs, layouts and vtable slots as the Windows SDK's
 * vsbackup.h (vss-facts.md sections 2.4, 3.2, 3.3, 3.7 and 3.9), checked by
 * tests/abi/. GetWriterStatusEx is slot 60 of IVssBackupComponentsEx3.
 * Compiles on its own as C11, C++17 and C++20.
 */
#ifndef VSSAPI_VSBACKUP_H
#define VSSAPI_VSBACKUP_H

#include "vswriter.h"

#define VSS_SW_BOOTABLE_STATE (1 << 0)

/* ------------------------------------------------------------------ */
/* Component information from writer metadata. The four flags are 1-byte C++
 * `bool` in the SDK (not 4-byte BOOL, as some C translations wrongly have). */
typedef struct _VSS_COMPONENTINFO {
    VSS_COMPONENT_TYPE type;
    BSTR bstrLogicalPath;
    BSTR bstrComponentName;
    BSTR bstrCaption;
    BYTE *pbIcon;
    UINT cbIcon;
    bool bRestoreMetadata;
    bool bNotifyOnBackupComplete;
    bool bSelectable;
    bool bSelectableForRestore;
    DWORD dwComponentFlags;
    UINT cFileCount;
    UINT cDatabases;
    UINT cLogFiles;
    UINT cDependencies;
} VSS_COMPONENTINFO;
typedef const VSS_COMPONENTINFO *PVSSCOMPONENTINFO;

#if defined(__x86_64__) || defined(_M_X64) || defined(__aarch64__) || defined(_M_ARM64)
VSSAPI_STATIC_ASSERT(sizeof(VSS_COMPONENTINFO) == 72, "VSS_COMPONENTINFO is 72 bytes on 64-bit");
VSSAPI_STATIC_ASSERT(offsetof(VSS_COMPONENTINFO, bRestoreMetadata) == 44, "flags at 44-47");
VSSAPI_STATIC_ASSERT(offsetof(VSS_COMPONENTINFO, bNotifyOnBackupComplete) == 45, "flags at 44-47");
VSSAPI_STATIC_ASSERT(offsetof(VSS_COMPONENTINFO, bSelectable) == 46, "flags at 44-47");
VSSAPI_STATIC_ASSERT(offsetof(VSS_COMPONENTINFO, bSelectableForRestore) == 47, "flags at 44-47");
#endif

/* ------------------------------------------------------------------ */
/* Interface ids (vss-facts.md section 3.9). IVssWriterComponentsExt and
 * IVssWMComponent have none in the SDK. */

VSSAPI_DEFINE_GUID(IID_IVssBackupComponents, 0x665c1d5f, 0xc218, 0x414d, 0xa0, 0x5d, 0x7f, 0xef, 0x5f, 0x9d, 0x5c, 0x86);
VSSAPI_DEFINE_GUID(IID_IVssBackupComponentsEx, 0x963f03ad, 0x9e4c, 0x4a34, 0xac, 0x15, 0xe4, 0xb6, 0x17, 0x4e, 0x50, 0x36);
VSSAPI_DEFINE_GUID(IID_IVssBackupComponentsEx2, 0xacfe2b3a, 0x22c9, 0x4ef8, 0xbd, 0x03, 0x2f, 0x9c, 0xa2, 0x30, 0x08, 0x4e);
VSSAPI_DEFINE_GUID(IID_IVssBackupComponentsEx3, 0xc191bfbc, 0xb602, 0x4675, 0x8b, 0xd1, 0x67, 0xd6, 0x42, 0xf5, 0x29, 0xd5);
VSSAPI_DEFINE_GUID(IID_IVssBackupComponentsEx4, 0xf434c2fd, 0xb553, 0x4961, 0xa9, 0xf9, 0xa8, 0xe9, 0x0b, 0x67, 0x3e, 0x53);
VSSAPI_DEFINE_GUID(IID_IVssExamineWriterMetadata, 0x902fcf7f, 0xb7fd, 0x42f8, 0x81, 0xf1, 0xb2, 0xe4, 0x00, 0xb1, 0xe5, 0xbd);
VSSAPI_DEFINE_GUID(IID_IVssExamineWriterMetadataEx, 0x0c0e5ec0, 0xca44, 0x472b, 0xb7, 0x02, 0xe6, 0x52, 0xdb, 0x1c, 0x04, 0x51);
VSSAPI_DEFINE_GUID(IID_IVssExamineWriterMetadataEx2, 0xce115780, 0xa611, 0x431b, 0xb5, 0x7f, 0xc3, 0x83, 0x03, 0xab, 0x6a, 0xee);
/* ------------------------------------------------------------------ */
/* Interfaces (slot numbers: vss-facts.md section 3.2; pinned by
 * tests/abi/slots.c). In C the methods of base interfaces are listed
 * again so each Vtbl struct spells out every slot in order. */



/* IVssWriterComponentsExt: the SDK derives it from IVssWriterComponents AND
 * IUnknown (multiple inheritance): the first vtable pointer holds the three
 * component methods, the second (one pointer further on) IUnknown's. */
#ifdef __cplusplus
struct IVssWriterComponentsExt : public IVssWriterComponents, public IUnknown {};
#else
#define INTERFACE IVssWriterComponentsExt
typedef struct IVssWriterComponentsExt IVssWriterComponentsExt;
typedef struct IVssWriterComponentsExtVtbl {
    VSSAPI_IVSSWRITERCOMPONENTS_METHODS
} IVssWriterComponentsExtVtbl;
struct IVssWriterComponentsExt {
    const IVssWriterComponentsExtVtbl *lpVtbl;
    const IUnknownVtbl *lpUnknownVtbl; /* call with This = (IUnknown *)&p->lpUnknownVtbl */
};
#undef INTERFACE
#endif

/* IVssWMComponent (no IID): slots 3-8. */
#define VSSAPI_IVSSWMCOMPONENT_METHODS                                                             \
    STDMETHOD(GetComponentInfo)(THIS_ PVSSCOMPONENTINFO *ppInfo) PURE;                             \
    STDMETHOD(FreeComponentInfo)(THIS_ PVSSCOMPONENTINFO pInfo) PURE;                              \
    STDMETHOD(GetFile)(THIS_ UINT iFile, IVssWMFiledesc **ppFiledesc) PURE;                        \
    STDMETHOD(GetDatabaseFile)(THIS_ UINT iDBFile, IVssWMFiledesc **ppFiledesc) PURE;              \
    STDMETHOD(GetDatabaseLogFile)(THIS_ UINT iDbLogFile, IVssWMFiledesc **ppFiledesc) PURE;        \
    STDMETHOD(GetDependency)(THIS_ UINT iDependency, IVssWMDependency **ppDependency) PURE;

#undef INTERFACE
#define INTERFACE IVssWMComponent
DECLARE_INTERFACE_(IVssWMComponent, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSWMCOMPONENT_METHODS
    END_INTERFACE
};

/* IVssExamineWriterMetadata: slots 3-13. */
#define VSSAPI_IVSSEXAMINEWRITERMETADATA_METHODS                                                   \
    STDMETHOD(GetIdentity)(THIS_ VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName,    \
                           VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) PURE;                 \
    STDMETHOD(GetFileCounts)(THIS_ UINT *pcIncludeFiles, UINT *pcExcludeFiles,                     \
                             UINT *pcComponents) PURE;                                             \
    STDMETHOD(GetIncludeFile)(THIS_ UINT iFile, IVssWMFiledesc **ppFiledesc) PURE;                 \
    STDMETHOD(GetExcludeFile)(THIS_ UINT iFile, IVssWMFiledesc **ppFiledesc) PURE;                 \
    STDMETHOD(GetComponent)(THIS_ UINT iComponent, IVssWMComponent **ppComponent) PURE;            \
    STDMETHOD(GetRestoreMethod)(THIS_ VSS_RESTOREMETHOD_ENUM *pMethod, BSTR *pbstrService,         \
                                BSTR *pbstrUserProcedure, VSS_WRITERRESTORE_ENUM *pwriterRestore,  \
                                bool *pbRebootRequired, UINT *pcMappings) PURE;                    \
    STDMETHOD(GetAlternateLocationMapping)(THIS_ UINT iMapping, IVssWMFiledesc **ppFiledesc) PURE; \
    STDMETHOD(GetBackupSchema)(THIS_ DWORD *pdwSchemaMask) PURE;                                   \
    STDMETHOD(GetDocument)(THIS_ IXMLDOMDocument **pDoc) PURE;                                     \
    STDMETHOD(SaveAsXML)(THIS_ BSTR *pbstrXML) PURE;                                               \
    STDMETHOD(LoadFromXML)(THIS_ BSTR bstrXML) PURE;

/* IVssExamineWriterMetadataEx: slot 14. */
#define VSSAPI_IVSSEXAMINEWRITERMETADATAEX_METHODS                                                 \
    STDMETHOD(GetIdentityEx)(THIS_ VSS_ID *pidInstance, VSS_ID *pidWriter,                         \
                             BSTR *pbstrWriterName, BSTR *pbstrInstanceName,                       \
                             VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) PURE;

/* IVssExamineWriterMetadataEx2: slots 15-17. */
#define VSSAPI_IVSSEXAMINEWRITERMETADATAEX2_METHODS                                                \
    STDMETHOD(GetVersion)(THIS_ DWORD *pdwMajorVersion, DWORD *pdwMinorVersion) PURE;              \
    STDMETHOD(GetExcludeFromSnapshotCount)(THIS_ UINT *pcExcludedFromSnapshot) PURE;               \
    STDMETHOD(GetExcludeFromSnapshotFile)(THIS_ UINT iFile, IVssWMFiledesc **ppFiledesc) PURE;

#undef INTERFACE
#define INTERFACE IVssExamineWriterMetadata
DECLARE_INTERFACE_(IVssExamineWriterMetadata, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSEXAMINEWRITERMETADATA_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssExamineWriterMetadataEx
DECLARE_INTERFACE_(IVssExamineWriterMetadataEx, IVssExamineWriterMetadata)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSEXAMINEWRITERMETADATA_METHODS
#endif
    VSSAPI_IVSSEXAMINEWRITERMETADATAEX_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssExamineWriterMetadataEx2
DECLARE_INTERFACE_(IVssExamineWriterMetadataEx2, IVssExamineWriterMetadataEx)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSEXAMINEWRITERMETADATA_METHODS
    VSSAPI_IVSSEXAMINEWRITERMETADATAEX_METHODS
#endif
    VSSAPI_IVSSEXAMINEWRITERMETADATAEX2_METHODS
    END_INTERFACE
};
#undef INTERFACE

/* IVssBackupComponents: slots 3-50. */
#define VSSAPI_IVSSBACKUPCOMPONENTS_METHODS                                                        \
    STDMETHOD(GetWriterComponentsCount)(THIS_ UINT *pcComponents) PURE;                            \
    STDMETHOD(GetWriterComponents)(THIS_ UINT iWriter, IVssWriterComponentsExt **ppWriter) PURE;   \
    STDMETHOD(InitializeForBackup)(THIS_ BSTR bstrXML VSSAPI_DEFAULT(NULL)) PURE;                  \
    STDMETHOD(SetBackupState)(THIS_ bool bSelectComponents, bool bBackupBootableSystemState,       \
                              VSS_BACKUP_TYPE backupType,                                          \
                              bool bPartialFileSupport VSSAPI_DEFAULT(false)) PURE;                \
    STDMETHOD(InitializeForRestore)(THIS_ BSTR bstrXML) PURE;                                      \
    STDMETHOD(SetRestoreState)(THIS_ VSS_RESTORE_TYPE restoreType) PURE;                           \
    STDMETHOD(GatherWriterMetadata)(THIS_ IVssAsync **pAsync) PURE;                                \
    STDMETHOD(GetWriterMetadataCount)(THIS_ UINT *pcWriters) PURE;                                 \
    STDMETHOD(GetWriterMetadata)(THIS_ UINT iWriter, VSS_ID *pidInstance,                          \
                                 IVssExamineWriterMetadata **ppMetadata) PURE;                     \
    STDMETHOD(FreeWriterMetadata)(THIS) PURE;                                                      \
    STDMETHOD(AddComponent)(THIS_ VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,       \
                            LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) PURE;                \
    STDMETHOD(PrepareForBackup)(THIS_ IVssAsync **ppAsync) PURE;                                   \
    STDMETHOD(AbortBackup)(THIS) PURE;                                                             \
    STDMETHOD(GatherWriterStatus)(THIS_ IVssAsync **pAsync) PURE;                                  \
    STDMETHOD(GetWriterStatusCount)(THIS_ UINT *pcWriters) PURE;                                   \
    STDMETHOD(FreeWriterStatus)(THIS) PURE;                                                        \
    STDMETHOD(GetWriterStatus)(THIS_ UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,         \
                               BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,                      \
                               HRESULT *phResultFailure) PURE;                                     \
    STDMETHOD(SetBackupSucceeded)(THIS_ VSS_ID instanceId, VSS_ID writerId,                        \
                                  VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,                   \
                                  LPCWSTR wszComponentName, bool bSucceded) PURE;                  \
    STDMETHOD(SetBackupOptions)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                      \
                                LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,                  \
                                LPCWSTR wszBackupOptions) PURE;                                    \
    STDMETHOD(SetSelectedForRestore)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                 \
                                     LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,             \
                                     bool bSelectedForRestore) PURE;                               \
    STDMETHOD(SetRestoreOptions)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                     \
                                 LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,                 \
                                 LPCWSTR wszRestoreOptions) PURE;                                  \
    STDMETHOD(SetAdditionalRestores)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                 \
                                     LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,             \
                                     bool bAdditionalRestores) PURE;                               \
    STDMETHOD(SetPreviousBackupStamp)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                \
                                      LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,            \
                                      LPCWSTR wszPreviousBackupStamp) PURE;                        \
    STDMETHOD(SaveAsXML)(THIS_ BSTR *pbstrXML) PURE;                                               \
    STDMETHOD(BackupComplete)(THIS_ IVssAsync **ppAsync) PURE;                                     \
    STDMETHOD(AddAlternativeLocationMapping)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,         \
                                             LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,     \
                                             LPCWSTR wszPath, LPCWSTR wszFilespec,                 \
                                             bool bRecursive, LPCWSTR wszDestination) PURE;        \
    STDMETHOD(AddRestoreSubcomponent)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                \
                                      LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,            \
                                      LPCWSTR wszSubComponentLogicalPath,                          \
                                      LPCWSTR wszSubComponentName, bool bRepair) PURE;             \
    STDMETHOD(SetFileRestoreStatus)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                  \
                                    LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,              \
                                    VSS_FILE_RESTORE_STATUS status) PURE;                          \
    STDMETHOD(AddNewTarget)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                          \
                            LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath,     \
                            LPCWSTR wszFileName, bool bRecursive,                                  \
                            LPCWSTR wszAlternatePath) PURE;                                        \
    STDMETHOD(SetRangesFilePath)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                     \
                                 LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,                 \
                                 UINT iPartialFile, LPCWSTR wszRangesFile) PURE;                   \
    STDMETHOD(PreRestore)(THIS_ IVssAsync **ppAsync) PURE;                                         \
    STDMETHOD(PostRestore)(THIS_ IVssAsync **ppAsync) PURE;                                        \
    STDMETHOD(SetContext)(THIS_ LONG lContext) PURE;                                               \
    STDMETHOD(StartSnapshotSet)(THIS_ VSS_ID *pSnapshotSetId) PURE;                                \
    STDMETHOD(AddToSnapshotSet)(THIS_ VSS_PWSZ pwszVolumeName, VSS_ID ProviderId,                  \
                                VSS_ID *pidSnapshot) PURE;                                         \
    STDMETHOD(DoSnapshotSet)(THIS_ IVssAsync **ppAsync) PURE;                                      \
    STDMETHOD(DeleteSnapshots)(THIS_ VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,     \
                               BOOL bForceDelete, LONG *plDeletedSnapshots,                        \
                               VSS_ID *pNondeletedSnapshotID) PURE;                                \
    STDMETHOD(ImportSnapshots)(THIS_ IVssAsync **ppAsync) PURE;                                    \
    STDMETHOD(BreakSnapshotSet)(THIS_ VSS_ID SnapshotSetId) PURE;                                  \
    STDMETHOD(GetSnapshotProperties)(THIS_ VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) PURE;      \
    STDMETHOD(Query)(THIS_ VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,             \
                     VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) PURE;          \
    STDMETHOD(IsVolumeSupported)(THIS_ VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,                 \
                                 BOOL *pbSupportedByThisProvider) PURE;                            \
    STDMETHOD(DisableWriterClasses)(THIS_ const VSS_ID *rgWriterClassId, UINT cClassId) PURE;      \
    STDMETHOD(EnableWriterClasses)(THIS_ const VSS_ID *rgWriterClassId, UINT cClassId) PURE;       \
    STDMETHOD(DisableWriterInstances)(THIS_ const VSS_ID *rgWriterInstanceId,                      \
                                      UINT cInstanceId) PURE;                                      \
    STDMETHOD(ExposeSnapshot)(THIS_ VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot,                   \
                              LONG lAttributes, VSS_PWSZ wszExpose,                                \
                              VSS_PWSZ *pwszExposed) PURE;                                         \
    STDMETHOD(RevertToSnapshot)(THIS_ VSS_ID SnapshotId, BOOL bForceDismount) PURE;                \
    STDMETHOD(QueryRevertStatus)(THIS_ VSS_PWSZ pwszVolume, IVssAsync **ppAsync) PURE;

/* IVssBackupComponentsEx: slots 51-52. */
#define VSSAPI_IVSSBACKUPCOMPONENTSEX_METHODS                                                      \
    STDMETHOD(GetWriterMetadataEx)(THIS_ UINT iWriter, VSS_ID *pidInstance,                        \
                                   IVssExamineWriterMetadataEx **ppMetadata) PURE;                 \
    STDMETHOD(SetSelectedForRestoreEx)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,               \
                                       LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,           \
                                       bool bSelectedForRestore,                                   \
                                       VSS_ID instanceId VSSAPI_DEFAULT(GUID_NULL)) PURE;

/* IVssBackupComponentsEx2: slots 53-59. */
#define VSSAPI_IVSSBACKUPCOMPONENTSEX2_METHODS                                                     \
    STDMETHOD(UnexposeSnapshot)(THIS_ VSS_ID snapshotId) PURE;                                     \
    STDMETHOD(SetAuthoritativeRestore)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,               \
                                       LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,           \
                                       bool bAuth) PURE;                                           \
    STDMETHOD(SetRollForward)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                        \
                              LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,                    \
                              VSS_ROLLFORWARD_TYPE rollType, LPCWSTR wszRollForwardPoint) PURE;    \
    STDMETHOD(SetRestoreName)(THIS_ VSS_ID writerId, VSS_COMPONENT_TYPE ct,                        \
                              LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,                    \
                              LPCWSTR wszRestoreName) PURE;                                        \
    STDMETHOD(BreakSnapshotSetEx)(THIS_ VSS_ID SnapshotSetID, DWORD dwBreakFlags,                  \
                                  IVssAsync **ppAsync) PURE;                                       \
    STDMETHOD(PreFastRecovery)(THIS_ VSS_ID SnapshotSetID, DWORD dwPreFastRecoveryFlags,           \
                               IVssAsync **ppAsync) PURE;                                          \
    STDMETHOD(FastRecovery)(THIS_ VSS_ID SnapshotSetID, DWORD dwFastRecoveryFlags,                 \
                            IVssAsync **ppAsync) PURE;

/* IVssBackupComponentsEx3: slots 60-63. GetWriterStatusEx is slot 60. */
#define VSSAPI_IVSSBACKUPCOMPONENTSEX3_METHODS                                                     \
    STDMETHOD(GetWriterStatusEx)(THIS_ UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,       \
                                 BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,                    \
                                 HRESULT *phrFailureWriter,                                        \
                                 HRESULT *phrApplication VSSAPI_DEFAULT(NULL),                     \
                                 BSTR *pbstrApplicationMessage VSSAPI_DEFAULT(NULL)) PURE;         \
    STDMETHOD(AddSnapshotToRecoverySet)(THIS_ VSS_ID snapshotId, DWORD dwFlags,                    \
                                        VSS_PWSZ pwszDestinationVolume VSSAPI_DEFAULT(NULL)) PURE; \
    STDMETHOD(RecoverSet)(THIS_ DWORD dwFlags, IVssAsync **ppAsync) PURE;                          \
    STDMETHOD(GetSessionId)(THIS_ VSS_ID *idSession) PURE;

/* IVssBackupComponentsEx4: slot 64. */
#define VSSAPI_IVSSBACKUPCOMPONENTSEX4_METHODS                                                     \
    STDMETHOD(GetRootAndLogicalPrefixPaths)(THIS_ VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath,  \
                                            VSS_PWSZ *ppwszLogicalPrefix,                          \
                                            BOOL bNormalizeFQDNforRootPath                         \
                                                VSSAPI_DEFAULT(FALSE)) PURE;

#undef INTERFACE
#define INTERFACE IVssBackupComponents
DECLARE_INTERFACE_(IVssBackupComponents, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSBACKUPCOMPONENTS_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssBackupComponentsEx
DECLARE_INTERFACE_(IVssBackupComponentsEx, IVssBackupComponents)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTS_METHODS
#endif
    VSSAPI_IVSSBACKUPCOMPONENTSEX_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssBackupComponentsEx2
DECLARE_INTERFACE_(IVssBackupComponentsEx2, IVssBackupComponentsEx)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTS_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTSEX_METHODS
#endif
    VSSAPI_IVSSBACKUPCOMPONENTSEX2_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssBackupComponentsEx3
DECLARE_INTERFACE_(IVssBackupComponentsEx3, IVssBackupComponentsEx2)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTS_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTSEX_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTSEX2_METHODS
#endif
    VSSAPI_IVSSBACKUPCOMPONENTSEX3_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssBackupComponentsEx4
DECLARE_INTERFACE_(IVssBackupComponentsEx4, IVssBackupComponentsEx3)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTS_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTSEX_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTSEX2_METHODS
    VSSAPI_IVSSBACKUPCOMPONENTSEX3_METHODS
#endif
    VSSAPI_IVSSBACKUPCOMPONENTSEX4_METHODS
    END_INTERFACE
};
#undef INTERFACE

/* ------------------------------------------------------------------ */
/* Exported functions and the SDK's inline wrappers. */
VSSAPI_BEGIN_DECLS

/* Creates a requester object (one backup or restore session). The SDK's
 * CreateVssBackupComponents wrapper calls this export. */
VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents **ppBackup) VSSAPI_NOTHROW;

/* Frees the strings GetSnapshotProperties put in *pProp (not pProp itself).
 * The DLL also exports it as VssFreeSnapshotProperties, for GetProcAddress. */
VSSAPI_EXPORT void STDAPICALLTYPE VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP *pProp) VSSAPI_NOTHROW;

/* Reads a saved Writer Metadata Document (IVssExamineWriterMetadata::SaveAsXML
 * or IVssCreateWriterMetadata::SaveAsXML) into a new examine object, so a
 * restore can use the metadata of a writer that is not running. The SDK's
 * CreateVssExamineWriterMetadata wrapper calls this export. */
VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateVssExamineWriterMetadataInternal(BSTR bstrXML,
                                                                            IVssExamineWriterMetadata **ppMetadata) VSSAPI_NOTHROW;

/* Whether any snapshot of the volume exists (*pbSnapshotsPresent) and what
 * its provider forbids on it while one does (*plSnapshotCapability, a
 * VSS_SNAPSHOT_COMPATIBILITY mask). The SDK's IsVolumeSnapshotted wrapper
 * calls this export; the DLL also exports it under that name. */
VSSAPI_EXPORT HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent,
                                                           LONG *plSnapshotCapability) VSSAPI_NOTHROW;

/* Whether a writer that cannot take part in a revert owns data on the volume
 * (*pbBlock). The SDK's ShouldBlockRevert wrapper calls this export. */
VSSAPI_EXPORT HRESULT APIENTRY ShouldBlockRevertInternal(LPCWSTR wszVolumeName, bool *pbBlock) VSSAPI_NOTHROW;

VSSAPI_END_DECLS

#ifdef __cplusplus
inline HRESULT IsVolumeSnapshotted(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent, LONG *plSnapshotCapability)
{
    return IsVolumeSnapshottedInternal(pwszVolumeName, pbSnapshotsPresent, plSnapshotCapability);
}
inline HRESULT ShouldBlockRevert(LPCWSTR wszVolumeName, bool *pbBlock)
{
    return ShouldBlockRevertInternal(wszVolumeName, pbBlock);
}
inline HRESULT CreateVssBackupComponents(IVssBackupComponents **ppBackup)
{
    return CreateVssBackupComponentsInternal(ppBackup);
}
inline void VssFreeSnapshotProperties(VSS_SNAPSHOT_PROP *pProp)
{
    VssFreeSnapshotPropertiesInternal(pProp);
}
inline HRESULT CreateVssExamineWriterMetadata(BSTR bstrXML, IVssExamineWriterMetadata **ppMetadata)
{
    return CreateVssExamineWriterMetadataInternal(bstrXML, ppMetadata);
}
#else
static inline HRESULT IsVolumeSnapshotted(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent, LONG *plSnapshotCapability)
{
    return IsVolumeSnapshottedInternal(pwszVolumeName, pbSnapshotsPresent, plSnapshotCapability);
}
static inline HRESULT ShouldBlockRevert(LPCWSTR wszVolumeName, bool *pbBlock)
{
    return ShouldBlockRevertInternal(wszVolumeName, pbBlock);
}
static inline HRESULT CreateVssBackupComponents(IVssBackupComponents **ppBackup)
{
    return CreateVssBackupComponentsInternal(ppBackup);
}
static inline void VssFreeSnapshotProperties(VSS_SNAPSHOT_PROP *pProp)
{
    VssFreeSnapshotPropertiesInternal(pProp);
}
static inline HRESULT CreateVssExamineWriterMetadata(BSTR bstrXML, IVssExamineWriterMetadata **ppMetadata)
{
    return CreateVssExamineWriterMetadataInternal(bstrXML, ppMetadata);
}
#endif

#endif /* VSSAPI_VSBACKUP_H */
