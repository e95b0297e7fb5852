// The Backup Components Document and the restore, as IVssBackupComponents
// has them (contract C-3.2, C-8): SaveAsXML, InitializeForBackup(xml),
// InitializeForRestore, the restore setters, PreRestore and PostRestore. The
// XML is src/documents'; the sequence and its rules are core::Session's.
#include "requester/backup_components.h"

#include "com/barrier.h"
#include "com/enum_value.h"
#include "com/out.h"
#include "core/diagnostics.h"
#include "documents/backup_document.h"

namespace vssapi::requester {
namespace {

// The document a BSTR holds, or VSS_E_INVALID_XML_DOCUMENT with its reason
// in the diagnostic log (C-8.3).
HRESULT read_document(const char *call, BSTR xml, core::BackupDocument &out)
{
    std::string why;
    const HRESULT hr = documents::load_backup_document(com::bstr_view(xml), out, why);
    if (FAILED(hr)) {
        core::note_refusal(call, hr, std::string(call) + " cannot read the document: " + why);
    }
    return hr;
}

} // namespace

HRESULT STDMETHODCALLTYPE BackupComponents::InitializeForBackup(BSTR bstrXML) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (bstrXML == nullptr) {
        return session_->initialize_for_backup();
    }
    core::BackupDocument document;
    const HRESULT hr = read_document("InitializeForBackup", bstrXML, document);
    return FAILED(hr) ? hr : session_->initialize_for_backup(std::move(document));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::InitializeForRestore(BSTR bstrXML) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (bstrXML == nullptr) {
        return E_INVALIDARG;
    }
    core::BackupDocument document;
    const HRESULT hr = read_document("InitializeForRestore", bstrXML, document);
    return FAILED(hr) ? hr : session_->initialize_for_restore(std::move(document));
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SaveAsXML(BSTR *pbstrXML) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrXML)) {
        return E_INVALIDARG;
    }
    core::BackupDocument document;
    const HRESULT hr = session_->save_document(document);
    if (FAILED(hr)) {
        return hr;
    }
    com::give_bstrs({{pbstrXML, documents::save_backup_document(document)}});
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetRestoreState(VSS_RESTORE_TYPE restoreType) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return session_->set_restore_state(com::enum_value(restoreType)); // any integer a C caller passed
}
VSSAPI_CATCH_RETURN()

HRESULT BackupComponents::change_for_restore(core::Call call, const VSS_ID &writer_id, const VSS_ID *instance_id,
                                             const VSS_COMPONENT_TYPE &type, LPCWSTR logical_path, LPCWSTR name,
                                             const std::function<HRESULT(core::SelectedComponent &)> &change)
{
    if (name == nullptr) {
        return E_INVALIDARG;
    }
    core::ComponentKey key = component_key(writer_id, type, logical_path, name);
    if (instance_id != nullptr) {
        key.instance_id = *instance_id;
    }
    return session_->change_for_restore(call, key, change);
}

HRESULT STDMETHODCALLTYPE BackupComponents::SetSelectedForRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bSelectedForRestore) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return change_for_restore(core::Call::SetSelectedForRestore, writerId, nullptr, ct, wszLogicalPath,
                              wszComponentName, [&](core::SelectedComponent &c) {
                                  c.selected_for_restore = bSelectedForRestore;
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetSelectedForRestoreEx(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bSelectedForRestore, VSS_ID instanceId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    // GUID_NULL: any instance of the class, as SetSelectedForRestore.
    const bool any_instance = IsEqualGUID(instanceId, GUID_NULL);
    return change_for_restore(core::Call::SetSelectedForRestoreEx, writerId, any_instance ? nullptr : &instanceId,
                              ct, wszLogicalPath, wszComponentName, [&](core::SelectedComponent &c) {
                                  c.selected_for_restore = bSelectedForRestore;
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetRestoreOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszRestoreOptions == nullptr) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::SetRestoreOptions, writerId, nullptr, ct, wszLogicalPath, wszComponentName,
                              [&](core::SelectedComponent &c) {
                                  c.restore_options = text_of(wszRestoreOptions);
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetAdditionalRestores(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bAdditionalRestores) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return change_for_restore(core::Call::SetAdditionalRestores, writerId, nullptr, ct, wszLogicalPath,
                              wszComponentName, [&](core::SelectedComponent &c) {
                                  c.additional_restores = bAdditionalRestores;
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::AddRestoreSubcomponent(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszSubComponentLogicalPath, LPCWSTR wszSubComponentName, bool bRepair) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszSubComponentName == nullptr || wszSubComponentName[0] == 0) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::AddRestoreSubcomponent, writerId, nullptr, ct, wszLogicalPath,
                              wszComponentName, [&](core::SelectedComponent &c) {
                                  c.restore_subcomponents.push_back(
                                      {text_of(wszSubComponentLogicalPath), text_of(wszSubComponentName), bRepair});
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::AddNewTarget(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName, bool bRecursive, LPCWSTR wszAlternatePath) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszPath == nullptr || wszFileName == nullptr || wszAlternatePath == nullptr) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::AddNewTarget, writerId, nullptr, ct, wszLogicalPath, wszComponentName,
                              [&](core::SelectedComponent &c) {
                                  core::FileSpec target;
                                  target.path = text_of(wszPath);
                                  target.filespec = text_of(wszFileName);
                                  target.recursive = bRecursive;
                                  target.alternate_location = text_of(wszAlternatePath);
                                  c.new_targets.push_back(std::move(target));
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::AddAlternativeLocationMapping(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszDestination) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszPath == nullptr || wszFilespec == nullptr || wszDestination == nullptr) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::AddAlternativeLocationMapping, writerId, nullptr, ct, wszLogicalPath,
                              wszComponentName, [&](core::SelectedComponent &c) {
                                  core::FileSpec mapping;
                                  mapping.path = text_of(wszPath);
                                  mapping.filespec = text_of(wszFilespec);
                                  mapping.recursive = bRecursive;
                                  mapping.alternate_location = text_of(wszDestination);
                                  c.alternate_mappings.push_back(std::move(mapping));
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

// The partial file must be one the writer added in the backup (AddPartialFile).
HRESULT STDMETHODCALLTYPE BackupComponents::SetRangesFilePath(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, UINT iPartialFile, LPCWSTR wszRangesFile) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszRangesFile == nullptr) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::SetRangesFilePath, writerId, nullptr, ct, wszLogicalPath, wszComponentName,
                              [&](core::SelectedComponent &c) {
                                  if (iPartialFile >= c.partial_files.size()) {
                                      return E_INVALIDARG;
                                  }
                                  c.partial_files[iPartialFile].ranges_file = text_of(wszRangesFile);
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetFileRestoreStatus(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, VSS_FILE_RESTORE_STATUS status) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (com::enum_value(status) < VSS_RS_NONE || com::enum_value(status) > VSS_RS_FAILED) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::SetFileRestoreStatus, writerId, nullptr, ct, wszLogicalPath,
                              wszComponentName, [&](core::SelectedComponent &c) {
                                  c.file_restore_status = status;
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetAuthoritativeRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, bool bAuth) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return change_for_restore(core::Call::SetAuthoritativeRestore, writerId, nullptr, ct, wszLogicalPath,
                              wszComponentName, [&](core::SelectedComponent &c) {
                                  c.authoritative_restore = bAuth;
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

// VSS_RF_PARTIAL needs its point; the other types take none.
HRESULT STDMETHODCALLTYPE BackupComponents::SetRollForward(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, VSS_ROLLFORWARD_TYPE rollType, LPCWSTR wszRollForwardPoint) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (com::enum_value(rollType) < VSS_RF_NONE || com::enum_value(rollType) > VSS_RF_PARTIAL ||
        (rollType == VSS_RF_PARTIAL && (wszRollForwardPoint == nullptr || wszRollForwardPoint[0] == 0))) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::SetRollForward, writerId, nullptr, ct, wszLogicalPath, wszComponentName,
                              [&](core::SelectedComponent &c) {
                                  c.roll_forward = rollType;
                                  c.roll_forward_point = rollType == VSS_RF_PARTIAL ? text_of(wszRollForwardPoint)
                                                                                    : std::u16string();
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::SetRestoreName(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, LPCWSTR wszRestoreName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (wszRestoreName == nullptr) {
        return E_INVALIDARG;
    }
    return change_for_restore(core::Call::SetRestoreName, writerId, nullptr, ct, wszLogicalPath, wszComponentName,
                              [&](core::SelectedComponent &c) {
                                  c.restore_name = text_of(wszRestoreName);
                                  return S_OK;
                              });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::PreRestore(IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::pre_restore, ppAsync);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::PostRestore(IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::post_restore, ppAsync);
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::requester
