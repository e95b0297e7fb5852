// The flat API's metadata and components section, the requester's side:
// the writers' identities and components after GatherWriterMetadata, the
// selection (AddComponent), the writer status and the component failures.
#include "capi/flat_common.h"
#include "capi/sized.h"
#include "com/bstr.h"
#include "com/ref.h"
#include "requester/component_selection.h"

#include <vector>

using namespace vssapi::capi;
using vssapi::com::Bstr;
using vssapi::com::Ref;

namespace {

// A requester count (writers, statuses) through the COM getter that gives it.
HRESULT read_count(const char *function, vss_requester *requester,
                   HRESULT (STDMETHODCALLTYPE IVssBackupComponentsEx4::*getter)(UINT *), uint32_t *count)
{
    if (requester == nullptr || count == nullptr) {
        return fail(function, E_INVALIDARG, "requester or count is NULL");
    }
    UINT n = 0;
    const HRESULT hr = (requester_of(requester)->*getter)(&n);
    if (SUCCEEDED(hr)) {
        *count = n;
    }
    return check(function, hr);
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_count(vss_requester *requester, uint32_t *count) noexcept
try {
    return read_count(__func__, requester, &IVssBackupComponentsEx4::GetWriterMetadataCount, count);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_writer_identity_clear(vss_writer_identity *identity) noexcept
{
    if (identity != nullptr) {
        free_strings(identity->name, identity->instance_name);
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_identity(vss_requester *requester, uint32_t index,
                                                                 vss_writer_identity *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE_SIZED(out)
    VSS_ID instance{};
    Ref<IVssExamineWriterMetadataEx> metadata;
    HRESULT hr = check(__func__, requester_of(requester)->GetWriterMetadataEx(index, &instance, metadata.out()));
    if (FAILED(hr)) {
        return hr;
    }
    VSS_ID instance_again{}, klass{};
    Bstr name, instance_name;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    hr = metadata->GetIdentityEx(&instance_again, &klass, name.put(), instance_name.put(), &usage, &source);
    UINT include = 0, exclude = 0, components = 0;
    if (SUCCEEDED(hr)) {
        hr = metadata->GetFileCounts(&include, &exclude, &components);
    }
    if (FAILED(check(__func__, hr))) {
        return hr;
    }
    Utf8 name8 = utf8_or_null(name.get());
    Utf8 instance8 = utf8_or_null(instance_name.get());
    vss_writer_identity filled{};
    filled.instance_id = from_guid(instance);
    filled.class_id = from_guid(klass);
    filled.name = name8.release();
    filled.instance_name = instance8.release();
    filled.usage = usage;
    filled.source = source;
    filled.component_count = components;
    write_sized(*out, filled);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_component_info_clear(vss_component_info *info) noexcept
{
    if (info != nullptr) {
        free_strings(info->logical_path, info->name, info->caption);
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_component(vss_requester *requester, uint32_t writer_index,
                                                                  uint32_t component_index,
                                                                  vss_component_info *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE_SIZED(out)
    VSS_ID instance{};
    Ref<IVssExamineWriterMetadataEx> metadata;
    HRESULT hr = requester_of(requester)->GetWriterMetadataEx(writer_index, &instance, metadata.out());
    Ref<IVssWMComponent> component;
    if (SUCCEEDED(hr)) {
        hr = metadata->GetComponent(component_index, component.out());
    }
    PVSSCOMPONENTINFO info = nullptr;
    if (SUCCEEDED(hr)) {
        hr = component->GetComponentInfo(&info);
    }
    if (FAILED(check(__func__, hr))) {
        return hr;
    }
    struct Free {
        IVssWMComponent *component;
        PVSSCOMPONENTINFO info;
        ~Free() { component->FreeComponentInfo(info); }
    } free_info{component.p, info};
    Utf8 path8 = utf8_or_null(info->bstrLogicalPath);
    Utf8 name8 = utf8_or_null(info->bstrComponentName);
    Utf8 caption8 = utf8_or_null(info->bstrCaption);
    vss_component_info filled{};
    filled.type = info->type;
    filled.logical_path = path8.release();
    filled.name = name8.release();
    filled.caption = caption8.release();
    filled.selectable = info->bSelectable ? 1 : 0;
    filled.file_count = info->cFileCount;
    filled.database_count = info->cDatabases;
    filled.log_count = info->cLogFiles;
    write_sized(*out, filled);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_component(vss_requester *requester, const vss_guid *instance_id,
                                                               const vss_guid *class_id, int32_t type,
                                                               const char *logical_path, const char *name) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(instance_id != nullptr && class_id != nullptr && name != nullptr,
                        "instance_id, class_id or name is NULL")
    const Wide path(logical_path), component(name);
    return check(__func__, requester_of(requester)->AddComponent(to_guid(*instance_id), to_guid(*class_id),
                                                                 component_type(type), path.get(),
                                                                 component.get()));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_all_components(vss_requester *requester) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    IVssBackupComponentsEx4 *backup = requester_of(requester);
    UINT writers = 0;
    HRESULT hr = backup->GetWriterMetadataCount(&writers);
    for (UINT w = 0; SUCCEEDED(hr) && w < writers; ++w) {
        VSS_ID instance{};
        Ref<IVssExamineWriterMetadataEx> metadata;
        hr = backup->GetWriterMetadataEx(w, &instance, metadata.out());
        std::vector<vssapi::requester::ComponentToAdd> chosen;
        if (SUCCEEDED(hr)) {
            hr = vssapi::requester::components_to_add(*metadata.p, instance, chosen);
        }
        for (std::size_t c = 0; SUCCEEDED(hr) && c < chosen.size(); ++c) {
            const vssapi::requester::ComponentToAdd &one = chosen[c];
            hr = backup->AddComponent(one.instance_id, one.class_id, one.type, one.logical_path.get(), one.name.get());
            if (hr == VSS_E_OBJECT_ALREADY_EXISTS) {
                hr = S_OK; // already selected: fine
            }
        }
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_status_count(vss_requester *requester, uint32_t *count) noexcept
try {
    return read_count(__func__, requester, &IVssBackupComponentsEx4::GetWriterStatusCount, count);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_writer_status_clear(vss_writer_status *status) noexcept
{
    if (status != nullptr) {
        free_strings(status->name, status->message);
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_status(vss_requester *requester, uint32_t index,
                                                        vss_writer_status *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE_SIZED(out)
    VSS_ID instance{}, klass{};
    Bstr name, message;
    VSS_WRITER_STATE state{};
    HRESULT hr_writer = S_OK, hr_application = S_OK;
    HRESULT hr = check(__func__, requester_of(requester)->GetWriterStatusEx(index, &instance, &klass, name.put(), &state,
                                                                    &hr_writer, &hr_application, message.put()));
    if (FAILED(hr)) {
        return hr;
    }
    Utf8 name8 = utf8_or_null(name.get());
    Utf8 message8 = utf8_or_null(message.get());
    vss_writer_status filled{};
    filled.instance_id = from_guid(instance);
    filled.class_id = from_guid(klass);
    filled.name = name8.release();
    filled.state = state;
    filled.hr_failure_writer = hr_writer;
    filled.hr_application = hr_application;
    filled.message = message8.release();
    write_sized(*out, filled);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_component_count(vss_requester *requester, uint32_t *count) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE(count != nullptr, "count is NULL")
    UINT writers = 0;
    HRESULT hr = requester_of(requester)->GetWriterComponentsCount(&writers);
    uint32_t total = 0;
    for (UINT w = 0; SUCCEEDED(hr) && w < writers; ++w) {
        Ref<IVssWriterComponentsExt> components;
        hr = requester_of(requester)->GetWriterComponents(w, components.out());
        UINT n = 0;
        if (SUCCEEDED(hr)) {
            hr = components->GetComponentCount(&n);
        }
        total += n;
    }
    if (SUCCEEDED(hr)) {
        *count = total;
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_component_failure_clear(vss_component_failure *failure) noexcept
{
    if (failure != nullptr) {
        free_strings(failure->logical_path, failure->name, failure->message);
    }
}

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_component_failure(vss_requester *requester, uint32_t index,
                                                                   vss_component_failure *out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(requester != nullptr, "requester is NULL")
    VSSAPI_FLAT_REQUIRE_SIZED(out)
    UINT writers = 0;
    HRESULT hr = requester_of(requester)->GetWriterComponentsCount(&writers);
    for (UINT w = 0; SUCCEEDED(hr) && w < writers; ++w) {
        Ref<IVssWriterComponentsExt> components;
        hr = requester_of(requester)->GetWriterComponents(w, components.out());
        UINT n = 0;
        if (SUCCEEDED(hr)) {
            hr = components->GetComponentCount(&n);
        }
        if (FAILED(hr) || index >= n) {
            index -= SUCCEEDED(hr) ? n : 0;
            continue;
        }
        VSS_ID instance{}, klass{};
        hr = components->GetWriterInfo(&instance, &klass);
        Ref<IVssComponent> component;
        if (SUCCEEDED(hr)) {
            hr = components->GetComponent(index, component.out());
        }
        Ref<IVssComponentEx2> component_ex2;
        if (SUCCEEDED(hr)) {
            hr = component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(component_ex2.out()));
        }
        HRESULT failure = S_OK, application = S_OK;
        Bstr message, path, name;
        DWORD reserved = 0;
        if (SUCCEEDED(hr)) {
            hr = component_ex2->GetFailure(&failure, &application, message.put(), &reserved);
        }
        if (FAILED(check(__func__, hr))) {
            return hr;
        }
        component->GetLogicalPath(path.put());
        component->GetComponentName(name.put());
        Utf8 path8 = utf8_or_null(path.get());
        Utf8 name8 = utf8_or_null(name.get());
        Utf8 message8 = utf8_or_null(message.get());
        vss_component_failure filled{};
        filled.instance_id = from_guid(instance);
        filled.class_id = from_guid(klass);
        filled.logical_path = path8.release();
        filled.name = name8.release();
        filled.hr = failure;
        filled.hr_application = application;
        filled.message = message8.release();
        write_sized(*out, filled);
        return S_OK;
    }
    return FAILED(hr) ? check(__func__, hr) : fail(__func__, VSS_E_OBJECT_NOT_FOUND);
}
VSSAPI_FLAT_CATCH

} // extern "C"
