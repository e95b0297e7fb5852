// The Windows SDK's VSS declarations as Microsoft's documentation describes
// them, written for programs that Microsoft's compiler (or clang in its
// MSVC mode) builds without the SDK or a C runtime: the test programs here
// are what a Windows backup tool or writer service is, down to its calling
// conventions, vtable layout and decorated names (contract C-9).
//
// Not openvss's headers on purpose: abi/ is the portable API; this is the
// other side of the binary interface, as the SDK spells it.
#pragma once

typedef long HRESULT;
typedef long LONG;
typedef unsigned long ULONG;
typedef unsigned long DWORD;
typedef unsigned int UINT;
typedef int INT;
typedef int BOOL;
typedef unsigned char BYTE;
typedef wchar_t WCHAR;
typedef const WCHAR *LPCWSTR;
typedef WCHAR *LPWSTR;
typedef WCHAR *BSTR;
typedef WCHAR *VSS_PWSZ;
typedef long long VSS_TIMESTAMP;
typedef decltype(sizeof 0) SIZE_T; // pointer-sized, as on Windows

struct _GUID {
    unsigned long Data1;
    unsigned short Data2;
    unsigned short Data3;
    unsigned char Data4[8];
};
typedef _GUID GUID;
typedef GUID VSS_ID;
typedef GUID IID;
typedef GUID CLSID;
typedef const IID &REFIID;

#define STDMETHODCALLTYPE __stdcall
#define STDAPICALLTYPE __stdcall
#define APIENTRY __stdcall
#define S_OK ((HRESULT)0)
#define S_FALSE ((HRESULT)1)
#define E_FAIL ((HRESULT)0x80004005L)
#define E_UNEXPECTED ((HRESULT)0x8000FFFFL)
#define VSS_S_ASYNC_FINISHED ((HRESULT)0x0004230AL)
#define VSS_E_BAD_STATE ((HRESULT)0x80042301L)
#define VSS_E_OBJECT_NOT_FOUND ((HRESULT)0x80042308L)
#define VSS_E_WRITERERROR_RETRYABLE ((HRESULT)0x800423F3L)
#define VSS_E_WRITERERROR_NONRETRYABLE ((HRESULT)0x800423F4L)
#define VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT ((HRESULT)0x800423F0L)
#define VSS_E_WRITER_NOT_RESPONDING ((HRESULT)0x800423E7L)
#define INFINITE 0xFFFFFFFFul
#define TRUE 1
#define FALSE 0

inline bool same_guid(const GUID &a, const GUID &b)
{
    const unsigned char *x = reinterpret_cast<const unsigned char *>(&a);
    const unsigned char *y = reinterpret_cast<const unsigned char *>(&b);
    for (int i = 0; i < 16; ++i) {
        if (x[i] != y[i]) {
            return false;
        }
    }
    return true;
}

// IIDs from vss-facts.md section 3.9.
constexpr IID IID_IVssBackupComponentsEx3 = {0xc191bfbc, 0xb602, 0x4675, {0x8b, 0xd1, 0x67, 0xd6, 0x42, 0xf5, 0x29, 0xd5}};
constexpr IID IID_IVssComponentEx2 = {0x3b5be0f2, 0x07a9, 0x4e4b, {0xbd, 0xd3, 0xcf, 0xdc, 0x8e, 0x2c, 0x0d, 0x2d}};

enum VSS_WRITER_STATE {
    VSS_WS_UNKNOWN = 0,
    VSS_WS_STABLE = 1,
    VSS_WS_WAITING_FOR_BACKUP_COMPLETE = 5,
    VSS_WS_FAILED_AT_PREPARE_BACKUP = 7,
    VSS_WS_FAILED_AT_PREPARE_SNAPSHOT = 8,
    VSS_WS_FAILED_AT_FREEZE = 9,
};
// Tag names as the SDK has them: they are part of the decorated export names.
typedef enum _VSS_BACKUP_TYPE { VSS_BT_UNDEFINED = 0, VSS_BT_FULL = 1 } VSS_BACKUP_TYPE;
typedef enum _VSS_RESTORE_TYPE { VSS_RTYPE_UNDEFINED = 0 } VSS_RESTORE_TYPE;
enum VSS_OBJECT_TYPE { VSS_OBJECT_UNKNOWN = 0, VSS_OBJECT_NONE = 1, VSS_OBJECT_SNAPSHOT_SET = 2, VSS_OBJECT_SNAPSHOT = 3 };
enum VSS_SNAPSHOT_STATE { VSS_SS_UNKNOWN = 0 };
enum VSS_FILE_RESTORE_STATUS { VSS_RS_UNDEFINED = 0 };
enum VSS_COMPONENT_TYPE { VSS_CT_UNDEFINED = 0, VSS_CT_DATABASE = 1, VSS_CT_FILEGROUP = 2 };
enum VSS_USAGE_TYPE { VSS_UT_UNDEFINED = 0, VSS_UT_USERDATA = 3 };
enum VSS_SOURCE_TYPE { VSS_ST_UNDEFINED = 0, VSS_ST_TRANSACTEDDB = 1, VSS_ST_NONTRANSACTEDDB = 2 };
typedef enum _VSS_APPLICATION_LEVEL {
    VSS_APP_UNKNOWN = 0,
    VSS_APP_SYSTEM = 1,
    VSS_APP_BACK_END = 2,
    VSS_APP_FRONT_END = 3,
    VSS_APP_AUTO = -1
} VSS_APPLICATION_LEVEL;
enum VSS_ALTERNATE_WRITER_STATE { VSS_AWS_UNDEFINED = 0, VSS_AWS_NO_ALTERNATE_WRITER = 1 };
enum VSS_RESTOREMETHOD_ENUM { VSS_RME_UNDEFINED = 0 };
enum VSS_WRITERRESTORE_ENUM { VSS_WRE_UNDEFINED = 0 };
enum VSS_ROLLFORWARD_TYPE { VSS_RF_UNDEFINED = 0 };
enum VSS_RESTORE_TARGET { VSS_RT_UNDEFINED = 0 };
enum { VSS_SM_BACKUP_EVENTS_FLAG = 2, VSS_SM_RESTORE_EVENTS_FLAG = 4 };
enum { VSS_CTX_BACKUP = 0 };

struct VSS_SNAPSHOT_PROP {
    VSS_ID m_SnapshotId;
    VSS_ID m_SnapshotSetId;
    LONG m_lSnapshotsCount;
    VSS_PWSZ m_pwszSnapshotDeviceObject;
    VSS_PWSZ m_pwszOriginalVolumeName;
    VSS_PWSZ m_pwszOriginatingMachine;
    VSS_PWSZ m_pwszServiceMachine;
    VSS_PWSZ m_pwszExposedName;
    VSS_PWSZ m_pwszExposedPath;
    VSS_ID m_ProviderId;
    LONG m_lSnapshotAttributes;
    VSS_TIMESTAMP m_tsCreationTimestamp;
    VSS_SNAPSHOT_STATE m_eStatus;
};

struct VSS_COMPONENTINFO {
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
};
typedef const VSS_COMPONENTINFO *PVSSCOMPONENTINFO;

struct IXMLDOMDocument;
struct FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
};

// COM interfaces: MIDL-style structs; VSS's hand-written ones are classes
// (the decorated export names say so: PEAVIVssBackupComponents).
struct IUnknown {
    virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) = 0;
    virtual ULONG STDMETHODCALLTYPE AddRef() = 0;
    virtual ULONG STDMETHODCALLTYPE Release() = 0;
};

class IVssAsync : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE Cancel() = 0;
    virtual HRESULT STDMETHODCALLTYPE Wait(DWORD dwMilliseconds = INFINITE) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT *pHrResult, INT *pReserved) = 0;
};

class IVssWMFiledesc;
class IVssWMDependency;

class IVssWMComponent : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetComponentInfo(PVSSCOMPONENTINFO *ppInfo) = 0;
    virtual HRESULT STDMETHODCALLTYPE FreeComponentInfo(PVSSCOMPONENTINFO pInfo) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT iDBFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT iDbLogFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDependency(UINT iDependency, IVssWMDependency **ppDependency) = 0;
};

class IVssExamineWriterMetadata : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetIdentity(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName,
                                                  VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFileCounts(UINT *pcIncludeFiles, UINT *pcExcludeFiles, UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetIncludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetExcludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssWMComponent **ppComponent) = 0;
    // slots 8-13 follow (GetRestoreMethod ... LoadFromXML); not called here.
};

class IVssComponent : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrPath) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponentType(VSS_COMPONENT_TYPE *pct) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrName) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupSucceeded(bool *pbSucceeded) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAlternateLocationMappingCount(UINT *pcMappings) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupMetadata(LPCWSTR wszData) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupMetadata(BSTR *pbstrData) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddPartialFile(LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges,
                                                     LPCWSTR wszMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPartialFileCount(UINT *pcPartialFiles) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename,
                                                     BSTR *pbstrRange, BSTR *pbstrMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE IsSelectedForRestore(bool *pbSelectedForRestore) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAdditionalRestores(bool *pbAdditionalRestores) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetNewTargetCount(UINT *pcNewTarget) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetNewTarget(UINT iNewTarget, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDirectedTarget(LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDirectedTargetCount(UINT *pcDirectedTarget) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDirectedTarget(UINT, BSTR *, BSTR *, BSTR *, BSTR *, BSTR *, BSTR *) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreMetadata(LPCWSTR wszRestoreMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreMetadata(BSTR *pbstrRestoreMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreTarget(VSS_RESTORE_TARGET target) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupStamp(LPCWSTR wszBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupStamp(BSTR *pbstrBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPreviousBackupStamp(BSTR *pbstrBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupOptions(BSTR *pbstrBackupOptions) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreOptions(BSTR *pbstrRestoreOptions) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreSubcomponent(UINT, BSTR *, BSTR *, bool *) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyTime(LPCWSTR, LPCWSTR, BOOL, FILETIME) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyLSN(LPCWSTR, LPCWSTR, BOOL, BSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDifferencedFilesCount(UINT *pcDifferencedFiles) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDifferencedFile(UINT, BSTR *, BSTR *, BOOL *, BSTR *, FILETIME *) = 0;
};

class IVssComponentEx : public IVssComponent {
public:
    virtual HRESULT STDMETHODCALLTYPE SetPrepareForBackupFailureMsg(LPCWSTR wszFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPostSnapshotFailureMsg(LPCWSTR wszFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPrepareForBackupFailureMsg(BSTR *pbstrFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPostSnapshotFailureMsg(BSTR *pbstrFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAuthoritativeRestore(bool *pbAuth) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreName(BSTR *pbstrName) = 0;
};

class IVssComponentEx2 : public IVssComponentEx {
public:
    virtual HRESULT STDMETHODCALLTYPE SetFailure(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage,
                                                 DWORD dwReserved) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFailure(HRESULT *phr, HRESULT *phrApplication, BSTR *pbstrApplicationMessage,
                                                 DWORD *pdwReserved) = 0;
};

// The writer's view of its components: no IUnknown.
class IVssWriterComponents {
public:
    virtual HRESULT STDMETHODCALLTYPE GetComponentCount(UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssComponent **ppComponent) = 0;
};

// The requester's view: the same three, then IUnknown as a second base.
class IVssWriterComponentsExt : public IVssWriterComponents, public IUnknown {};

class IVssCreateWriterMetadata {
public:
    virtual HRESULT STDMETHODCALLTYPE AddIncludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                                      LPCWSTR wszAlternateLocation) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName, LPCWSTR wszCaption, const BYTE *pbIcon,
                                                   UINT cbIcon, bool bRestoreMetadata, bool bNotifyOnBackupComplete,
                                                   bool bSelectable, bool bSelectableForRestore = false,
                                                   DWORD dwComponentFlags = 0) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDatabaseFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName,
                                                       LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                       DWORD dwBackupTypeMask = 0xF0F) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDatabaseLogFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName,
                                                          LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                          DWORD dwBackupTypeMask = 0xF0F) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName,
                                                          LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                                          LPCWSTR wszAlternateLocation,
                                                          DWORD dwBackupTypeMask = 0xF0F) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService,
                                                       LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore,
                                                       bool bRebootRequired) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddAlternateLocationMapping(LPCWSTR, LPCWSTR, bool, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR, LPCWSTR, VSS_ID, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD dwSchemaMask) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
};

class IVssCreateWriterMetadataEx : public IVssCreateWriterMetadata, public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE AddExcludeFilesFromSnapshot(LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                                  bool bRecursive) = 0;
};

class IVssEnumObject;

class IVssBackupComponents : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT iWriter, IVssWriterComponentsExt **ppWriter) = 0;
    virtual HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR bstrXML = nullptr) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupState(bool bSelectComponents, bool bBackupBootableSystemState,
                                                     VSS_BACKUP_TYPE backupType, bool bPartialFileSupport = false) = 0;
    virtual HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR bstrXML) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE restoreType) = 0;
    virtual HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync **pAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT *pcWriters) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT iWriter, VSS_ID *pidInstance,
                                                        IVssExamineWriterMetadata **ppMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE FreeWriterMetadata() = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                   LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) = 0;
    virtual HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE AbortBackup() = 0;
    virtual HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync **pAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT *pcWriters) = 0;
    virtual HRESULT STDMETHODCALLTYPE FreeWriterStatus() = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                      BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                      HRESULT *phResultFailure) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                         LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                         bool bSucceded) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, bool) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, bool) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
    virtual HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR,
                                                                    LPCWSTR, LPCWSTR, bool, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR,
                                                             LPCWSTR, bool) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR,
                                                           VSS_FILE_RESTORE_STATUS) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, bool,
                                                   LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, UINT, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetContext(LONG lContext) = 0;
    virtual HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID *pSnapshotSetId) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId,
                                                       VSS_ID *pidSnapshot) = 0;
    virtual HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,
                                                      BOOL bForceDelete, LONG *plDeletedSnapshots,
                                                      VSS_ID *pNondeletedSnapshotID) = 0;
    virtual HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID SnapshotSetId) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) = 0;
    virtual HRESULT STDMETHODCALLTYPE Query(VSS_ID, VSS_OBJECT_TYPE, VSS_OBJECT_TYPE, IVssEnumObject **) = 0;
    virtual HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,
                                                        BOOL *pbSupportedByThisProvider) = 0;
    virtual HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) = 0;
    virtual HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) = 0;
    virtual HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID *rgWriterInstanceId, UINT cInstanceId) = 0;
    virtual HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID, VSS_PWSZ, LONG, VSS_PWSZ, VSS_PWSZ *) = 0;
    virtual HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID SnapshotId, BOOL bForceDismount) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ pwszVolume, IVssAsync **ppAsync) = 0;
};

class IVssExamineWriterMetadataEx;

class IVssBackupComponentsEx : public IVssBackupComponents {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterMetadataEx(UINT, VSS_ID *, IVssExamineWriterMetadataEx **) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetSelectedForRestoreEx(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, bool,
                                                              VSS_ID) = 0;
};

class IVssBackupComponentsEx2 : public IVssBackupComponentsEx {
public:
    virtual HRESULT STDMETHODCALLTYPE UnexposeSnapshot(VSS_ID snapshotId) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetAuthoritativeRestore(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, bool) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRollForward(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR,
                                                     VSS_ROLLFORWARD_TYPE, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreName(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE BreakSnapshotSetEx(VSS_ID, DWORD, IVssAsync **) = 0;
    virtual HRESULT STDMETHODCALLTYPE PreFastRecovery(VSS_ID, DWORD, IVssAsync **) = 0;
    virtual HRESULT STDMETHODCALLTYPE FastRecovery(VSS_ID, DWORD, IVssAsync **) = 0;
};

class IVssBackupComponentsEx3 : public IVssBackupComponentsEx2 {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterStatusEx(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                        BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                        HRESULT *phrFailureWriter, HRESULT *phrApplication = nullptr,
                                                        BSTR *pbstrApplicationMessage = nullptr) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddSnapshotToRecoverySet(VSS_ID, DWORD, VSS_PWSZ = nullptr) = 0;
    virtual HRESULT STDMETHODCALLTYPE RecoverSet(DWORD, IVssAsync **) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession) = 0;
};

// Imports from VssApi.dll, as the SDK's vsbackup.h declares them.
__declspec(dllimport) HRESULT STDAPICALLTYPE CreateVssBackupComponents(IVssBackupComponents **ppBackup);
extern "C" __declspec(dllimport) void APIENTRY VssFreeSnapshotProperties(VSS_SNAPSHOT_PROP *pProp);
extern "C" __declspec(dllimport) HRESULT APIENTRY IsVolumeSnapshotted(VSS_PWSZ pwszVolumeName,
                                                                        BOOL *pbSnapshotsPresent,
                                                                        LONG *plSnapshotCapability);
