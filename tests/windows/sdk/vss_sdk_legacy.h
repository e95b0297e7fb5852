// The writer classes of the Windows XP / Server 2003 SDK: every member of
// CVssWriter and CVssJetWriter lives in VssApi.dll (__declspec(dllimport)),
// the object is { vtable pointer, m_pWrapper }, and the DLL was built with
// WCHAR as unsigned short, which the decorated names keep (PEBG).
#pragma once

#include "vss_sdk.h"

typedef unsigned short LEGACY_WCHAR;
typedef const LEGACY_WCHAR *LEGACY_LPCWSTR;

inline LEGACY_LPCWSTR legacy(const WCHAR *text) { return reinterpret_cast<LEGACY_LPCWSTR>(text); }

enum VSS_USAGE_TYPE_LEGACY_UNUSED {};

class CVssWriter {
public:
    __declspec(dllimport) CVssWriter();
    __declspec(dllimport) virtual ~CVssWriter();

    __declspec(dllimport) HRESULT STDMETHODCALLTYPE Initialize(
        GUID WriterId, LEGACY_LPCWSTR wszWriterName, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,
        VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END, DWORD dwTimeoutFreeze = 60000,
        VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER, bool bIOThrottlingOnly = false,
        LEGACY_LPCWSTR wszWriterInstanceName = nullptr);
    __declspec(dllimport) HRESULT STDMETHODCALLTYPE Subscribe(DWORD dwEventFlags = VSS_SM_BACKUP_EVENTS_FLAG |
                                                                                   VSS_SM_RESTORE_EVENTS_FLAG);
    __declspec(dllimport) HRESULT STDMETHODCALLTYPE Unsubscribe();
    __declspec(dllimport) HRESULT STDMETHODCALLTYPE InstallAlternateWriter(GUID idWriter, GUID clsid);

    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *pMetadata);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *pComponent);
    virtual bool STDMETHODCALLTYPE OnPrepareSnapshot() = 0;
    virtual bool STDMETHODCALLTYPE OnFreeze() = 0;
    virtual bool STDMETHODCALLTYPE OnThaw() = 0;
    virtual bool STDMETHODCALLTYPE OnAbort() = 0;
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *pComponent);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnBackupShutdown(GUID SnapshotSetId);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *pComponent);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPostRestore(IVssWriterComponents *pComponent);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *pComponent);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnBackOffIOOnVolume(LEGACY_WCHAR *wszVolumeName,
                                                                             GUID snapshotId, GUID providerId);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnContinueIOOnVolume(LEGACY_WCHAR *wszVolumeName,
                                                                              GUID snapshotId, GUID providerId);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnVSSShutdown();
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnVSSApplicationStartup();

protected:
    __declspec(dllimport) LEGACY_LPCWSTR *STDMETHODCALLTYPE GetCurrentVolumeArray() const;
    __declspec(dllimport) UINT STDMETHODCALLTYPE GetCurrentVolumeCount() const;
    __declspec(dllimport) HRESULT STDMETHODCALLTYPE GetSnapshotDeviceName(LEGACY_LPCWSTR wszOriginalVolume,
                                                                          LEGACY_LPCWSTR *ppwszSnapshotDevice) const;
    __declspec(dllimport) GUID STDMETHODCALLTYPE GetCurrentSnapshotSetId() const;
    __declspec(dllimport) LONG STDMETHODCALLTYPE GetContext() const;
    __declspec(dllimport) VSS_APPLICATION_LEVEL STDMETHODCALLTYPE GetCurrentLevel() const;
    __declspec(dllimport) bool STDMETHODCALLTYPE IsPathAffected(LEGACY_LPCWSTR wszPath) const;
    __declspec(dllimport) bool STDMETHODCALLTYPE IsBootableSystemStateBackedUp() const;
    __declspec(dllimport) bool STDMETHODCALLTYPE AreComponentsSelected() const;
    __declspec(dllimport) VSS_BACKUP_TYPE STDMETHODCALLTYPE GetBackupType() const;
    __declspec(dllimport) VSS_RESTORE_TYPE STDMETHODCALLTYPE GetRestoreType() const;
    __declspec(dllimport) HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr);
    __declspec(dllimport) bool STDMETHODCALLTYPE IsPartialFileSupportEnabled() const;

private:
    void *m_pWrapper;
};

class CVssJetWriter {
public:
    __declspec(dllimport) CVssJetWriter();
    __declspec(dllimport) virtual ~CVssJetWriter();

    __declspec(dllimport) HRESULT STDMETHODCALLTYPE Initialize(GUID idWriter, LEGACY_LPCWSTR wszWriterName,
                                                               bool bSystemService, bool bBootableSystemState,
                                                               LEGACY_LPCWSTR wszFilesToInclude,
                                                               LEGACY_LPCWSTR wszFilesToExclude,
                                                               DWORD dwTimeoutFreeze = 60000);
    __declspec(dllimport) void STDMETHODCALLTYPE Uninitialize();

    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *pMetadata);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPrepareBackupBegin(IVssWriterComponents *pComponents);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPrepareBackupEnd(IVssWriterComponents *pComponents,
                                                                            bool fJetPrepareSucceeded);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPrepareSnapshotBegin();
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPrepareSnapshotEnd(bool fJetPrepareSucceeded);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnFreezeBegin();
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnFreezeEnd(bool fJetFreezeSucceeded);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnThawBegin();
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnThawEnd(bool fJetThawSucceeded);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *pComponents);
    __declspec(dllimport) virtual void STDMETHODCALLTYPE OnAbortBegin();
    __declspec(dllimport) virtual void STDMETHODCALLTYPE OnAbortEnd();
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnBackupCompleteBegin(IVssWriterComponents *pComponent);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnBackupCompleteEnd(IVssWriterComponents *pComponent,
                                                                             bool fJetBackupCompleteSucceeded);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPreRestoreBegin(IVssWriterComponents *pComponents);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPreRestoreEnd(IVssWriterComponents *pComponents,
                                                                         bool fJetRestoreSucceeded);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPostRestoreBegin(IVssWriterComponents *pComponents);
    __declspec(dllimport) virtual bool STDMETHODCALLTYPE OnPostRestoreEnd(IVssWriterComponents *pComponents,
                                                                          bool fJetRestoreSucceeded);

protected:
    __declspec(dllimport) GUID STDMETHODCALLTYPE GetCurrentSnapshotSetId() const;
    __declspec(dllimport) LONG STDMETHODCALLTYPE GetContext() const;
    __declspec(dllimport) HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr);

private:
    void *m_pWriter;
};
