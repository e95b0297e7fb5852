/*
 * vswriter.h - Volume Shadow Copy Service: the writer side.
 *
 * Same names, values, IIDs and vtable slots as the Windows SDK's vswriter.h
 * (vss-facts.md sections 2.3, 3.4-3.6 and 3.9), checked by tests/abi/.
 * Compiles on its own as C11, C++17 and C++20.
 */
#ifndef VSSAPI_VSWRITER_H
#define VSSAPI_VSWRITER_H

#include "vss.h"

/* ------------------------------------------------------------------ */
/* Enumerations (values exact). */

typedef enum _VSS_USAGE_TYPE {
    VSS_UT_UNDEFINED = 0,
    VSS_UT_BOOTABLESYSTEMSTATE = 1,
    VSS_UT_SYSTEMSERVICE = 2,
    VSS_UT_USERDATA = 3,
    VSS_UT_OTHER = 4,
} VSS_USAGE_TYPE;

typedef enum _VSS_SOURCE_TYPE {
    VSS_ST_UNDEFINED = 0,
    VSS_ST_TRANSACTEDDB = 1,
    VSS_ST_NONTRANSACTEDDB = 2,
    VSS_ST_OTHER = 3,
} VSS_SOURCE_TYPE;

typedef enum _VSS_RESTOREMETHOD_ENUM {
    VSS_RME_UNDEFINED = 0,
    VSS_RME_RESTORE_IF_NOT_THERE = 1,
    VSS_RME_RESTORE_IF_CAN_REPLACE = 2,
    VSS_RME_STOP_RESTORE_START = 3,
    VSS_RME_RESTORE_TO_ALTERNATE_LOCATION = 4,
    VSS_RME_RESTORE_AT_REBOOT = 5,
    VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE = 6,
    VSS_RME_CUSTOM = 7,
    VSS_RME_RESTORE_STOP_START = 8,
} VSS_RESTOREMETHOD_ENUM;

typedef enum _VSS_WRITERRESTORE_ENUM {
    VSS_WRE_UNDEFINED = 0,
    VSS_WRE_NEVER = 1,
    VSS_WRE_IF_REPLACE_FAILS = 2,
    VSS_WRE_ALWAYS = 3,
} VSS_WRITERRESTORE_ENUM;

typedef enum _VSS_COMPONENT_TYPE {
    VSS_CT_UNDEFINED = 0,
    VSS_CT_DATABASE = 1,
    VSS_CT_FILEGROUP = 2,
} VSS_COMPONENT_TYPE;

typedef enum _VSS_ALTERNATE_WRITER_STATE {
    VSS_AWS_UNDEFINED = 0,
    VSS_AWS_NO_ALTERNATE_WRITER = 1,
    VSS_AWS_ALTERNATE_WRITER_EXISTS = 2,
    VSS_AWS_THIS_IS_ALTERNATE_WRITER = 3,
} VSS_ALTERNATE_WRITER_STATE;

typedef enum _VSS_SUBSCRIBE_MASK {
    VSS_SM_POST_SNAPSHOT_FLAG = 1,
    VSS_SM_BACKUP_EVENTS_FLAG = 2,
    VSS_SM_RESTORE_EVENTS_FLAG = 4,
    VSS_SM_IO_THROTTLING_FLAG = 8,
    VSS_SM_ALL_FLAGS = -1, /* 0xffffffff */
} VSS_SUBSCRIBE_MASK;

typedef enum _VSS_RESTORE_TARGET {
    VSS_RT_UNDEFINED = 0,
    VSS_RT_ORIGINAL = 1,
    VSS_RT_ALTERNATE = 2,
    VSS_RT_DIRECTED = 3,
    VSS_RT_ORIGINAL_LOCATION = 4,
} VSS_RESTORE_TARGET;

typedef enum _VSS_FILE_RESTORE_STATUS {
    VSS_RS_UNDEFINED = 0,
    VSS_RS_NONE = 1,
    VSS_RS_ALL = 2,
    VSS_RS_FAILED = 3,
} VSS_FILE_RESTORE_STATUS;

typedef enum _VSS_COMPONENT_FLAGS {
    VSS_CF_BACKUP_RECOVERY = 1,
    VSS_CF_APP_ROLLBACK_RECOVERY = 2,
    VSS_CF_NOT_SYSTEM_STATE = 4,
} VSS_COMPONENT_FLAGS;

/* ------------------------------------------------------------------ */
/* Interface ids (vss-facts.md section 3.9). The SDK defines none for
 * IVssWMFiledesc, IVssWMDependency, IVssWriterComponents,
 * IVssCreateWriterMetadata and IVssWriterImpl, and neither do we. */

VSSAPI_DEFINE_GUID(IID_IVssComponent, 0xd2c72c96, 0xc121, 0x4518, 0xb6, 0x27, 0xe5, 0xa9, 0x3d, 0x01, 0x0e, 0xad);
VSSAPI_DEFINE_GUID(IID_IVssComponentEx, 0x156c8b5e, 0xf131, 0x4bd7, 0x9c, 0x97, 0xd1, 0x92, 0x3b, 0xe7, 0xe1, 0xfa);
VSSAPI_DEFINE_GUID(IID_IVssComponentEx2, 0x3b5be0f2, 0x07a9, 0x4e4b, 0xbd, 0xd3, 0xcf, 0xdc, 0x8e, 0x2c, 0x0d, 0x2d);
VSSAPI_DEFINE_GUID(IID_IVssCreateWriterMetadataEx, 0x9f21981d, 0xd469, 0x4349, 0xb8, 0x07, 0x39, 0xe6, 0x4e, 0x46, 0x74, 0xe1);
VSSAPI_DEFINE_GUID(IID_IVssCreateExpressWriterMetadata, 0x9c772e77, 0xb26e, 0x427f, 0x92, 0xdd, 0xc9, 0x96, 0xf4, 0x1e, 0xa5, 0xe3);
VSSAPI_DEFINE_GUID(IID_IVssExpressWriter, 0xe33affdc, 0x59c7, 0x47b1, 0x97, 0xd5, 0x42, 0x66, 0x59, 0x8f, 0x62, 0x35);

/* ------------------------------------------------------------------ */
/* Interfaces (slot numbers: vss-facts.md sections 3.4-3.6; pinned by
 * tests/abi/slots.c). In C the methods of base interfaces are listed
 * again so each Vtbl struct spells out every slot in order. */

#ifdef __cplusplus
struct IXMLDOMDocument;
struct IVssComponent;
struct IVssExamineWriterMetadata;
#else
typedef struct IXMLDOMDocument IXMLDOMDocument;
typedef struct IVssComponent IVssComponent;
typedef struct IVssExamineWriterMetadata IVssExamineWriterMetadata;
#endif

/* IVssWMFiledesc (no IID): slots 3-7. */
#define VSSAPI_IVSSWMFILEDESC_METHODS                                  \
    STDMETHOD(GetPath)(THIS_ BSTR *pbstrPath) PURE;                    \
    STDMETHOD(GetFilespec)(THIS_ BSTR *pbstrFilespec) PURE;            \
    STDMETHOD(GetRecursive)(THIS_ bool *pbRecursive) PURE;             \
    STDMETHOD(GetAlternateLocation)(THIS_ BSTR *pbstrAlternateLocation) PURE; \
    STDMETHOD(GetBackupTypeMask)(THIS_ DWORD *pdwTypeMask) PURE;

#undef INTERFACE
#define INTERFACE IVssWMFiledesc
DECLARE_INTERFACE_(IVssWMFiledesc, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSWMFILEDESC_METHODS
    END_INTERFACE
};

/* IVssWMDependency (no IID): slots 3-5. */
#define VSSAPI_IVSSWMDEPENDENCY_METHODS                                \
    STDMETHOD(GetWriterId)(THIS_ VSS_ID *pWriterId) PURE;              \
    STDMETHOD(GetLogicalPath)(THIS_ BSTR *pbstrLogicalPath) PURE;      \
    STDMETHOD(GetComponentName)(THIS_ BSTR *pbstrComponentName) PURE;

#undef INTERFACE
#define INTERFACE IVssWMDependency
DECLARE_INTERFACE_(IVssWMDependency, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSWMDEPENDENCY_METHODS
    END_INTERFACE
};

/* IVssComponent: slots 3-40. */
#define VSSAPI_IVSSCOMPONENT_METHODS                                                               \
    STDMETHOD(GetLogicalPath)(THIS_ BSTR *pbstrPath) PURE;                                         \
    STDMETHOD(GetComponentType)(THIS_ VSS_COMPONENT_TYPE *pct) PURE;                               \
    STDMETHOD(GetComponentName)(THIS_ BSTR *pbstrName) PURE;                                       \
    STDMETHOD(GetBackupSucceeded)(THIS_ bool *pbSucceeded) PURE;                                   \
    STDMETHOD(GetAlternateLocationMappingCount)(THIS_ UINT *pcMappings) PURE;                      \
    STDMETHOD(GetAlternateLocationMapping)(THIS_ UINT iMapping, IVssWMFiledesc **ppFiledesc) PURE; \
    STDMETHOD(SetBackupMetadata)(THIS_ LPCWSTR wszData) PURE;                                      \
    STDMETHOD(GetBackupMetadata)(THIS_ BSTR *pbstrData) PURE;                                      \
    STDMETHOD(AddPartialFile)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges,       \
                              LPCWSTR wszMetadata) PURE;                                           \
    STDMETHOD(GetPartialFileCount)(THIS_ UINT *pcPartialFiles) PURE;                               \
    STDMETHOD(GetPartialFile)(THIS_ UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename,       \
                              BSTR *pbstrRange, BSTR *pbstrMetadata) PURE;                         \
    STDMETHOD(IsSelectedForRestore)(THIS_ bool *pbSelectedForRestore) PURE;                        \
    STDMETHOD(GetAdditionalRestores)(THIS_ bool *pbAdditionalRestores) PURE;                       \
    STDMETHOD(GetNewTargetCount)(THIS_ UINT *pcNewTarget) PURE;                                    \
    STDMETHOD(GetNewTarget)(THIS_ UINT iNewTarget, IVssWMFiledesc **ppFiledesc) PURE;              \
    STDMETHOD(AddDirectedTarget)(THIS_ LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename,           \
                                 LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath,           \
                                 LPCWSTR wszDestinationFilename,                                   \
                                 LPCWSTR wszDestinationRangeList) PURE;                            \
    STDMETHOD(GetDirectedTargetCount)(THIS_ UINT *pcDirectedTarget) PURE;                          \
    STDMETHOD(GetDirectedTarget)(THIS_ UINT iDirectedTarget, BSTR *pbstrSourcePath,                \
                                 BSTR *pbstrSourceFileName, BSTR *pbstrSourceRangeList,            \
                                 BSTR *pbstrDestinationPath, BSTR *pbstrDestinationFilename,       \
                                 BSTR *pbstrDestinationRangeList) PURE;                            \
    STDMETHOD(SetRestoreMetadata)(THIS_ LPCWSTR wszRestoreMetadata) PURE;                          \
    STDMETHOD(GetRestoreMetadata)(THIS_ BSTR *pbstrRestoreMetadata) PURE;                          \
    STDMETHOD(SetRestoreTarget)(THIS_ VSS_RESTORE_TARGET target) PURE;                             \
    STDMETHOD(GetRestoreTarget)(THIS_ VSS_RESTORE_TARGET *pTarget) PURE;                           \
    STDMETHOD(SetPreRestoreFailureMsg)(THIS_ LPCWSTR wszPreRestoreFailureMsg) PURE;                \
    STDMETHOD(GetPreRestoreFailureMsg)(THIS_ BSTR *pbstrPreRestoreFailureMsg) PURE;                \
    STDMETHOD(SetPostRestoreFailureMsg)(THIS_ LPCWSTR wszPostRestoreFailureMsg) PURE;              \
    STDMETHOD(GetPostRestoreFailureMsg)(THIS_ BSTR *pbstrPostRestoreFailureMsg) PURE;              \
    STDMETHOD(SetBackupStamp)(THIS_ LPCWSTR wszBackupStamp) PURE;                                  \
    STDMETHOD(GetBackupStamp)(THIS_ BSTR *pbstrBackupStamp) PURE;                                  \
    STDMETHOD(GetPreviousBackupStamp)(THIS_ BSTR *pbstrBackupStamp) PURE;                          \
    STDMETHOD(GetBackupOptions)(THIS_ BSTR *pbstrBackupOptions) PURE;                              \
    STDMETHOD(GetRestoreOptions)(THIS_ BSTR *pbstrRestoreOptions) PURE;                            \
    STDMETHOD(GetRestoreSubcomponentCount)(THIS_ UINT *pcRestoreSubcomponent) PURE;                \
    STDMETHOD(GetRestoreSubcomponent)(THIS_ UINT iComponent, BSTR *pbstrLogicalPath,               \
                                      BSTR *pbstrComponentName, bool *pbRepair) PURE;              \
    STDMETHOD(GetFileRestoreStatus)(THIS_ VSS_FILE_RESTORE_STATUS *pStatus) PURE;                  \
    STDMETHOD(AddDifferencedFilesByLastModifyTime)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilespec,     \
                                                   BOOL bRecursive, FILETIME ftLastModifyTime) PURE; \
    STDMETHOD(AddDifferencedFilesByLastModifyLSN)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilespec,      \
                                                  BOOL bRecursive, BSTR bstrLsnString) PURE;       \
    STDMETHOD(GetDifferencedFilesCount)(THIS_ UINT *pcDifferencedFiles) PURE;                      \
    STDMETHOD(GetDifferencedFile)(THIS_ UINT iDifferencedFile, BSTR *pbstrPath,                    \
                                  BSTR *pbstrFilespec, BOOL *pbRecursive, BSTR *pbstrLsnString,    \
                                  FILETIME *pftLastModifyTime) PURE;

/* IVssComponentEx: slots 41-47. */
#define VSSAPI_IVSSCOMPONENTEX_METHODS                                                             \
    STDMETHOD(SetPrepareForBackupFailureMsg)(THIS_ LPCWSTR wszFailureMsg) PURE;                    \
    STDMETHOD(SetPostSnapshotFailureMsg)(THIS_ LPCWSTR wszFailureMsg) PURE;                        \
    STDMETHOD(GetPrepareForBackupFailureMsg)(THIS_ BSTR *pbstrFailureMsg) PURE;                    \
    STDMETHOD(GetPostSnapshotFailureMsg)(THIS_ BSTR *pbstrFailureMsg) PURE;                        \
    STDMETHOD(GetAuthoritativeRestore)(THIS_ bool *pbAuth) PURE;                                   \
    STDMETHOD(GetRollForward)(THIS_ VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) PURE;       \
    STDMETHOD(GetRestoreName)(THIS_ BSTR *pbstrName) PURE;

/* IVssComponentEx2: slots 48-49, the component-level failure of C-2.7. */
#define VSSAPI_IVSSCOMPONENTEX2_METHODS                                                            \
    STDMETHOD(SetFailure)(THIS_ HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage,  \
                          DWORD dwReserved) PURE;                                                  \
    STDMETHOD(GetFailure)(THIS_ HRESULT *phr, HRESULT *phrApplication,                             \
                          BSTR *pbstrApplicationMessage, DWORD *pdwReserved) PURE;

#undef INTERFACE
#define INTERFACE IVssComponent
DECLARE_INTERFACE_(IVssComponent, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSCOMPONENT_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssComponentEx
DECLARE_INTERFACE_(IVssComponentEx, IVssComponent)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSCOMPONENT_METHODS
#endif
    VSSAPI_IVSSCOMPONENTEX_METHODS
    END_INTERFACE
};

#undef INTERFACE
#define INTERFACE IVssComponentEx2
DECLARE_INTERFACE_(IVssComponentEx2, IVssComponentEx)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
    VSSAPI_IVSSCOMPONENT_METHODS
    VSSAPI_IVSSCOMPONENTEX_METHODS
#endif
    VSSAPI_IVSSCOMPONENTEX2_METHODS
    END_INTERFACE
};

/* IVssWriterComponents (no IUnknown, no IID): slots 0-2. The writer receives
 * it in handlers; VSS manages its lifetime. */
#define VSSAPI_IVSSWRITERCOMPONENTS_METHODS                                                        \
    STDMETHOD(GetComponentCount)(THIS_ UINT *pcComponents) PURE;                                   \
    STDMETHOD(GetWriterInfo)(THIS_ VSS_ID *pidInstance, VSS_ID *pidWriter) PURE;                   \
    STDMETHOD(GetComponent)(THIS_ UINT iComponent, IVssComponent **ppComponent) PURE;

#undef INTERFACE
#define INTERFACE IVssWriterComponents
DECLARE_INTERFACE(IVssWriterComponents)
{
    BEGIN_INTERFACE
    VSSAPI_IVSSWRITERCOMPONENTS_METHODS
    END_INTERFACE
};

/* IVssCreateWriterMetadata (no IUnknown, no IID): slots 0-11, for OnIdentify. */
#define VSSAPI_IVSSCREATEWRITERMETADATA_METHODS                                                    \
    STDMETHOD(AddIncludeFiles)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,        \
                               LPCWSTR wszAlternateLocation) PURE;                                 \
    STDMETHOD(AddExcludeFiles)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) PURE;  \
    STDMETHOD(AddComponent)(THIS_ VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,                   \
                            LPCWSTR wszComponentName, LPCWSTR wszCaption, const BYTE *pbIcon,      \
                            UINT cbIcon, bool bRestoreMetadata, bool bNotifyOnBackupComplete,      \
                            bool bSelectable, bool bSelectableForRestore VSSAPI_DEFAULT(false),    \
                            DWORD dwComponentFlags VSSAPI_DEFAULT(0)) PURE;                        \
    STDMETHOD(AddDatabaseFiles)(THIS_ LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName,             \
                                LPCWSTR wszPath, LPCWSTR wszFilespec,                              \
                                DWORD dwBackupTypeMask VSSAPI_DEFAULT(0xF0F)) PURE;                \
    STDMETHOD(AddDatabaseLogFiles)(THIS_ LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName,          \
                                   LPCWSTR wszPath, LPCWSTR wszFilespec,                           \
                                   DWORD dwBackupTypeMask VSSAPI_DEFAULT(0xF0F)) PURE;             \
    STDMETHOD(AddFilesToFileGroup)(THIS_ LPCWSTR wszLogicalPath, LPCWSTR wszGroupName,             \
                                   LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,          \
                                   LPCWSTR wszAlternateLocation,                                   \
                                   DWORD dwBackupTypeMask VSSAPI_DEFAULT(0xF0F)) PURE;             \
    STDMETHOD(SetRestoreMethod)(THIS_ VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService,           \
                                LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore,    \
                                bool bRebootRequired) PURE;                                        \
    STDMETHOD(AddAlternateLocationMapping)(THIS_ LPCWSTR wszSourcePath,                            \
                                           LPCWSTR wszSourceFilespec, bool bRecursive,             \
                                           LPCWSTR wszDestination) PURE;                           \
    STDMETHOD(AddComponentDependency)(THIS_ LPCWSTR wszForLogicalPath,                             \
                                      LPCWSTR wszForComponentName, VSS_ID onWriterId,              \
                                      LPCWSTR wszOnLogicalPath, LPCWSTR wszOnComponentName) PURE;  \
    STDMETHOD(SetBackupSchema)(THIS_ DWORD dwSchemaMask) PURE;                                     \
    STDMETHOD(GetDocument)(THIS_ IXMLDOMDocument **pDoc) PURE;                                     \
    STDMETHOD(SaveAsXML)(THIS_ BSTR *pbstrXML) PURE;

#undef INTERFACE
#define INTERFACE IVssCreateWriterMetadata
DECLARE_INTERFACE(IVssCreateWriterMetadata)
{
    BEGIN_INTERFACE
    VSSAPI_IVSSCREATEWRITERMETADATA_METHODS
    END_INTERFACE
};
#undef INTERFACE

/* IVssCreateWriterMetadataEx: the SDK derives it from IVssCreateWriterMetadata
 * AND IUnknown (multiple inheritance), so an object has two vtable pointers:
 * the first holds slots 0-11 plus AddExcludeFilesFromSnapshot at 12, the second
 * (one pointer further on) holds QueryInterface/AddRef/Release. */
#ifdef __cplusplus
struct IVssCreateWriterMetadataEx : public IVssCreateWriterMetadata, public IUnknown {
    STDMETHOD(AddExcludeFilesFromSnapshot)(LPCWSTR wszPath, LPCWSTR wszFilespec,
                                           bool bRecursive) PURE;
};
#else
#define INTERFACE IVssCreateWriterMetadataEx
typedef struct IVssCreateWriterMetadataEx IVssCreateWriterMetadataEx;
typedef struct IVssCreateWriterMetadataExVtbl {
    VSSAPI_IVSSCREATEWRITERMETADATA_METHODS
    STDMETHOD(AddExcludeFilesFromSnapshot)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilespec,
                                           bool bRecursive);
} IVssCreateWriterMetadataExVtbl;
struct IVssCreateWriterMetadataEx {
    const IVssCreateWriterMetadataExVtbl *lpVtbl;
    const IUnknownVtbl *lpUnknownVtbl; /* call with This = (IUnknown *)&p->lpUnknownVtbl */
};
#undef INTERFACE
#endif

/* IVssWriterImpl (no IID): slots 0-24. */
/* IVssWriterImpl (no IID): slots 0-24, what the header-inline CVssWriter
 * classes call. GetCurrentSnapshotSetId returns a 16-byte VSS_ID, which MSVC
 * and GCC return differently from a member function; like mingw's
 * WIDL_EXPLICIT_AGGREGATE_RETURNS form, the slot is declared with the hidden
 * return pointer spelled out, which is MSVC's own calling sequence. */
#define VSSAPI_IVSSWRITERIMPL_METHODS                                                              \
    STDMETHOD(Initialize)(THIS_ VSS_ID writerId, LPCWSTR wszWriterName,                            \
                          LPCWSTR wszWriterInstanceName, DWORD dwMajorVersion,                     \
                          DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,             \
                          VSS_APPLICATION_LEVEL nLevel, DWORD dwTimeoutFreeze,                     \
                          VSS_ALTERNATE_WRITER_STATE aws, bool bIOThrottlingOnly) PURE;            \
    STDMETHOD(Subscribe)(THIS_ DWORD dwSubscribeTimeout, DWORD dwEventFlags) PURE;                 \
    STDMETHOD(Unsubscribe)(THIS) PURE;                                                             \
    STDMETHOD_(void, Uninitialize)(THIS) PURE;                                                     \
    STDMETHOD_(LPCWSTR *, GetCurrentVolumeArray)(THIS) VSSAPI_CONST PURE;                         \
    STDMETHOD_(UINT, GetCurrentVolumeCount)(THIS) VSSAPI_CONST PURE;                              \
    STDMETHOD(GetSnapshotDeviceName)(THIS_ LPCWSTR wszOriginalVolume,                              \
                                     LPCWSTR *ppwszSnapshotDevice) VSSAPI_CONST PURE;             \
    STDMETHOD_(VSS_ID *, GetCurrentSnapshotSetId)(THIS_ VSS_ID *__ret) VSSAPI_CONST PURE;         \
    STDMETHOD_(LONG, GetContext)(THIS) VSSAPI_CONST PURE;                                         \
    STDMETHOD_(VSS_APPLICATION_LEVEL, GetCurrentLevel)(THIS) VSSAPI_CONST PURE;                   \
    STDMETHOD_(bool, IsPathAffected)(THIS_ LPCWSTR wszPath) VSSAPI_CONST PURE;                    \
    STDMETHOD_(bool, IsBootableSystemStateBackedUp)(THIS) VSSAPI_CONST PURE;                      \
    STDMETHOD_(bool, AreComponentsSelected)(THIS) VSSAPI_CONST PURE;                              \
    STDMETHOD_(VSS_BACKUP_TYPE, GetBackupType)(THIS) VSSAPI_CONST PURE;                           \
    STDMETHOD_(VSS_RESTORE_TYPE, GetRestoreType)(THIS) VSSAPI_CONST PURE;                         \
    STDMETHOD(SetWriterFailure)(THIS_ HRESULT hr) PURE;                                            \
    STDMETHOD_(bool, IsPartialFileSupportEnabled)(THIS) VSSAPI_CONST PURE;                        \
    STDMETHOD(InstallAlternateWriter)(THIS_ VSS_ID idWriter, CLSID clsid) PURE;                    \
    STDMETHOD_(IVssExamineWriterMetadata *, GetIdentityInformation)(THIS) VSSAPI_CONST PURE;      \
    STDMETHOD(SetWriterFailureEx)(THIS_ HRESULT hr, HRESULT hrApplication,                         \
                                  LPCWSTR wszApplicationMessage) PURE;                             \
    STDMETHOD(GetSessionId)(THIS_ VSS_ID *idSession) PURE;                                         \
    STDMETHOD_(bool, IsWriterShuttingDown)(THIS) PURE;

#undef INTERFACE
#define INTERFACE IVssWriterImpl
DECLARE_INTERFACE_(IVssWriterImpl, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSWRITERIMPL_METHODS
    END_INTERFACE
};
#undef INTERFACE

#include "vssapi/writer_callbacks.h"

#ifdef __cplusplus
/*
 * CVssWriter, CVssWriterEx, CVssWriterEx2: header-inline, as in the SDK, with
 * its public and protected members and defaults. They differ from the SDK in
 * one hidden place: the library calls the virtual handlers through a C table
 * of trampolines (vssapi/writer_callbacks.h) instead of through this class's
 * vtable, so a writer compiled by any compiler works. An exception leaving a
 * handler is caught here and reported as a failed handler (contract C-2.5).
 */
class CVssWriter {
public:
    CVssWriter() : m_pWriterImpl(NULL) {}

    virtual ~CVssWriter()
    {
        if (m_pWriterImpl != NULL) {
            m_pWriterImpl->Uninitialize();
            m_pWriterImpl->Release();
            m_pWriterImpl = NULL;
        }
    }

    HRESULT STDMETHODCALLTYPE Initialize(VSS_ID WriterId, LPCWSTR wszWriterName, VSS_USAGE_TYPE ut,
                                         VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                         DWORD dwTimeoutFreeze = 60000,
                                         VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                         bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = NULL)
    {
        return VssapiInitialize(NULL, WriterId, wszWriterName, wszWriterInstanceName, 0, 0, ut, st, nLevel,
                                dwTimeoutFreeze, aws, bIOThrottlingOnly);
    }

    HRESULT STDMETHODCALLTYPE Subscribe(DWORD dwEventFlags = VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG)
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->Subscribe(0, dwEventFlags) : E_FAIL;
    }

    /* The SDK ignores the implementation's answer. */
    HRESULT STDMETHODCALLTYPE Unsubscribe()
    {
        if (m_pWriterImpl == NULL) {
            return E_FAIL;
        }
        m_pWriterImpl->Unsubscribe();
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE InstallAlternateWriter(VSS_ID writerId, CLSID persistentWriterClassId)
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->InstallAlternateWriter(writerId, persistentWriterClassId)
                                     : E_FAIL;
    }

    /* Handlers, in the SDK's order, with its base behaviour. */
    virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *pMetadata)
    {
        (void)pMetadata;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnPrepareSnapshot() = 0;
    virtual bool STDMETHODCALLTYPE OnFreeze() = 0;
    virtual bool STDMETHODCALLTYPE OnThaw() = 0;
    virtual bool STDMETHODCALLTYPE OnAbort() = 0;
    virtual bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnBackupShutdown(VSS_ID SnapshotSetId)
    {
        (void)SnapshotSetId;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnPostRestore(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnBackOffIOOnVolume(VSS_PWSZ wszVolumeName, VSS_ID snapshotId,
                                                       VSS_ID providerId)
    {
        (void)wszVolumeName;
        (void)snapshotId;
        (void)providerId;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnContinueIOOnVolume(VSS_PWSZ wszVolumeName, VSS_ID snapshotId,
                                                        VSS_ID providerId)
    {
        (void)wszVolumeName;
        (void)snapshotId;
        (void)providerId;
        return true;
    }
    virtual bool STDMETHODCALLTYPE OnVSSShutdown() { return true; }
    virtual bool STDMETHODCALLTYPE OnVSSApplicationStartup() { return true; }

protected:
    /* Callable from handlers; the values in the SDK's wrappers without an implementation. */
    LPCWSTR *STDMETHODCALLTYPE GetCurrentVolumeArray() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetCurrentVolumeArray() : NULL;
    }
    UINT STDMETHODCALLTYPE GetCurrentVolumeCount() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetCurrentVolumeCount() : 0;
    }
    HRESULT STDMETHODCALLTYPE GetSnapshotDeviceName(LPCWSTR wszOriginalVolume, LPCWSTR *ppwszSnapshotDevice) const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetSnapshotDeviceName(wszOriginalVolume, ppwszSnapshotDevice)
                                     : E_FAIL;
    }
    VSS_ID STDMETHODCALLTYPE GetCurrentSnapshotSetId() const
    {
        VSS_ID id = GUID_NULL;
        if (m_pWriterImpl != NULL) {
            m_pWriterImpl->GetCurrentSnapshotSetId(&id);
        }
        return id;
    }
    LONG STDMETHODCALLTYPE GetContext() const { return m_pWriterImpl != NULL ? m_pWriterImpl->GetContext() : 0; }
    VSS_APPLICATION_LEVEL STDMETHODCALLTYPE GetCurrentLevel() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetCurrentLevel() : VSS_APP_AUTO;
    }
    bool STDMETHODCALLTYPE IsPathAffected(LPCWSTR wszPath) const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->IsPathAffected(wszPath) : false;
    }
    bool STDMETHODCALLTYPE IsBootableSystemStateBackedUp() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->IsBootableSystemStateBackedUp() : false;
    }
    bool STDMETHODCALLTYPE AreComponentsSelected() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->AreComponentsSelected() : false;
    }
    VSS_BACKUP_TYPE STDMETHODCALLTYPE GetBackupType() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetBackupType() : VSS_BT_UNDEFINED;
    }
    VSS_RESTORE_TYPE STDMETHODCALLTYPE GetRestoreType() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetRestoreType() : VSS_RTYPE_UNDEFINED;
    }
    bool STDMETHODCALLTYPE IsPartialFileSupportEnabled() const
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->IsPartialFileSupportEnabled() : false;
    }
    HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr)
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->SetWriterFailure(hr) : E_FAIL;
    }

    /* Creates the implementation and initializes it; CVssWriterEx passes
     * its OnIdentifyEx trampoline so Identify goes there. */
    HRESULT VssapiInitialize(int32_t(STDMETHODCALLTYPE *pfnOnIdentifyEx)(void *, IVssCreateWriterMetadataEx *), VSS_ID WriterId, LPCWSTR wszWriterName, LPCWSTR wszWriterInstanceName,
                             DWORD dwMajorVersion, DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,
                             VSS_APPLICATION_LEVEL nLevel, DWORD dwTimeoutFreeze, VSS_ALTERNATE_WRITER_STATE aws,
                             bool bIOThrottlingOnly)
    {
        if (m_pWriterImpl != NULL) {
            return E_FAIL; /* already initialized, as in the SDK */
        }
        VSSAPI_WRITER_CALLBACKS callbacks;
        VssapiFillCallbacks(callbacks);
        callbacks.OnIdentifyEx = pfnOnIdentifyEx;
        HRESULT hr = vssapi_create_writer_impl(&callbacks, &m_pWriterImpl);
        if (FAILED(hr)) {
            return hr;
        }
        hr = m_pWriterImpl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, dwMajorVersion,
                                       dwMinorVersion, ut, st, nLevel, dwTimeoutFreeze, aws, bIOThrottlingOnly);
        if (FAILED(hr)) {
            m_pWriterImpl->Release();
            m_pWriterImpl = NULL;
        }
        return hr;
    }

    IVssWriterImpl *m_pWriterImpl;

private:
    template <class Call>
    static int32_t VssapiGuard(Call call)
    {
        try {
            return call() ? VSSAPI_HANDLER_TRUE : VSSAPI_HANDLER_FALSE;
        } catch (...) {
            return VSSAPI_HANDLER_THREW; /* exceptions never cross into the library (C-6.1) */
        }
    }
    static CVssWriter *VssapiSelf(void *pContext) { return static_cast<CVssWriter *>(pContext); }

    /* Trampolines from the library's C table to the virtual handlers. */
    static int32_t STDMETHODCALLTYPE VssapiOnIdentify(void *c, IVssCreateWriterMetadata *m)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnIdentify(m); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnPrepareBackup(void *c, IVssWriterComponents *w)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnPrepareBackup(w); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnPrepareSnapshot(void *c)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnPrepareSnapshot(); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnFreeze(void *c)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnFreeze(); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnThaw(void *c)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnThaw(); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnAbort(void *c)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnAbort(); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnBackupComplete(void *c, IVssWriterComponents *w)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnBackupComplete(w); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnBackupShutdown(void *c, const VSS_ID *id)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnBackupShutdown(*id); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnPreRestore(void *c, IVssWriterComponents *w)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnPreRestore(w); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnPostRestore(void *c, IVssWriterComponents *w)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnPostRestore(w); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnPostSnapshot(void *c, IVssWriterComponents *w)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnPostSnapshot(w); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnBackOffIOOnVolume(void *c, VSS_PWSZ v, const VSS_ID *s, const VSS_ID *p)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnBackOffIOOnVolume(v, *s, *p); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnContinueIOOnVolume(void *c, VSS_PWSZ v, const VSS_ID *s, const VSS_ID *p)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnContinueIOOnVolume(v, *s, *p); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnVSSShutdown(void *c)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnVSSShutdown(); });
    }
    static int32_t STDMETHODCALLTYPE VssapiOnVSSApplicationStartup(void *c)
    {
        return VssapiGuard([&] { return VssapiSelf(c)->OnVSSApplicationStartup(); });
    }

    void VssapiFillCallbacks(VSSAPI_WRITER_CALLBACKS &callbacks)
    {
        callbacks = VSSAPI_WRITER_CALLBACKS();
        callbacks.cbSize = sizeof(VSSAPI_WRITER_CALLBACKS);
        callbacks.pContext = this;
        callbacks.OnIdentify = &VssapiOnIdentify;
        callbacks.OnPrepareBackup = &VssapiOnPrepareBackup;
        callbacks.OnPrepareSnapshot = &VssapiOnPrepareSnapshot;
        callbacks.OnFreeze = &VssapiOnFreeze;
        callbacks.OnThaw = &VssapiOnThaw;
        callbacks.OnAbort = &VssapiOnAbort;
        callbacks.OnBackupComplete = &VssapiOnBackupComplete;
        callbacks.OnBackupShutdown = &VssapiOnBackupShutdown;
        callbacks.OnPreRestore = &VssapiOnPreRestore;
        callbacks.OnPostRestore = &VssapiOnPostRestore;
        callbacks.OnPostSnapshot = &VssapiOnPostSnapshot;
        callbacks.OnBackOffIOOnVolume = &VssapiOnBackOffIOOnVolume;
        callbacks.OnContinueIOOnVolume = &VssapiOnContinueIOOnVolume;
        callbacks.OnVSSShutdown = &VssapiOnVSSShutdown;
        callbacks.OnVSSApplicationStartup = &VssapiOnVSSApplicationStartup;
    }
};

/*
 * The library calls OnIdentifyEx; its base calls OnIdentify, so a writer may
 * override either. As in the SDK both bases return false here, so a writer
 * that overrides neither fails Identify and is not listed (C-3.3).
 */
class CVssWriterEx : public CVssWriter {
public:
    HRESULT STDMETHODCALLTYPE Initialize(VSS_ID WriterId, LPCWSTR wszWriterName, VSS_USAGE_TYPE ut,
                                         VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                         DWORD dwTimeoutFreeze = 60000,
                                         VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                         bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = NULL)
    {
        return VssapiInitialize(&VssapiOnIdentifyEx, WriterId, wszWriterName, wszWriterInstanceName, 0, 0, ut, st, nLevel,
                                dwTimeoutFreeze, aws, bIOThrottlingOnly);
    }

    HRESULT STDMETHODCALLTYPE InitializeEx(VSS_ID WriterId, LPCWSTR wszWriterName, DWORD dwMajorVersion,
                                           DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,
                                           VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                           DWORD dwTimeoutFreeze = 60000,
                                           VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                           bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = NULL)
    {
        return VssapiInitialize(&VssapiOnIdentifyEx, WriterId, wszWriterName, wszWriterInstanceName, dwMajorVersion,
                                dwMinorVersion, ut, st, nLevel, dwTimeoutFreeze, aws, bIOThrottlingOnly);
    }

    virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *pMetadata)
    {
        (void)pMetadata;
        return false;
    }

    virtual bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *pMetadata)
    {
        return OnIdentify(pMetadata);
    }

protected:
    /* Only in OnPrepareBackup, OnPrepareSnapshot and OnPostSnapshot; do not Release it. */
    HRESULT STDMETHODCALLTYPE GetIdentifyInformation(IVssExamineWriterMetadata **ppMetadata)
    {
        if (ppMetadata == NULL) {
            return E_INVALIDARG;
        }
        if (m_pWriterImpl == NULL) {
            return E_FAIL;
        }
        *ppMetadata = m_pWriterImpl->GetIdentityInformation();
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE SubscribeEx(DWORD dwUnsubscribeTimeout,
                                          DWORD dwEventFlags = VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG)
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->Subscribe(dwUnsubscribeTimeout, dwEventFlags) : E_FAIL;
    }

private:
    static int32_t STDMETHODCALLTYPE VssapiOnIdentifyEx(void *pContext, IVssCreateWriterMetadataEx *pMetadata)
    {
        try {
            return static_cast<CVssWriterEx *>(static_cast<CVssWriter *>(pContext))->OnIdentifyEx(pMetadata)
                       ? VSSAPI_HANDLER_TRUE
                       : VSSAPI_HANDLER_FALSE;
        } catch (...) {
            return VSSAPI_HANDLER_THREW;
        }
    }
};

class CVssWriterEx2 : public CVssWriterEx {
public:
    HRESULT STDMETHODCALLTYPE SetWriterFailureEx(HRESULT hrWriter, HRESULT hrApplication = S_FALSE,
                                                 LPCWSTR wszApplicationMessage = NULL)
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->SetWriterFailureEx(hrWriter, hrApplication,
                                                                         wszApplicationMessage)
                                     : E_FAIL;
    }

    HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession)
    {
        return m_pWriterImpl != NULL ? m_pWriterImpl->GetSessionId(idSession) : E_FAIL;
    }

    /* As in the SDK, no check for a missing implementation. */
    bool STDMETHODCALLTYPE IsWriterShuttingDown() { return m_pWriterImpl->IsWriterShuttingDown(); }
};
#endif /* __cplusplus */

#endif /* VSSAPI_VSWRITER_H */
