// The flat API's section for the Backup Components Document and the restore
// (contract C-8): the requester saves and reads the document, decides what
// to restore; a writer's component handlers read and write a component's
// texts. UTF-8 here, UTF-16 in the COM interfaces underneath.
#include "capi/flat_common.h"
#include "com/bstr.h"
#include "com/ref.h"
#include "requester/backup_components.h"

#include <vswriter.h>

using namespace vssapi::capi;
using vssapi::com::Bstr;
using vssapi::com::Ref;

namespace {

// A saved document in a BSTR, as InitializeForRestore / InitializeForBackup take it.
struct DocumentText {
    explicit DocumentText(const char *xml) : wide(xml), bstr(wide.text ? Bstr(*wide.text) : Bstr()) {}
    Wide wide;
    Bstr bstr;
};

// The component of the document a requester call names.
struct Named {
    Named(const vss_guid &writer_class, const char *logical_path, const char *component)
        : writer(to_guid(writer_class)), path(logical_path), name(component)
    {
    }
    GUID writer;
    Wide path;
    Wide name;
};

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_save_document(vss_requester *requester, char **xml) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr && xml != nullptr, "requester or xml is NULL")
    *xml = nullptr;
    Bstr document;
    const HRESULT hr = check(__func__, requester_of(requester)->SaveAsXML(document.put()));
    if (SUCCEEDED(hr)) {
        *xml = utf8_or_null(document.get()).release();
    }
    return hr;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_initialize_for_restore(vss_requester *requester,
                                                                        const char *xml) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr && xml != nullptr, "requester or xml is NULL")
    const DocumentText document(xml);
    return check(__func__, requester_of(requester)->InitializeForRestore(document.bstr.get()));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_resume_backup(vss_requester *requester, const char *xml) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr && xml != nullptr, "requester or xml is NULL")
    const DocumentText document(xml);
    return check(__func__, requester_of(requester)->InitializeForBackup(document.bstr.get()));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_restore_state(vss_requester *requester,
                                                                   int32_t restore_type) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    return check(__func__, requester_of(requester)->SetRestoreState(static_cast<VSS_RESTORE_TYPE>(restore_type)));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_select_for_restore(vss_requester *requester,
                                                                    const vss_guid *writer_class, int32_t type,
                                                                    const char *logical_path, const char *name,
                                                                    int32_t selected) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr && writer_class != nullptr && name != nullptr,
                        "requester, writer_class or name is NULL")
    const Named c(*writer_class, logical_path, name);
    return check(__func__, requester_of(requester)->SetSelectedForRestore(
                               c.writer, component_type(type), c.path.get(), c.name.get(),
                               selected != 0));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_restore_options(vss_requester *requester,
                                                                     const vss_guid *writer_class, int32_t type,
                                                                     const char *logical_path, const char *name,
                                                                     const char *options) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr && writer_class != nullptr && name != nullptr && options != nullptr,
                        "requester, writer_class, name or options is NULL")
    const Named c(*writer_class, logical_path, name);
    const Wide text(options);
    return check(__func__, requester_of(requester)->SetRestoreOptions(
                               c.writer, component_type(type), c.path.get(), c.name.get(),
                               text.get()));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_file_restore_status(vss_requester *requester,
                                                                         const vss_guid *writer_class, int32_t type,
                                                                         const char *logical_path, const char *name,
                                                                         int32_t status) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr && writer_class != nullptr && name != nullptr,
                        "requester, writer_class or name is NULL")
    const Named c(*writer_class, logical_path, name);
    return check(__func__, requester_of(requester)->SetFileRestoreStatus(
                               c.writer, component_type(type), c.path.get(), c.name.get(),
                               // 0..3 only: any other integer is refused as UNDEFINED is (E_INVALIDARG).
                               status >= VSS_RS_UNDEFINED && status <= VSS_RS_FAILED
                                   ? static_cast<VSS_FILE_RESTORE_STATUS>(status)
                                   : VSS_RS_UNDEFINED));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_get_text(vss_components *components, uint32_t index,
                                                           int32_t which, char **text) noexcept
try {
    VSSAPI_FLAT_REQUIRE(text != nullptr, "text is NULL")
    *text = nullptr;
    using Getter = HRESULT (STDMETHODCALLTYPE IVssComponent::*)(BSTR *);
    Getter getter = nullptr;
    switch (which) {
    case VSS_TEXT_BACKUP_METADATA: getter = &IVssComponent::GetBackupMetadata; break;
    case VSS_TEXT_BACKUP_STAMP: getter = &IVssComponent::GetBackupStamp; break;
    case VSS_TEXT_PREVIOUS_BACKUP_STAMP: getter = &IVssComponent::GetPreviousBackupStamp; break;
    case VSS_TEXT_BACKUP_OPTIONS: getter = &IVssComponent::GetBackupOptions; break;
    case VSS_TEXT_RESTORE_OPTIONS: getter = &IVssComponent::GetRestoreOptions; break;
    case VSS_TEXT_RESTORE_METADATA: getter = &IVssComponent::GetRestoreMetadata; break;
    case VSS_TEXT_PRE_RESTORE_FAILURE_MSG: getter = &IVssComponent::GetPreRestoreFailureMsg; break;
    case VSS_TEXT_POST_RESTORE_FAILURE_MSG: getter = &IVssComponent::GetPostRestoreFailureMsg; break;
    default: break;
    }
    Ref<IVssComponent> component;
    HRESULT hr = component_at(__func__, components, index, component);
    if (FAILED(hr)) {
        return hr;
    }
    Bstr value;
    if (getter != nullptr) {
        hr = (component.p->*getter)(value.put());
    } else if (which == VSS_TEXT_PREPARE_FOR_BACKUP_FAILURE_MSG || which == VSS_TEXT_POST_SNAPSHOT_FAILURE_MSG) {
        Ref<IVssComponentEx> component_ex;
        hr = component->QueryInterface(IID_IVssComponentEx, reinterpret_cast<void **>(component_ex.out()));
        if (SUCCEEDED(hr)) {
            hr = which == VSS_TEXT_PREPARE_FOR_BACKUP_FAILURE_MSG
                     ? component_ex->GetPrepareForBackupFailureMsg(value.put())
                     : component_ex->GetPostSnapshotFailureMsg(value.put());
        }
    } else {
        return fail(__func__, E_INVALIDARG, "which is not a vss_component_text");
    }
    if (hr == S_OK) {
        *text = utf8_or_null(value.get()).release();
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_set_text(vss_components *components, uint32_t index,
                                                           int32_t which, const char *text) noexcept
try {
    VSSAPI_FLAT_REQUIRE(text != nullptr, "text is NULL")
    using Setter = HRESULT (STDMETHODCALLTYPE IVssComponent::*)(LPCWSTR);
    Setter setter = nullptr;
    switch (which) {
    case VSS_TEXT_BACKUP_METADATA: setter = &IVssComponent::SetBackupMetadata; break;
    case VSS_TEXT_BACKUP_STAMP: setter = &IVssComponent::SetBackupStamp; break;
    case VSS_TEXT_RESTORE_METADATA: setter = &IVssComponent::SetRestoreMetadata; break;
    case VSS_TEXT_PRE_RESTORE_FAILURE_MSG: setter = &IVssComponent::SetPreRestoreFailureMsg; break;
    case VSS_TEXT_POST_RESTORE_FAILURE_MSG: setter = &IVssComponent::SetPostRestoreFailureMsg; break;
    default: break;
    }
    const bool ex_setter = which == VSS_TEXT_PREPARE_FOR_BACKUP_FAILURE_MSG || which == VSS_TEXT_POST_SNAPSHOT_FAILURE_MSG;
    if (setter == nullptr && !ex_setter) {
        return fail(__func__, E_INVALIDARG, "which is not a text a writer sets");
    }
    Ref<IVssComponent> component;
    HRESULT hr = component_at(__func__, components, index, component);
    if (FAILED(hr)) {
        return hr;
    }
    const Wide value(text);
    if (setter != nullptr) {
        return check(__func__, (component.p->*setter)(value.get()));
    }
    Ref<IVssComponentEx> component_ex;
    hr = component->QueryInterface(IID_IVssComponentEx, reinterpret_cast<void **>(component_ex.out()));
    if (SUCCEEDED(hr)) {
        hr = which == VSS_TEXT_PREPARE_FOR_BACKUP_FAILURE_MSG ? component_ex->SetPrepareForBackupFailureMsg(value.get())
                                                              : component_ex->SetPostSnapshotFailureMsg(value.get());
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_selected_for_restore(vss_components *components, uint32_t index,
                                                                       int32_t *selected) noexcept
try {
    VSSAPI_FLAT_REQUIRE(selected != nullptr, "selected is NULL")
    *selected = 0;
    Ref<IVssComponent> component;
    HRESULT hr = component_at(__func__, components, index, component);
    bool value = false;
    if (SUCCEEDED(hr)) {
        hr = check(__func__, component->IsSelectedForRestore(&value));
    }
    *selected = value ? 1 : 0;
    return hr;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_file_restore_status(vss_components *components, uint32_t index,
                                                                      int32_t *status) noexcept
try {
    VSSAPI_FLAT_REQUIRE(status != nullptr, "status is NULL")
    *status = VSS_RS_UNDEFINED;
    Ref<IVssComponent> component;
    HRESULT hr = component_at(__func__, components, index, component);
    VSS_FILE_RESTORE_STATUS value = VSS_RS_UNDEFINED;
    if (SUCCEEDED(hr)) {
        hr = check(__func__, component->GetFileRestoreStatus(&value));
    }
    *status = value;
    return hr;
}
VSSAPI_FLAT_CATCH

} // extern "C"
