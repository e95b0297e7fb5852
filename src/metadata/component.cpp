#include "metadata/component.h"

#include "com/enum_value.h"
#include "com/barrier.h"
#include "com/bstr.h"
#include "core/state_machine.h"

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

// S_FALSE with a NULL BSTR when the value was never set: the SDK pages of
// every IVssComponent string getter say so.
HRESULT optional_string(const std::u16string &value, bool present, BSTR *out)
{
    *out = present ? com::make_bstr(value) : nullptr;
    return present ? S_OK : S_FALSE;
}

HRESULT optional_string(const std::u16string &value, BSTR *out)
{
    return optional_string(value, !value.empty(), out);
}

bool has_wildcard(std::u16string_view text) noexcept
{
    return text.find_first_of(u"*?") != std::u16string_view::npos;
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

template <class Fn>
HRESULT Component::with_component(Fn &&fn)
{
    std::lock_guard<std::mutex> guard(store_->lock);
    if (index_ >= store_->components.size()) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    return fn(store_->components[index_]);
}

HRESULT Component::read_string(std::u16string SelectedComponent::*field, BSTR *out)
{
    if (out == nullptr) {
        return E_INVALIDARG;
    }
    *out = nullptr;
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
    if (pct == nullptr) {
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
    if (pbstrName == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrName = nullptr;
    return with_component([&](SelectedComponent &c) {
        *pbstrName = com::make_bstr(c.name);
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetBackupSucceeded(bool *pbSucceeded) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbSucceeded == nullptr) {
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
    if (pcMappings == nullptr) {
        return E_INVALIDARG;
    }
    *pcMappings = 0;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetAlternateLocationMapping(UINT /*iMapping*/, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (ppFiledesc == nullptr) {
        return E_INVALIDARG;
    }
    *ppFiledesc = nullptr;
    return VSS_E_OBJECT_NOT_FOUND;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetBackupMetadata(LPCWSTR wszData) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::BackupData)) {
        return VSS_E_BAD_STATE;
    }
    if (wszData == nullptr) {
        return E_INVALIDARG;
    }
    std::u16string data(com::wide_view(wszData));
    return with_component([&](SelectedComponent &c) {
        if (c.backup_metadata_set) {
            return VSS_E_OBJECT_ALREADY_EXISTS;
        }
        c.backup_metadata = std::move(data);
        c.backup_metadata_set = true;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetBackupMetadata(BSTR *pbstrData) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrData == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrData = nullptr;
    return with_component([&](SelectedComponent &c) {
        return optional_string(c.backup_metadata, c.backup_metadata_set, pbstrData);
    });
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
    SelectedComponent::PartialFile file{std::u16string(com::wide_view(wszPath)),
                                        std::u16string(com::wide_view(wszFilename)),
                                        std::u16string(com::wide_view(wszRanges)),
                                        std::u16string(com::wide_view(wszMetadata))};
    return with_component([&](SelectedComponent &c) {
        c.partial_files.push_back(std::move(file));
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPartialFileCount(UINT *pcPartialFiles) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcPartialFiles == nullptr) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pcPartialFiles = static_cast<UINT>(c.partial_files.size());
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename, BSTR *pbstrRange, BSTR *pbstrMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrPath == nullptr || pbstrFilename == nullptr || pbstrRange == nullptr ||
        pbstrMetadata == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrPath = *pbstrFilename = *pbstrRange = *pbstrMetadata = nullptr;
    return with_component([&](SelectedComponent &c) {
        if (iPartialFile >= c.partial_files.size()) {
            return VSS_E_OBJECT_NOT_FOUND;
        }
        const auto &file = c.partial_files[iPartialFile];
        com::Bstr path(file.path), name(file.filename), ranges(file.ranges), metadata(file.metadata);
        *pbstrPath = path.release();
        *pbstrFilename = name.release();
        *pbstrRange = ranges.release();
        *pbstrMetadata = metadata.release();
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::AddDifferencedFilesByLastModifyTime(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive, FILETIME ftLastModifyTime) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::BackupData)) {
        return VSS_E_BAD_STATE;
    }
    // The SDK page: no wildcards in the path, no directory in the filespec.
    if (wszPath == nullptr || wszFilespec == nullptr || has_wildcard(com::wide_view(wszPath)) ||
        com::wide_view(wszFilespec).find(u'\\') != std::u16string_view::npos) {
        return E_INVALIDARG;
    }
    SelectedComponent::DifferencedFile file;
    file.path = com::wide_view(wszPath);
    file.filespec = com::wide_view(wszFilespec);
    file.recursive = bRecursive != FALSE;
    file.last_modify = ftLastModifyTime;
    return with_component([&](SelectedComponent &c) {
        c.differenced_files.push_back(std::move(file));
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::AddDifferencedFilesByLastModifyLSN(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive, BSTR bstrLsnString) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::BackupData)) {
        return VSS_E_BAD_STATE;
    }
    if (wszPath == nullptr || wszFilespec == nullptr || has_wildcard(com::wide_view(wszPath)) ||
        com::wide_view(wszFilespec).find(u'\\') != std::u16string_view::npos) {
        return E_INVALIDARG;
    }
    SelectedComponent::DifferencedFile file;
    file.path = com::wide_view(wszPath);
    file.filespec = com::wide_view(wszFilespec);
    file.recursive = bRecursive != FALSE;
    file.lsn = com::bstr_view(bstrLsnString);
    return with_component([&](SelectedComponent &c) {
        c.differenced_files.push_back(std::move(file));
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDifferencedFilesCount(UINT *pcDifferencedFiles) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcDifferencedFiles == nullptr) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pcDifferencedFiles = static_cast<UINT>(c.differenced_files.size());
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDifferencedFile(UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec, BOOL *pbRecursive, BSTR *pbstrLsnString, FILETIME *pftLastModifyTime) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrPath == nullptr || pbstrFilespec == nullptr || pbRecursive == nullptr ||
        pbstrLsnString == nullptr || pftLastModifyTime == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrPath = *pbstrFilespec = *pbstrLsnString = nullptr;
    return with_component([&](SelectedComponent &c) {
        if (iDifferencedFile >= c.differenced_files.size()) {
            return VSS_E_OBJECT_NOT_FOUND;
        }
        const auto &file = c.differenced_files[iDifferencedFile];
        com::Bstr path(file.path), filespec(file.filespec);
        com::Bstr lsn = file.lsn.empty() ? com::Bstr() : com::Bstr(file.lsn);
        *pbstrPath = path.release();
        *pbstrFilespec = filespec.release();
        *pbstrLsnString = lsn.release();
        *pbRecursive = file.recursive ? TRUE : FALSE;
        *pftLastModifyTime = file.last_modify;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

// ---------------------------------------------------------------------------
// Restore: what the requester set reads as a backup session's defaults until
// the restore requester stores it; the writer's own restore data is kept.

HRESULT STDMETHODCALLTYPE Component::IsSelectedForRestore(bool *pbSelectedForRestore) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbSelectedForRestore == nullptr) {
        return E_INVALIDARG;
    }
    *pbSelectedForRestore = false;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetAdditionalRestores(bool *pbAdditionalRestores) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbAdditionalRestores == nullptr) {
        return E_INVALIDARG;
    }
    *pbAdditionalRestores = false;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetNewTargetCount(UINT *pcNewTarget) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcNewTarget == nullptr) {
        return E_INVALIDARG;
    }
    *pcNewTarget = 0;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetNewTarget(UINT /*iNewTarget*/, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (ppFiledesc == nullptr) {
        return E_INVALIDARG;
    }
    *ppFiledesc = nullptr;
    return VSS_E_OBJECT_NOT_FOUND;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::AddDirectedTarget(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename, LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath, LPCWSTR wszDestinationFilename, LPCWSTR wszDestinationRangeList) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::RestoreData)) {
        return VSS_E_BAD_STATE;
    }
    // Range lists may be NULL (the whole file); names may not hold wildcards.
    if (wszSourcePath == nullptr || wszSourceFilename == nullptr || wszDestinationPath == nullptr ||
        wszDestinationFilename == nullptr || has_wildcard(com::wide_view(wszSourceFilename)) ||
        has_wildcard(com::wide_view(wszDestinationFilename))) {
        return E_INVALIDARG;
    }
    SelectedComponent::DirectedTarget target{
        std::u16string(com::wide_view(wszSourcePath)),
        std::u16string(com::wide_view(wszSourceFilename)),
        std::u16string(com::wide_view(wszSourceRangeList)),
        std::u16string(com::wide_view(wszDestinationPath)),
        std::u16string(com::wide_view(wszDestinationFilename)),
        std::u16string(com::wide_view(wszDestinationRangeList)),
    };
    return with_component([&](SelectedComponent &c) {
        c.directed_targets.push_back(std::move(target));
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDirectedTargetCount(UINT *pcDirectedTarget) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcDirectedTarget == nullptr) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pcDirectedTarget = static_cast<UINT>(c.directed_targets.size());
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDirectedTarget(UINT iDirectedTarget, BSTR *pbstrSourcePath, BSTR *pbstrSourceFileName, BSTR *pbstrSourceRangeList, BSTR *pbstrDestinationPath, BSTR *pbstrDestinationFilename, BSTR *pbstrDestinationRangeList) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrSourcePath == nullptr || pbstrSourceFileName == nullptr ||
        pbstrSourceRangeList == nullptr || pbstrDestinationPath == nullptr ||
        pbstrDestinationFilename == nullptr || pbstrDestinationRangeList == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrSourcePath = *pbstrSourceFileName = *pbstrSourceRangeList = nullptr;
    *pbstrDestinationPath = *pbstrDestinationFilename = *pbstrDestinationRangeList = nullptr;
    return with_component([&](SelectedComponent &c) {
        if (iDirectedTarget >= c.directed_targets.size()) {
            return VSS_E_OBJECT_NOT_FOUND;
        }
        const auto &t = c.directed_targets[iDirectedTarget];
        com::Bstr source_path(t.source_path), source_name(t.source_filename),
            source_ranges(t.source_ranges), destination_path(t.destination_path),
            destination_name(t.destination_filename), destination_ranges(t.destination_ranges);
        *pbstrSourcePath = source_path.release();
        *pbstrSourceFileName = source_name.release();
        *pbstrSourceRangeList = source_ranges.release();
        *pbstrDestinationPath = destination_path.release();
        *pbstrDestinationFilename = destination_name.release();
        *pbstrDestinationRangeList = destination_ranges.release();
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetRestoreMetadata(LPCWSTR wszRestoreMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::RestoreData)) {
        return VSS_E_BAD_STATE;
    }
    if (wszRestoreMetadata == nullptr) {
        return E_INVALIDARG;
    }
    std::u16string data(com::wide_view(wszRestoreMetadata));
    return with_component([&](SelectedComponent &c) {
        if (c.restore_metadata_set) {
            return VSS_E_OBJECT_ALREADY_EXISTS;
        }
        c.restore_metadata = std::move(data);
        c.restore_metadata_set = true;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreMetadata(BSTR *pbstrRestoreMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrRestoreMetadata == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrRestoreMetadata = nullptr;
    return with_component([&](SelectedComponent &c) {
        return optional_string(c.restore_metadata, c.restore_metadata_set, pbstrRestoreMetadata);
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetRestoreTarget(VSS_RESTORE_TARGET target) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::RestoreData)) {
        return VSS_E_BAD_STATE;
    }
    if (com::enum_value(target) < VSS_RT_ORIGINAL || com::enum_value(target) > VSS_RT_ORIGINAL_LOCATION) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        c.restore_target = target;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pTarget == nullptr) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pTarget = c.restore_target;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::RestoreMsg, &SelectedComponent::pre_restore_failure_msg, wszPreRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::pre_restore_failure_msg, pbstrPreRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::RestoreMsg, &SelectedComponent::post_restore_failure_msg, wszPostRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::post_restore_failure_msg, pbstrPostRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreOptions(BSTR *pbstrRestoreOptions) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrRestoreOptions == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrRestoreOptions = nullptr;
    return with_component([](SelectedComponent &) { return S_FALSE; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcRestoreSubcomponent == nullptr) {
        return E_INVALIDARG;
    }
    *pcRestoreSubcomponent = 0;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreSubcomponent(UINT /*iComponent*/, BSTR *pbstrLogicalPath, BSTR *pbstrComponentName, bool *pbRepair) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrLogicalPath == nullptr || pbstrComponentName == nullptr || pbRepair == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrLogicalPath = *pbstrComponentName = nullptr;
    return VSS_E_OBJECT_NOT_FOUND;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pStatus == nullptr) {
        return E_INVALIDARG;
    }
    if (!access_.restore) {
        return VSS_E_BAD_STATE; // the SDK page: only part of a restore
    }
    *pStatus = VSS_RS_UNDEFINED;
    return with_component([](SelectedComponent &) { return S_OK; });
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

HRESULT STDMETHODCALLTYPE Component::GetAuthoritativeRestore(bool *pbAuth) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbAuth == nullptr) {
        return E_INVALIDARG;
    }
    *pbAuth = false;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pRollType == nullptr || pbstrPoint == nullptr) {
        return E_INVALIDARG;
    }
    *pRollType = VSS_RF_UNDEFINED;
    *pbstrPoint = nullptr;
    return with_component([](SelectedComponent &) { return S_OK; });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreName(BSTR *pbstrName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pbstrName == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrName = nullptr; // the SDK page lists no S_FALSE: no name is S_OK with NULL
    return with_component([](SelectedComponent &) { return S_OK; });
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
    if (phr == nullptr || phrApplication == nullptr || pbstrApplicationMessage == nullptr ||
        pdwReserved == nullptr) {
        return E_INVALIDARG;
    }
    *pbstrApplicationMessage = nullptr;
    return with_component([&](SelectedComponent &c) {
        // An empty message is reported as a NULL BSTR, as for the writer (C-2.2).
        com::Bstr message = c.failure.message.empty() ? com::Bstr() : com::Bstr(c.failure.message);
        *phr = c.failure.hr;
        *phrApplication = c.failure.hr_application;
        *pbstrApplicationMessage = message.release();
        *pdwReserved = 0;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
