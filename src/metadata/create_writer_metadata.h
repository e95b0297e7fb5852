// What a writer's OnIdentify handler fills: IVssCreateWriterMetadataEx (the
// SDK's multiple-inheritance interface: slots 0-12 in the first vtable
// pointer, IUnknown in the second) writing into a core::WriterMetadata.
//
// Every method validates all its arguments before it changes anything, so a
// call that fails leaves the target as it was. When the handler returns the
// library calls seal(): from then on every method answers VSS_E_BAD_STATE and
// the target is never touched again, even by a writer that kept a reference.
#pragma once

#include "com/object.h"
#include "core/metadata.h"

#include <vswriter.h>

#include <mutex>

namespace vssapi::metadata {

class CreateWriterMetadata final
    : public com::ComObject<CreateWriterMetadata, IVssCreateWriterMetadataEx> {
public:
    // `target` must outlive seal(); `identity` is what SaveAsXML writes as IDENTIFICATION.
    explicit CreateWriterMetadata(core::WriterMetadata &target, core::WriterIdentity identity = {});

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    // The handler returned; may be called from any thread, more than once.
    void seal() noexcept;

    HRESULT STDMETHODCALLTYPE AddIncludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszAlternateLocation) noexcept override;
    HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) noexcept override;
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszCaption, const BYTE *pbIcon, UINT cbIcon, bool bRestoreMetadata, bool bNotifyOnBackupComplete, bool bSelectable, bool bSelectableForRestore, DWORD dwComponentFlags) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDatabaseFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath, LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDatabaseLogFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath, LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept override;
    HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName, LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszAlternateLocation, DWORD dwBackupTypeMask) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService, LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore, bool bRebootRequired) noexcept override;
    HRESULT STDMETHODCALLTYPE AddAlternateLocationMapping(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilespec, bool bRecursive, LPCWSTR wszDestination) noexcept override;
    HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName, VSS_ID onWriterId, LPCWSTR wszOnLogicalPath, LPCWSTR wszOnComponentName) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD dwSchemaMask) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) noexcept override;
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE AddExcludeFilesFromSnapshot(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) noexcept override;

private:
    std::mutex lock_;
    core::WriterMetadata *target_; // guarded by lock_; nullptr once sealed
    const core::WriterIdentity identity_;
};

} // namespace vssapi::metadata
