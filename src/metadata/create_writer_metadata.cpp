#include "metadata/create_writer_metadata.h"

#include "com/barrier.h"
#include "com/enum_value.h"
#include "com/out.h"
#include "documents/writer_metadata.h"
#include "metadata/strings.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace vssapi::metadata {
namespace {

// Bits outside these enumerations are "not valid" parameter values
// (E_INVALIDARG on every page concerned).
constexpr DWORD kKnownComponentFlags =
    VSS_CF_BACKUP_RECOVERY | VSS_CF_APP_ROLLBACK_RECOVERY | VSS_CF_NOT_SYSTEM_STATE;
constexpr DWORD kKnownBackupTypeMask =
    VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED | VSS_FSBT_CREATED_DURING_BACKUP;
constexpr DWORD kKnownBackupSchema =
    VSS_BS_DIFFERENTIAL | VSS_BS_INCREMENTAL | VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL | VSS_BS_LOG |
    VSS_BS_COPY | VSS_BS_TIMESTAMPED | VSS_BS_LAST_MODIFY | VSS_BS_LSN | VSS_BS_WRITER_SUPPORTS_NEW_TARGET |
    VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE | VSS_BS_INDEPENDENT_SYSTEM_STATE | VSS_BS_ROLLFORWARD_RESTORE |
    VSS_BS_RESTORE_RENAME | VSS_BS_AUTHORITATIVE_RESTORE | VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES;

// A component is named by (logical path, name); a NULL logical path is the
// empty one.
core::ComponentDecl *find_component(core::WriterMetadata &target, std::u16string_view logical_path,
                                    std::u16string_view name) noexcept
{
    const auto found = std::find_if(target.components.begin(), target.components.end(),
                                    [&](const core::ComponentDecl &component) {
                                        return component.logical_path == logical_path && component.name == name;
                                    });
    return found == target.components.end() ? nullptr : &*found;
}

// A file set as declared; where the method takes no backup type mask, the
// FileSpec default (all backup and snapshot types) stays.
core::FileSpec file_set(LPCWSTR path, LPCWSTR filespec, bool recursive, LPCWSTR alternate_location)
{
    core::FileSpec spec;
    spec.path = copy_wide(path);
    spec.filespec = copy_wide(filespec);
    spec.recursive = recursive;
    spec.alternate_location = copy_wide(alternate_location);
    return spec;
}

// AddDatabaseFiles, AddDatabaseLogFiles, AddFilesToFileGroup: the component
// must exist (VSS_E_OBJECT_NOT_FOUND) and be of `type` (E_INVALIDARG, "the
// caller tried to add ... files to a non-... component").
HRESULT add_component_files(core::WriterMetadata &target, LPCWSTR logical_path, LPCWSTR component_name,
                            VSS_COMPONENT_TYPE type, std::vector<core::FileSpec> core::ComponentDecl::*list,
                            LPCWSTR path, LPCWSTR filespec, bool recursive, LPCWSTR alternate_location,
                            DWORD backup_type_mask)
{
    if (component_name == nullptr || path == nullptr || filespec == nullptr ||
        (backup_type_mask & ~kKnownBackupTypeMask) != 0) {
        return E_INVALIDARG;
    }
    core::ComponentDecl *component = find_component(target, com::wide_view(logical_path), com::wide_view(component_name));
    if (component == nullptr) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    if (component->type != type) {
        return E_INVALIDARG;
    }
    core::FileSpec spec = file_set(path, filespec, recursive, alternate_location);
    spec.backup_type_mask = backup_type_mask;
    (component->*list).push_back(std::move(spec));
    return S_OK;
}

bool names_a_service(VSS_RESTOREMETHOD_ENUM method) noexcept
{
    return method == VSS_RME_STOP_RESTORE_START || method == VSS_RME_RESTORE_STOP_START;
}

} // namespace

CreateWriterMetadata::CreateWriterMetadata(core::WriterMetadata &target, core::WriterIdentity identity)
    : target_(&target), identity_(std::move(identity))
{
}

gsl::span<const com::InterfaceEntry> CreateWriterMetadata::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IVssCreateWriterMetadataEx, "IVssCreateWriterMetadataEx",
         &com::interface_cast<CreateWriterMetadata, IVssCreateWriterMetadataEx>},
    };
    return table;
}

void CreateWriterMetadata::seal() noexcept
{
    const std::lock_guard<std::mutex> hold(lock_);
    target_ = nullptr;
}

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddIncludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszAlternateLocation) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    // The page calls this method "reserved for system use"; it is kept working
    // because writers written against older SDKs still call it.
    if (wszPath == nullptr || wszFilespec == nullptr) {
        return E_INVALIDARG;
    }
    target_->include_files.push_back(file_set(wszPath, wszFilespec, bRecursive, wszAlternateLocation));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    if (wszPath == nullptr || wszFilespec == nullptr) {
        return E_INVALIDARG;
    }
    target_->exclude_files.push_back(file_set(wszPath, wszFilespec, bRecursive, nullptr));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// The name is required, non-empty and without backslashes; (logical path,
// name) must be new: VSS_E_OBJECT_ALREADY_EXISTS (AddComponent page).
HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszCaption, const BYTE *pbIcon, UINT cbIcon, bool bRestoreMetadata, bool bNotifyOnBackupComplete, bool bSelectable, bool bSelectableForRestore, DWORD dwComponentFlags) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    const std::u16string_view name = com::wide_view(wszComponentName);
    const auto type = com::enum_value(ct); // any integer a C caller passed
    if ((type != VSS_CT_DATABASE && type != VSS_CT_FILEGROUP) || wszComponentName == nullptr || name.empty() ||
        name.find(u'\\') != std::u16string_view::npos || (pbIcon == nullptr && cbIcon != 0) ||
        (dwComponentFlags & ~kKnownComponentFlags) != 0) {
        return E_INVALIDARG;
    }
    if (find_component(*target_, com::wide_view(wszLogicalPath), name) != nullptr) {
        return VSS_E_OBJECT_ALREADY_EXISTS;
    }
    core::ComponentDecl component;
    component.type = static_cast<VSS_COMPONENT_TYPE>(type);
    component.logical_path = copy_wide(wszLogicalPath);
    component.name = std::u16string(name);
    component.caption = copy_wide(wszCaption);
    if (pbIcon != nullptr) {
        component.icon.assign(pbIcon, pbIcon + cbIcon);
    }
    component.restore_metadata = bRestoreMetadata;
    component.notify_on_backup_complete = bNotifyOnBackupComplete;
    component.selectable = bSelectable;
    component.selectable_for_restore = bSelectableForRestore;
    component.flags = dwComponentFlags;
    target_->components.push_back(std::move(component));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddDatabaseFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath, LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    return add_component_files(*target_, wszLogicalPath, wszDatabaseName, VSS_CT_DATABASE,
                               &core::ComponentDecl::databases, wszPath, wszFilespec, false, nullptr,
                               dwBackupTypeMask);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddDatabaseLogFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath, LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    return add_component_files(*target_, wszLogicalPath, wszDatabaseName, VSS_CT_DATABASE,
                               &core::ComponentDecl::logs, wszPath, wszFilespec, false, nullptr,
                               dwBackupTypeMask);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName, LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszAlternateLocation, DWORD dwBackupTypeMask) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    return add_component_files(*target_, wszLogicalPath, wszGroupName, VSS_CT_FILEGROUP,
                               &core::ComponentDecl::files, wszPath, wszFilespec, bRecursive,
                               wszAlternateLocation, dwBackupTypeMask);
}
VSSAPI_CATCH_RETURN()

// VSS_RME_UNDEFINED is not a method (and marks "never set" for
// AddAlternateLocationMapping and GetRestoreMethod); the two stop/start
// methods need the service's name (SetRestoreMethod page). A later call
// replaces an earlier one: a writer has a single restore method.
HRESULT STDMETHODCALLTYPE CreateWriterMetadata::SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService, LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore, bool bRebootRequired) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    // Compared as integers: a C caller may pass any value.
    const int method_value = com::enum_value(method);
    const int writer_restore_value = com::enum_value(writerRestore);
    if (method_value <= VSS_RME_UNDEFINED || method_value > VSS_RME_RESTORE_STOP_START ||
        writer_restore_value < VSS_WRE_UNDEFINED || writer_restore_value > VSS_WRE_ALWAYS ||
        (names_a_service(method) && com::wide_view(wszService).empty())) {
        return E_INVALIDARG;
    }
    std::u16string service = copy_wide(wszService);
    std::u16string user_procedure = copy_wide(wszUserProcedure);
    target_->restore_method = method;
    target_->restore_service = std::move(service);
    target_->restore_user_procedure = std::move(user_procedure);
    target_->writer_restore = writerRestore;
    target_->reboot_required = bRebootRequired;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// Before SetRestoreMethod: VSS_E_OBJECT_NOT_FOUND (AddAlternateLocationMapping
// page). Whether the file set matches a component's is not checked: the page
// states the rule but no code for breaking it.
HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddAlternateLocationMapping(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilespec, bool bRecursive, LPCWSTR wszDestination) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    if (wszSourcePath == nullptr || wszSourceFilespec == nullptr || wszDestination == nullptr) {
        return E_INVALIDARG;
    }
    if (target_->restore_method == VSS_RME_UNDEFINED) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    target_->alternate_mappings.push_back(file_set(wszSourcePath, wszSourceFilespec, bRecursive, wszDestination));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// The depending ("for") component must exist: VSS_E_OBJECT_NOT_FOUND
// (AddComponentDependency page). The other writer's component cannot be checked.
HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddComponentDependency(LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName, VSS_ID onWriterId, LPCWSTR wszOnLogicalPath, LPCWSTR wszOnComponentName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    if (wszForComponentName == nullptr || com::wide_view(wszOnComponentName).empty()) {
        return E_INVALIDARG;
    }
    core::ComponentDecl *component =
        find_component(*target_, com::wide_view(wszForLogicalPath), com::wide_view(wszForComponentName));
    if (component == nullptr) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    component->dependencies.push_back(
        core::Dependency{onWriterId, copy_wide(wszOnLogicalPath), copy_wide(wszOnComponentName)});
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// Unknown VSS_BACKUP_SCHEMA bits: E_INVALIDARG, "the backup schema argument is
// not valid" (SetBackupSchema page).
HRESULT STDMETHODCALLTYPE CreateWriterMetadata::SetBackupSchema(DWORD dwSchemaMask) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    if ((dwSchemaMask & ~kKnownBackupSchema) != 0) {
        return E_INVALIDARG;
    }
    target_->backup_schema = dwSchemaMask;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::GetDocument(IXMLDOMDocument **pDoc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    com::clear_given(pDoc);
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    return kNoXmlDomDocument;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::SaveAsXML(BSTR *pbstrXML) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrXML)) {
        return E_INVALIDARG;
    }
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    com::give_bstrs({{pbstrXML, documents::save_writer_metadata(identity_, *target_)}});
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE CreateWriterMetadata::AddExcludeFilesFromSnapshot(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const std::lock_guard<std::mutex> hold(lock_);
    if (target_ == nullptr) {
        return VSS_E_BAD_STATE;
    }
    if (wszPath == nullptr || wszFilespec == nullptr) {
        return E_INVALIDARG;
    }
    target_->exclude_from_snapshot.push_back(file_set(wszPath, wszFilespec, bRecursive, nullptr));
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
