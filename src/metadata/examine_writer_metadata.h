// A writer's identity and metadata as the requester reads them:
// IVssExamineWriterMetadata, ...Ex and ...Ex2 over an immutable snapshot that
// only LoadFromXML replaces, whole, under a lock; every getter reads one
// snapshot. Everything it hands out is a new object or BSTR owned by the
// caller.
#pragma once

#include "com/object.h"
#include "core/metadata.h"

#include <vsbackup.h>

#include <memory>
#include <mutex>

namespace vssapi::metadata {

class ExamineWriterMetadata final
    : public com::ComObject<ExamineWriterMetadata, IVssExamineWriterMetadataEx2> {
public:
    ExamineWriterMetadata(std::shared_ptr<const core::WriterIdentity> identity,
                          std::shared_ptr<const core::WriterMetadata> metadata);

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE GetIdentity(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName, VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFileCounts(UINT *pcIncludeFiles, UINT *pcExcludeFiles, UINT *pcComponents) noexcept override;
    HRESULT STDMETHODCALLTYPE GetIncludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE GetExcludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssWMComponent **ppComponent) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreMethod(VSS_RESTOREMETHOD_ENUM *pMethod, BSTR *pbstrService, BSTR *pbstrUserProcedure, VSS_WRITERRESTORE_ENUM *pwriterRestore, bool *pbRebootRequired, UINT *pcMappings) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupSchema(DWORD *pdwSchemaMask) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) noexcept override;
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE LoadFromXML(BSTR bstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE GetIdentityEx(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName, BSTR *pbstrInstanceName, VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) noexcept override;
    HRESULT STDMETHODCALLTYPE GetVersion(DWORD *pdwMajorVersion, DWORD *pdwMinorVersion) noexcept override;
    HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotCount(UINT *pcExcludedFromSnapshot) noexcept override;
    HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override;

private:
    struct State {
        std::shared_ptr<const core::WriterIdentity> identity;
        std::shared_ptr<const core::WriterMetadata> metadata;
    };
    State state() const;

    mutable std::mutex lock_;
    State state_; // guarded by lock_
};

// A new ExamineWriterMetadata with one reference, answering for every
// IVssExamineWriterMetadata* interface. NULL snapshots or out-pointer:
// E_INVALIDARG.
HRESULT make_examine_writer_metadata(std::shared_ptr<const core::WriterIdentity> identity,
                                     std::shared_ptr<const core::WriterMetadata> metadata,
                                     IVssExamineWriterMetadataEx2 **out) noexcept;

// CreateVssExamineWriterMetadata: a saved Writer Metadata Document (C-8.4).
// VSS_E_INVALID_XML_DOCUMENT when it cannot be read; NULL text or out-pointer: E_INVALIDARG.
HRESULT examine_saved_writer_metadata(BSTR xml, IVssExamineWriterMetadata **out) noexcept;

} // namespace vssapi::metadata
