#include "metadata/examine_writer_metadata.h"

#include "com/barrier.h"
#include "com/bstr.h"
#include "com/out.h"
#include "core/diagnostics.h"
#include "documents/writer_metadata.h"
#include "metadata/strings.h"
#include "metadata/wm_component.h"
#include "metadata/wm_filedesc.h"

#include <utility>
#include <vector>

namespace vssapi::metadata {
namespace {

// A new IVssWMFiledesc for items[index]. `missing` is the code the method's
// page gives for an index past the end.
HRESULT hand_out_filedesc(const std::vector<core::FileSpec> &items, UINT index,
                          IVssWMFiledesc **out, HRESULT missing)
{
    if (!com::clear_out(out)) {
        return E_INVALIDARG;
    }
    if (index >= items.size()) {
        return missing;
    }
    *out = new WmFiledesc(items[index]);
    return S_OK;
}

bool names_a_service(VSS_RESTOREMETHOD_ENUM method) noexcept
{
    return method == VSS_RME_STOP_RESTORE_START || method == VSS_RME_RESTORE_STOP_START;
}

} // namespace

ExamineWriterMetadata::ExamineWriterMetadata(std::shared_ptr<const core::WriterIdentity> identity,
                                             std::shared_ptr<const core::WriterMetadata> metadata)
    : state_{std::move(identity), std::move(metadata)}
{
    Expects(state_.identity != nullptr && state_.metadata != nullptr);
}

gsl::span<const com::InterfaceEntry> ExamineWriterMetadata::interface_table() noexcept
{
    using Self = ExamineWriterMetadata;
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IVssExamineWriterMetadata, "IVssExamineWriterMetadata", &com::interface_cast<Self, IVssExamineWriterMetadataEx2>},
        {&IID_IVssExamineWriterMetadataEx, "IVssExamineWriterMetadataEx", &com::interface_cast<Self, IVssExamineWriterMetadataEx2>},
        {&IID_IVssExamineWriterMetadataEx2, "IVssExamineWriterMetadataEx2", &com::interface_cast<Self, IVssExamineWriterMetadataEx2>},
    };
    return table;
}

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetIdentity(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName, VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (!com::clear_out(pidInstance, pidWriter, pbstrWriterName, pUsage, pSource)) {
        return E_INVALIDARG;
    }
    com::give_bstrs({{pbstrWriterName, s.identity->name}});
    *pidInstance = s.identity->instance_id;
    *pidWriter = s.identity->class_id;
    *pUsage = s.identity->usage;
    *pSource = s.identity->source;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetIdentityEx(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName, BSTR *pbstrInstanceName, VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (!com::clear_out(pidInstance, pidWriter, pbstrWriterName, pbstrInstanceName, pUsage, pSource)) {
        return E_INVALIDARG;
    }
    // Initialize (not InitializeEx) declares no instance name: NULL.
    com::give_bstrs({{pbstrWriterName, s.identity->name}, {pbstrInstanceName, s.identity->instance_name, true}});
    *pidInstance = s.identity->instance_id;
    *pidWriter = s.identity->class_id;
    *pUsage = s.identity->usage;
    *pSource = s.identity->source;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetFileCounts(UINT *pcIncludeFiles, UINT *pcExcludeFiles, UINT *pcComponents) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (pcIncludeFiles == nullptr || pcExcludeFiles == nullptr || pcComponents == nullptr) {
        return E_INVALIDARG;
    }
    *pcIncludeFiles = gsl::narrow<UINT>(s.metadata->include_files.size());
    *pcExcludeFiles = gsl::narrow<UINT>(s.metadata->exclude_files.size());
    *pcComponents = gsl::narrow<UINT>(s.metadata->components.size());
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// The page calls GetIncludeFile "reserved for system use"; it answers like
// GetExcludeFile.
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetIncludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    return hand_out_filedesc(s.metadata->include_files, iFile, ppFiledesc, VSS_E_OBJECT_NOT_FOUND);
}
VSSAPI_CATCH_RETURN()

// Past the end: VSS_E_OBJECT_NOT_FOUND, "the file set specified for exclusion
// does not exist" (GetExcludeFile page).
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetExcludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    return hand_out_filedesc(s.metadata->exclude_files, iFile, ppFiledesc, VSS_E_OBJECT_NOT_FOUND);
}
VSSAPI_CATCH_RETURN()

// Past the end: VSS_E_OBJECT_NOT_FOUND, "the specified component does not
// exist" (GetComponent page).
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetComponent(UINT iComponent, IVssWMComponent **ppComponent) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (!com::clear_out(ppComponent)) {
        return E_INVALIDARG;
    }
    if (iComponent >= s.metadata->components.size()) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    // Shares ownership of the whole snapshot, points at one component.
    std::shared_ptr<const core::ComponentDecl> component(s.metadata, &s.metadata->components[iComponent]);
    *ppComponent = new WmComponent(std::move(component));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// Without SetRestoreMethod: S_FALSE, "a restore method does not exist"; the
// service is NULL unless the method stops and starts one (GetRestoreMethod page).
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetRestoreMethod(VSS_RESTOREMETHOD_ENUM *pMethod, BSTR *pbstrService, BSTR *pbstrUserProcedure, VSS_WRITERRESTORE_ENUM *pwriterRestore, bool *pbRebootRequired, UINT *pcMappings) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (!com::clear_out(pMethod, pbstrService, pbstrUserProcedure, pwriterRestore, pbRebootRequired, pcMappings)) {
        return E_INVALIDARG;
    }
    const core::WriterMetadata &metadata = *s.metadata;
    const UINT mappings = gsl::narrow<UINT>(metadata.alternate_mappings.size());
    const std::u16string_view service =
        names_a_service(metadata.restore_method) ? std::u16string_view(metadata.restore_service) : std::u16string_view();
    com::give_bstrs({{pbstrService, service, true}, {pbstrUserProcedure, metadata.restore_user_procedure, true}});
    *pMethod = metadata.restore_method;
    *pwriterRestore = metadata.writer_restore;
    *pbRebootRequired = metadata.reboot_required;
    *pcMappings = mappings;
    return metadata.restore_method == VSS_RME_UNDEFINED ? S_FALSE : S_OK;
}
VSSAPI_CATCH_RETURN()

// Past the end: VSS_E_OBJECT_NOT_FOUND, "the specified alternate location
// mapping does not exist" (GetAlternateLocationMapping page).
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    return hand_out_filedesc(s.metadata->alternate_mappings, iMapping, ppFiledesc, VSS_E_OBJECT_NOT_FOUND);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetBackupSchema(DWORD *pdwSchemaMask) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (pdwSchemaMask == nullptr) {
        return E_INVALIDARG;
    }
    *pdwSchemaMask = s.metadata->backup_schema;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetDocument(IXMLDOMDocument **pDoc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pDoc)) {
        return E_INVALIDARG;
    }
    return kNoXmlDomDocument;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::SaveAsXML(BSTR *pbstrXML) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrXML)) {
        return E_INVALIDARG;
    }
    const State s = state();
    com::give_bstrs({{pbstrXML, documents::save_writer_metadata(*s.identity, *s.metadata)}});
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// The whole snapshot is replaced, or nothing (C-8.3).
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::LoadFromXML(BSTR bstrXML) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (bstrXML == nullptr) {
        return E_INVALIDARG;
    }
    auto identity = std::make_shared<core::WriterIdentity>();
    auto metadata = std::make_shared<core::WriterMetadata>();
    std::string why;
    const HRESULT hr = documents::load_writer_metadata(com::bstr_view(bstrXML), *identity, *metadata, why);
    if (FAILED(hr)) {
        core::note_refusal("LoadFromXML", hr, "LoadFromXML cannot read the document: " + why);
        return hr;
    }
    const std::lock_guard<std::mutex> hold(lock_);
    state_ = State{std::move(identity), std::move(metadata)};
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetVersion(DWORD *pdwMajorVersion, DWORD *pdwMinorVersion) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (pdwMajorVersion == nullptr || pdwMinorVersion == nullptr) {
        return E_INVALIDARG;
    }
    *pdwMajorVersion = s.identity->version_major;
    *pdwMinorVersion = s.identity->version_minor;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetExcludeFromSnapshotCount(UINT *pcExcludedFromSnapshot) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    if (pcExcludedFromSnapshot == nullptr) {
        return E_INVALIDARG;
    }
    *pcExcludedFromSnapshot = gsl::narrow<UINT>(s.metadata->exclude_from_snapshot.size());
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// Past the end: E_INVALIDARG, the only fitting code the
// GetExcludeFromSnapshotFile page lists (it has no VSS_E_OBJECT_NOT_FOUND).
HRESULT STDMETHODCALLTYPE ExamineWriterMetadata::GetExcludeFromSnapshotFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const State s = state();
    return hand_out_filedesc(s.metadata->exclude_from_snapshot, iFile, ppFiledesc, E_INVALIDARG);
}
VSSAPI_CATCH_RETURN()

ExamineWriterMetadata::State ExamineWriterMetadata::state() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return state_;
}

HRESULT examine_saved_writer_metadata(BSTR xml, IVssExamineWriterMetadata **out) noexcept
try {
    if (!com::clear_out(out) || xml == nullptr) {
        return E_INVALIDARG;
    }
    auto identity = std::make_shared<core::WriterIdentity>();
    auto metadata = std::make_shared<core::WriterMetadata>();
    std::string why;
    const HRESULT hr = documents::load_writer_metadata(com::bstr_view(xml), *identity, *metadata, why);
    if (FAILED(hr)) {
        core::note_refusal("CreateVssExamineWriterMetadata", hr, "CreateVssExamineWriterMetadata cannot read the document: " + why);
        return hr;
    }
    *out = new ExamineWriterMetadata(std::move(identity), std::move(metadata));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT make_examine_writer_metadata(std::shared_ptr<const core::WriterIdentity> identity,
                                     std::shared_ptr<const core::WriterMetadata> metadata,
                                     IVssExamineWriterMetadataEx2 **out) noexcept
try {
    if (!com::clear_out(out)) {
        return E_INVALIDARG;
    }
    if (identity == nullptr || metadata == nullptr) {
        return E_INVALIDARG;
    }
    *out = new ExamineWriterMetadata(std::move(identity), std::move(metadata));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
