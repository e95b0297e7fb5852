#include "metadata/component.h"

#include "com/barrier.h"
#include "com/bstr.h"
#include "com/enum_value.h"
#include "com/out.h"
#include "core/state_machine.h"
#include "metadata/strings.h"
#include "metadata/wm_filedesc.h"

#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace vssapi::metadata {
namespace {

using core::Event;
using core::SelectedComponent;

bool is_backup_write_event(Event event) noexcept
{
    switch (event) {
    case Event::PrepareBackup:
    case Event::PrepareSnapshot:
    case Event::Freeze:
    case Event::Thaw:
    case Event::PostSnapshot:
        return true;
    default: // Identify is not part of a backup; BackupComplete on, the document is read-only
        return false;
    }
}

bool in_backup(const core::ComponentAccess &access) noexcept
{
    return !access.restore && is_backup_write_event(access.event);
}

bool in_restore(const core::ComponentAccess &access) noexcept
{
    return access.restore &&
           (access.event == Event::PreRestore || access.event == Event::PostRestore);
}

} // namespace

bool may_write(const core::ComponentAccess &access, WriteKind kind) noexcept
{
    if (access.side != core::ComponentAccess::Side::Writer) {
        return false; // the requester only reads components
    }
    switch (kind) {
    case WriteKind::BackupData:
        return in_backup(access);
    case WriteKind::PrepareForBackupMsg:
        return in_backup(access) && access.event == Event::PrepareBackup;
    case WriteKind::PostSnapshotMsg:
        return in_backup(access) && access.event == Event::PostSnapshot;
    case WriteKind::RestoreMsg:
        return in_restore(access);
    case WriteKind::RestoreData:
        return in_restore(access) && access.event == Event::PreRestore;
    case WriteKind::Failure:
        // The handlers that receive a writable IVssWriterComponents.
        return in_restore(access) ||
               (in_backup(access) &&
                (access.event == Event::PrepareBackup || access.event == Event::PostSnapshot));
    }
    return false;
}

Component::Component(std::shared_ptr<core::ComponentStore> store, std::size_t index,
                     core::ComponentAccess access) noexcept
    : store_(std::move(store)), index_(index), access_(access)
{
}

gsl::span<const com::InterfaceEntry> Component::interface_table() noexcept
{
    using Self = Component;
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IVssComponent, "IVssComponent", &com::interface_cast<Self, IVssComponentEx2>},
        {&IID_IVssComponentEx, "IVssComponentEx", &com::interface_cast<Self, IVssComponentEx2>},
        {&IID_IVssComponentEx2, "IVssComponentEx2", &com::interface_cast<Self, IVssComponentEx2>},
    };
    return table;
}

HRESULT Component::read_string(std::u16string SelectedComponent::*field, BSTR *out)
{
    if (!com::clear_out(out)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) { return optional_string(c.*field, out); });
}

HRESULT Component::write_string(WriteKind kind, std::u16string SelectedComponent::*field, LPCWSTR text)
{
    if (!may_write(access_, kind)) {
        return VSS_E_BAD_STATE;
    }
    if (text == nullptr) {
        return E_INVALIDARG;
    }
    std::u16string value(com::wide_view(text)); // copied before the lock
    return with_component([&](SelectedComponent &c) {
        c.*field = std::move(value);
        return S_OK;
    });
}

HRESULT Component::read_once(std::u16string SelectedComponent::*field, bool SelectedComponent::*set, BSTR *out)
{
    if (!com::clear_out(out)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) { return optional_string(c.*field, c.*set, out); });
}

HRESULT Component::write_once(WriteKind kind, std::u16string SelectedComponent::*field,
                              bool SelectedComponent::*set, LPCWSTR text)
{
    if (!may_write(access_, kind)) {
        return VSS_E_BAD_STATE;
    }
    if (text == nullptr) {
        return E_INVALIDARG;
    }
    std::u16string value(com::wide_view(text));
    return with_component([&](SelectedComponent &c) {
        if (c.*set) {
            return VSS_E_OBJECT_ALREADY_EXISTS;
        }
        c.*field = std::move(value);
        c.*set = true;
        return S_OK;
    });
}

// Both AddDifferencedFiles calls: the SDK page allows no wildcards in the
// path and no directory in the filespec.
HRESULT Component::add_differenced(LPCWSTR path, LPCWSTR filespec, BOOL recursive,
                                   SelectedComponent::DifferencedFile file)
{
    if (!may_write(access_, WriteKind::BackupData)) {
        return VSS_E_BAD_STATE;
    }
    if (path == nullptr || filespec == nullptr || has_wildcard(com::wide_view(path)) ||
        com::wide_view(filespec).find(u'\\') != std::u16string_view::npos) {
        return E_INVALIDARG;
    }
    file.path = com::wide_view(path);
    file.filespec = com::wide_view(filespec);
    file.recursive = recursive != FALSE;
    return append(&SelectedComponent::differenced_files, std::move(file));
}

// ---------------------------------------------------------------------------
// Identity and backup state

HRESULT STDMETHODCALLTYPE Component::GetLogicalPath(BSTR *pbstrPath) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::logical_path, pbstrPath);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetComponentType(VSS_COMPONENT_TYPE *pct) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pct)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pct = c.type;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetComponentName(BSTR *pbstrName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrName)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        com::give_bstrs({{pbstrName, c.name}});
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetBackupSucceeded(bool *pbSucceeded) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbSucceeded)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pbSucceeded = c.backup_succeeded;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

// Alternate location mappings and new targets come from requester calls
// (AddAlternativeLocationMapping, AddNewTarget) during a restore, as
// IVssWMFiledesc objects; a backup session has none.
HRESULT STDMETHODCALLTYPE Component::GetAlternateLocationMappingCount(UINT *pcMappings) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return count(&SelectedComponent::alternate_mappings, pcMappings);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppFiledesc)) {
        return E_INVALIDARG;
    }
    return item(&SelectedComponent::alternate_mappings, iMapping,
                [&](const core::FileSpec &mapping) { *ppFiledesc = new WmFiledesc(mapping); });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetBackupMetadata(LPCWSTR wszData) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_once(WriteKind::BackupData, &SelectedComponent::backup_metadata,
                      &SelectedComponent::backup_metadata_set, wszData);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetBackupMetadata(BSTR *pbstrData) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_once(&SelectedComponent::backup_metadata, &SelectedComponent::backup_metadata_set, pbstrData);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetBackupStamp(LPCWSTR wszBackupStamp) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::BackupData, &SelectedComponent::backup_stamp, wszBackupStamp);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetBackupStamp(BSTR *pbstrBackupStamp) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::backup_stamp, pbstrBackupStamp);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPreviousBackupStamp(BSTR *pbstrBackupStamp) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::previous_backup_stamp, pbstrBackupStamp);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetBackupOptions(BSTR *pbstrBackupOptions) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::backup_options, pbstrBackupOptions);
}
VSSAPI_CATCH_RETURN()

// ---------------------------------------------------------------------------
// Partial and differenced files

HRESULT STDMETHODCALLTYPE Component::AddPartialFile(LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges, LPCWSTR wszMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::BackupData)) {
        return VSS_E_BAD_STATE;
    }
    // The SDK page: ranges are required, metadata optional, no wildcards in the name.
    if (wszPath == nullptr || wszFilename == nullptr || wszRanges == nullptr ||
        has_wildcard(com::wide_view(wszFilename))) {
        return E_INVALIDARG;
    }
    return append(&SelectedComponent::partial_files,
                  SelectedComponent::PartialFile{copy_wide(wszPath),
                                                 copy_wide(wszFilename),
                                                 copy_wide(wszRanges),
                                                 copy_wide(wszMetadata),
                                                 {}});
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPartialFileCount(UINT *pcPartialFiles) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return count(&SelectedComponent::partial_files, pcPartialFiles);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename, BSTR *pbstrRange, BSTR *pbstrMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrPath, pbstrFilename, pbstrRange, pbstrMetadata)) {
        return E_INVALIDARG;
    }
    return item(&SelectedComponent::partial_files, iPartialFile, [&](const SelectedComponent::PartialFile &file) {
        com::give_bstrs({{pbstrPath, file.path},
                         {pbstrFilename, file.filename},
                         {pbstrRange, file.ranges},
                         {pbstrMetadata, file.metadata}});
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::AddDifferencedFilesByLastModifyTime(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive, FILETIME ftLastModifyTime) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    SelectedComponent::DifferencedFile file;
    file.last_modify = ftLastModifyTime;
    return add_differenced(wszPath, wszFilespec, bRecursive, std::move(file));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::AddDifferencedFilesByLastModifyLSN(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive, BSTR bstrLsnString) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    SelectedComponent::DifferencedFile file;
    file.lsn = com::bstr_view(bstrLsnString);
    return add_differenced(wszPath, wszFilespec, bRecursive, std::move(file));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDifferencedFilesCount(UINT *pcDifferencedFiles) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return count(&SelectedComponent::differenced_files, pcDifferencedFiles);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDifferencedFile(UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec, BOOL *pbRecursive, BSTR *pbstrLsnString, FILETIME *pftLastModifyTime) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrPath, pbstrFilespec, pbRecursive, pbstrLsnString, pftLastModifyTime)) {
        return E_INVALIDARG;
    }
    return item(&SelectedComponent::differenced_files, iDifferencedFile,
                [&](const SelectedComponent::DifferencedFile &file) {
                    com::give_bstrs({{pbstrPath, file.path},
                                     {pbstrFilespec, file.filespec},
                                     {pbstrLsnString, file.lsn, true}});
                    *pbRecursive = file.recursive ? TRUE : FALSE;
                    *pftLastModifyTime = file.last_modify;
                });
}
VSSAPI_CATCH_RETURN()

// ---------------------------------------------------------------------------
// IVssComponentEx

HRESULT STDMETHODCALLTYPE Component::SetPrepareForBackupFailureMsg(LPCWSTR wszFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::PrepareForBackupMsg, &SelectedComponent::prepare_for_backup_failure_msg, wszFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetPostSnapshotFailureMsg(LPCWSTR wszFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::PostSnapshotMsg, &SelectedComponent::post_snapshot_failure_msg, wszFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPrepareForBackupFailureMsg(BSTR *pbstrFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::prepare_for_backup_failure_msg, pbstrFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPostSnapshotFailureMsg(BSTR *pbstrFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::post_snapshot_failure_msg, pbstrFailureMsg);
}
VSSAPI_CATCH_RETURN()

// ---------------------------------------------------------------------------
// IVssComponentEx2 (C-2.7)

HRESULT STDMETHODCALLTYPE Component::SetFailure(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage, DWORD dwReserved) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::Failure)) {
        return VSS_E_BAD_STATE;
    }
    // S_OK and the five writer codes; PARTIAL_FAILURE belongs to the writer as a whole.
    if (dwReserved != 0 || (hr != S_OK && !core::is_accepted_writer_failure(hr, false))) {
        return E_INVALIDARG;
    }
    std::u16string_view message = com::wide_view(wszApplicationMessage);
    if (message.size() > core::kMaxFailureMessage) {
        return E_INVALIDARG;
    }
    core::ComponentFailure failure{true, hr, hrApplication, std::u16string(message)};
    return with_component([&](SelectedComponent &c) {
        c.failure = std::move(failure); // the last accepted call wins
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetFailure(HRESULT *phr, HRESULT *phrApplication, BSTR *pbstrApplicationMessage, DWORD *pdwReserved) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(phr, phrApplication, pbstrApplicationMessage, pdwReserved)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        // An empty message is reported as a NULL BSTR, as for the writer (C-2.2).
        com::give_bstrs({{pbstrApplicationMessage, c.failure.message, true}});
        *phr = c.failure.hr;
        *phrApplication = c.failure.hr_application;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
