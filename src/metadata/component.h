// One component of the Backup Components Document, as IVssComponent, Ex and
// Ex2 (one vtable, the SDK's slots). It names its component by index in a
// shared ComponentStore and locks the store's mutex for every access, so the
// writer's handler thread and the requester may use it at once.
//
// Who may write what, and in which handler, is decided by the ComponentAccess
// it was made with (vss-facts 5.2): the requester only reads; the writer
// writes backup data in backup handlers, restore data in OnPreRestore, and
// component failures (C-2.7) in handlers that hold a writable document.
// The restore side is component_restore.cpp.
#pragma once

#include "com/object.h"
#include "com/out.h"
#include "core/metadata.h"
#include "core/state_machine.h"

#include <vswriter.h>

#include <cstddef>
#include <gsl/gsl>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace vssapi::metadata {

enum class WriteKind; // below: which setter group a call belongs to

class Component final : public com::ComObject<Component, IVssComponentEx2> {
public:
    Component(std::shared_ptr<core::ComponentStore> store, std::size_t index,
              core::ComponentAccess access) noexcept;

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    // IVssComponent
    HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrPath) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponentType(VSS_COMPONENT_TYPE *pct) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrName) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupSucceeded(bool *pbSucceeded) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAlternateLocationMappingCount(UINT *pcMappings) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupMetadata(LPCWSTR wszData) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupMetadata(BSTR *pbstrData) noexcept override;
    HRESULT STDMETHODCALLTYPE AddPartialFile(LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges, LPCWSTR wszMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPartialFileCount(UINT *pcPartialFiles) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename, BSTR *pbstrRange, BSTR *pbstrMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE IsSelectedForRestore(bool *pbSelectedForRestore) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAdditionalRestores(bool *pbAdditionalRestores) noexcept override;
    HRESULT STDMETHODCALLTYPE GetNewTargetCount(UINT *pcNewTarget) noexcept override;
    HRESULT STDMETHODCALLTYPE GetNewTarget(UINT iNewTarget, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDirectedTarget(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename, LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath, LPCWSTR wszDestinationFilename, LPCWSTR wszDestinationRangeList) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDirectedTargetCount(UINT *pcDirectedTarget) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDirectedTarget(UINT iDirectedTarget, BSTR *pbstrSourcePath, BSTR *pbstrSourceFileName, BSTR *pbstrSourceRangeList, BSTR *pbstrDestinationPath, BSTR *pbstrDestinationFilename, BSTR *pbstrDestinationRangeList) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreMetadata(LPCWSTR wszRestoreMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreMetadata(BSTR *pbstrRestoreMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreTarget(VSS_RESTORE_TARGET target) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupStamp(LPCWSTR wszBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupStamp(BSTR *pbstrBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPreviousBackupStamp(BSTR *pbstrBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupOptions(BSTR *pbstrBackupOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreOptions(BSTR *pbstrRestoreOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreSubcomponent(UINT iComponent, BSTR *pbstrLogicalPath, BSTR *pbstrComponentName, bool *pbRepair) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyTime(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive, FILETIME ftLastModifyTime) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyLSN(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive, BSTR bstrLsnString) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDifferencedFilesCount(UINT *pcDifferencedFiles) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDifferencedFile(UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec, BOOL *pbRecursive, BSTR *pbstrLsnString, FILETIME *pftLastModifyTime) noexcept override;

    // IVssComponentEx
    HRESULT STDMETHODCALLTYPE SetPrepareForBackupFailureMsg(LPCWSTR wszFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPostSnapshotFailureMsg(LPCWSTR wszFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPrepareForBackupFailureMsg(BSTR *pbstrFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPostSnapshotFailureMsg(BSTR *pbstrFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAuthoritativeRestore(bool *pbAuth) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreName(BSTR *pbstrName) noexcept override;

    // IVssComponentEx2
    HRESULT STDMETHODCALLTYPE SetFailure(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage, DWORD dwReserved) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFailure(HRESULT *phr, HRESULT *phrApplication, BSTR *pbstrApplicationMessage, DWORD *pdwReserved) noexcept override;

private:
    // Runs fn(SelectedComponent &) with the store locked; an index no longer
    // in the store gives VSS_E_OBJECT_NOT_FOUND.
    template <class Fn>
    HRESULT with_component(Fn &&fn);
    // A string getter: NULL out -> E_INVALIDARG; unset -> S_FALSE and a NULL BSTR.
    HRESULT read_string(std::u16string core::SelectedComponent::*field, BSTR *out);
    // The setter of one string field: may this caller write `kind`, is the text given, then store it.
    HRESULT write_string(WriteKind kind, std::u16string core::SelectedComponent::*field, LPCWSTR text);
    // Backup and restore metadata: set once (then VSS_E_OBJECT_ALREADY_EXISTS),
    // unset until then (S_FALSE, NULL) even when set to "".
    HRESULT read_once(std::u16string core::SelectedComponent::*field, bool core::SelectedComponent::*set, BSTR *out);
    HRESULT write_once(WriteKind kind, std::u16string core::SelectedComponent::*field,
                       bool core::SelectedComponent::*set, LPCWSTR text);
    // The file lists (partial files, differenced files, directed targets):
    // add one entry (the caller checked may_write), count them, or give
    // entry `index` to give(const T &).
    template <class T>
    HRESULT append(std::vector<T> core::SelectedComponent::*list, T entry);
    template <class T>
    HRESULT count(std::vector<T> core::SelectedComponent::*list, UINT *out);
    template <class T, class Give>
    HRESULT item(std::vector<T> core::SelectedComponent::*list, UINT index, Give &&give);
    HRESULT add_differenced(LPCWSTR path, LPCWSTR filespec, BOOL recursive,
                            core::SelectedComponent::DifferencedFile file);

    std::shared_ptr<core::ComponentStore> store_;
    std::size_t index_;
    core::ComponentAccess access_;
};

// Which setter group a call belongs to; the rules of vss-facts 5.2.
enum class WriteKind {
    BackupData,           // SetBackupMetadata, SetBackupStamp, AddPartialFile, AddDifferencedFiles*
    PrepareForBackupMsg,  // SetPrepareForBackupFailureMsg
    PostSnapshotMsg,      // SetPostSnapshotFailureMsg
    RestoreMsg,           // SetPreRestoreFailureMsg, SetPostRestoreFailureMsg
    RestoreData,          // AddDirectedTarget, SetRestoreMetadata, SetRestoreTarget
    Failure,              // SetFailure
};

// Whether a caller with `access` may make a call of `kind`.
bool may_write(const core::ComponentAccess &access, WriteKind kind) noexcept;

// The private helpers, here because component.cpp and component_restore.cpp
// both use them.

template <class Fn>
HRESULT Component::with_component(Fn &&fn)
{
    std::lock_guard<std::mutex> guard(store_->lock);
    if (index_ >= store_->components.size()) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    return fn(store_->components[index_]);
}

template <class T>
HRESULT Component::append(std::vector<T> core::SelectedComponent::*list, T entry)
{
    return with_component([&](core::SelectedComponent &c) {
        (c.*list).push_back(std::move(entry));
        return S_OK;
    });
}

template <class T>
HRESULT Component::count(std::vector<T> core::SelectedComponent::*list, UINT *out)
{
    if (!com::clear_out(out)) {
        return E_INVALIDARG;
    }
    return with_component([&](core::SelectedComponent &c) {
        *out = gsl::narrow<UINT>((c.*list).size());
        return S_OK;
    });
}

template <class T, class Give>
HRESULT Component::item(std::vector<T> core::SelectedComponent::*list, UINT index, Give &&give)
{
    return with_component([&](core::SelectedComponent &c) {
        if (index >= (c.*list).size()) {
            return VSS_E_OBJECT_NOT_FOUND;
        }
        give((c.*list)[index]);
        return S_OK;
    });
}

} // namespace vssapi::metadata
