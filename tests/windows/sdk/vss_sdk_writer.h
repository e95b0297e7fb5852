// The SDK's modern writer classes (Windows 7 and later vswriter.h), as the
// documentation and vss-facts.md section 3.6 describe them: implemented
// inline, holding one IVssWriterImpl pointer that the exported CreateWriter
// or CreateWriterEx fills from the raw C++ object.
#pragma once

#include "vss_sdk.h"

class IVssExamineWriterMetadata;

class IVssWriterImpl : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE Initialize(VSS_ID writerId, LPCWSTR wszWriterName, LPCWSTR wszWriterInstanceName,
                                                 DWORD dwMajorVersion, DWORD dwMinorVersion, VSS_USAGE_TYPE ut,
                                                 VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel,
                                                 DWORD dwTimeoutFreeze, VSS_ALTERNATE_WRITER_STATE aws,
                                                 bool bIOThrottlingOnly) = 0;
    virtual HRESULT STDMETHODCALLTYPE Subscribe(DWORD dwSubscribeTimeout, DWORD dwEventFlags) = 0;
    virtual HRESULT STDMETHODCALLTYPE Unsubscribe() = 0;
    virtual void STDMETHODCALLTYPE Uninitialize() = 0;
    virtual LPCWSTR *STDMETHODCALLTYPE GetCurrentVolumeArray() const = 0;
    virtual UINT STDMETHODCALLTYPE GetCurrentVolumeCount() const = 0;
    virtual HRESULT STDMETHODCALLTYPE GetSnapshotDeviceName(LPCWSTR wszOriginalVolume,
                                                            LPCWSTR *ppwszSnapshotDevice) const = 0;
    virtual VSS_ID STDMETHODCALLTYPE GetCurrentSnapshotSetId() const = 0; // a struct return: MSVC's hidden pointer
    virtual LONG STDMETHODCALLTYPE GetContext() const = 0;
    virtual VSS_APPLICATION_LEVEL STDMETHODCALLTYPE GetCurrentLevel() const = 0;
    virtual bool STDMETHODCALLTYPE IsPathAffected(LPCWSTR wszPath) const = 0;
    virtual bool STDMETHODCALLTYPE IsBootableSystemStateBackedUp() const = 0;
    virtual bool STDMETHODCALLTYPE AreComponentsSelected() const = 0;
    virtual VSS_BACKUP_TYPE STDMETHODCALLTYPE GetBackupType() const = 0;
    virtual VSS_RESTORE_TYPE STDMETHODCALLTYPE GetRestoreType() const = 0;
    virtual HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr) = 0;
    virtual bool STDMETHODCALLTYPE IsPartialFileSupportEnabled() const = 0;
    virtual HRESULT STDMETHODCALLTYPE InstallAlternateWriter(VSS_ID idWriter, CLSID clsid) = 0;
    virtual IVssExamineWriterMetadata *STDMETHODCALLTYPE GetIdentityInformation() const = 0;
    virtual HRESULT STDMETHODCALLTYPE SetWriterFailureEx(HRESULT hr, HRESULT hrApplication,
                                                         LPCWSTR wszApplicationMessage) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession) = 0;
    virtual bool STDMETHODCALLTYPE IsWriterShuttingDown() = 0;
};

class CVssWriter;
class CVssWriterEx;
extern "C" __declspec(dllimport) HRESULT STDAPICALLTYPE CreateWriter(CVssWriter *pWriter, IVssWriterImpl **ppImpl);
extern "C" __declspec(dllimport) HRESULT STDMETHODCALLTYPE CreateWriterEx(CVssWriterEx *pWriter,
                                                                           IVssWriterImpl **ppImpl);

class CVssWriter {
public:
    CVssWriter() : m_pWriterImpl(nullptr) {}
    virtual ~CVssWriter()
    {
        if (m_pWriterImpl != nullptr) {
            m_pWriterImpl->Uninitialize();
            m_pWriterImpl->Release();
            m_pWriterImpl = nullptr;
        }
    }

    HRESULT STDMETHODCALLTYPE Initialize(VSS_ID WriterId, LPCWSTR wszWriterName, VSS_USAGE_TYPE ut,
                                         VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                         DWORD dwTimeoutFreeze = 60000,
                                         VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                         bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = nullptr)
    {
        if (m_pWriterImpl != nullptr) {
            return E_FAIL;
        }
        HRESULT hr = CreateWriter(this, &m_pWriterImpl);
        if (hr < 0) {
            return hr;
        }
        hr = m_pWriterImpl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, 0, 0, ut, st, nLevel,
                                       dwTimeoutFreeze, aws, bIOThrottlingOnly);
        if (hr < 0) {
            m_pWriterImpl->Release();
            m_pWriterImpl = nullptr;
        }
        return hr;
    }
    HRESULT STDMETHODCALLTYPE Subscribe(DWORD dwEventFlags = VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG)
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->Subscribe(0, dwEventFlags) : E_FAIL;
    }
    HRESULT STDMETHODCALLTYPE Unsubscribe()
    {
        if (m_pWriterImpl == nullptr) {
            return E_FAIL;
        }
        m_pWriterImpl->Unsubscribe();
        return S_OK;
    }

    virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *) { return true; }
    virtual bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *) { return true; }
    virtual bool STDMETHODCALLTYPE OnPrepareSnapshot() = 0;
    virtual bool STDMETHODCALLTYPE OnFreeze() = 0;
    virtual bool STDMETHODCALLTYPE OnThaw() = 0;
    virtual bool STDMETHODCALLTYPE OnAbort() = 0;
    virtual bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *) { return true; }
    virtual bool STDMETHODCALLTYPE OnBackupShutdown(VSS_ID) { return true; }
    virtual bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *) { return true; }
    virtual bool STDMETHODCALLTYPE OnPostRestore(IVssWriterComponents *) { return true; }
    virtual bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *) { return true; }
    virtual bool STDMETHODCALLTYPE OnBackOffIOOnVolume(VSS_PWSZ, VSS_ID, VSS_ID) { return true; }
    virtual bool STDMETHODCALLTYPE OnContinueIOOnVolume(VSS_PWSZ, VSS_ID, VSS_ID) { return true; }
    virtual bool STDMETHODCALLTYPE OnVSSShutdown() { return true; }
    virtual bool STDMETHODCALLTYPE OnVSSApplicationStartup() { return true; }

protected:
    LPCWSTR *STDMETHODCALLTYPE GetCurrentVolumeArray() const
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->GetCurrentVolumeArray() : nullptr;
    }
    UINT STDMETHODCALLTYPE GetCurrentVolumeCount() const
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->GetCurrentVolumeCount() : 0;
    }
    VSS_ID STDMETHODCALLTYPE GetCurrentSnapshotSetId() const
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->GetCurrentSnapshotSetId() : VSS_ID{};
    }
    LONG STDMETHODCALLTYPE GetContext() const { return m_pWriterImpl != nullptr ? m_pWriterImpl->GetContext() : 0; }
    VSS_BACKUP_TYPE STDMETHODCALLTYPE GetBackupType() const
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->GetBackupType() : VSS_BT_UNDEFINED;
    }
    bool STDMETHODCALLTYPE AreComponentsSelected() const
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->AreComponentsSelected() : false;
    }
    bool STDMETHODCALLTYPE IsPathAffected(LPCWSTR wszPath) const
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->IsPathAffected(wszPath) : false;
    }
    HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr)
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->SetWriterFailure(hr) : E_FAIL;
    }

    IVssWriterImpl *m_pWriterImpl;
};

class CVssWriterEx : public CVssWriter {
public:
    HRESULT STDMETHODCALLTYPE InitializeEx(VSS_ID WriterId, LPCWSTR wszWriterName, DWORD dwMajorVersion,
                                           DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,
                                           VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                           DWORD dwTimeoutFreeze = 60000,
                                           VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                           bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = nullptr)
    {
        if (m_pWriterImpl != nullptr) {
            return E_FAIL;
        }
        HRESULT hr = CreateWriterEx(this, &m_pWriterImpl);
        if (hr < 0) {
            return hr;
        }
        hr = m_pWriterImpl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, dwMajorVersion,
                                       dwMinorVersion, ut, st, nLevel, dwTimeoutFreeze, aws, bIOThrottlingOnly);
        if (hr < 0) {
            m_pWriterImpl->Release();
            m_pWriterImpl = nullptr;
        }
        return hr;
    }
    // The header's base answers false for both; a writer overrides one.
    virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *) override { return false; }
    virtual bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *) { return false; }
};

class CVssWriterEx2 : public CVssWriterEx {
public:
    HRESULT STDMETHODCALLTYPE SetWriterFailureEx(HRESULT hrWriter, HRESULT hrApplication = S_FALSE,
                                                 LPCWSTR wszApplicationMessage = nullptr)
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->SetWriterFailureEx(hrWriter, hrApplication,
                                                                            wszApplicationMessage)
                                        : E_FAIL;
    }
    HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession)
    {
        return m_pWriterImpl != nullptr ? m_pWriterImpl->GetSessionId(idSession) : E_FAIL;
    }
    bool STDMETHODCALLTYPE IsWriterShuttingDown() { return m_pWriterImpl->IsWriterShuttingDown(); }
};

// Express writers (Windows 7 SDK and later).
constexpr IID IID_IVssExpressWriter = {0xe33affdc, 0x59c7, 0x47b1, {0x97, 0xd5, 0x42, 0x66, 0x59, 0x8f, 0x62, 0x35}};

class IVssCreateExpressWriterMetadata : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName, LPCWSTR wszCaption, const BYTE *pbIcon,
                                                   UINT cbIcon, bool bRestoreMetadata, bool bNotifyOnBackupComplete,
                                                   bool bSelectable, bool bSelectableForRestore = false,
                                                   DWORD dwComponentFlags = 0) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName,
                                                          LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                                          LPCWSTR wszAlternateLocation,
                                                          DWORD dwBackupTypeMask = 0xF0F) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService,
                                                       LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore,
                                                       bool bRebootRequired) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR, LPCWSTR, VSS_ID, LPCWSTR, LPCWSTR) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD dwSchemaMask) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
};

class IVssExpressWriter : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE CreateMetadata(VSS_ID writerId, LPCWSTR writerName, VSS_USAGE_TYPE usageType,
                                                     DWORD versionMajor, DWORD versionMinor, DWORD reserved,
                                                     IVssCreateExpressWriterMetadata **ppMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE LoadMetadata(LPCWSTR metadata, DWORD reserved) = 0;
    virtual HRESULT STDMETHODCALLTYPE Register() = 0;
    virtual HRESULT STDMETHODCALLTYPE Unregister(VSS_ID writerId) = 0;
};

extern "C" __declspec(dllimport) HRESULT STDAPICALLTYPE CreateVssExpressWriterInternal(IVssExpressWriter **ppWriter);
