// The flat API's metadata and components section, the writer's side: what
// on_identify declares (IVssCreateWriterMetadataEx) and the session's
// components a component handler sees (IVssWriterComponents).
#include "capi/flat_common.h"
#include "com/bstr.h"
#include "com/ref.h"

#include <vswriter.h>

using namespace vssapi::capi;
using vssapi::com::Bstr;
using vssapi::com::Ref;

namespace {

IVssCreateWriterMetadataEx *metadata_of(vss_metadata *metadata)
{
    return reinterpret_cast<IVssCreateWriterMetadataEx *>(metadata);
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_component(vss_metadata *metadata, int32_t type,
                                                              const char *logical_path, const char *name,
                                                              const char *caption, int32_t selectable) noexcept
try {
    if (metadata == nullptr) {
        return fail(__func__, E_INVALIDARG, "metadata is NULL");
    }
    const Wide path(logical_path), component(name), title(caption);
    return check(__func__, metadata_of(metadata)->AddComponent(component_type(type), path.get(),
                                                              component.get(), title.get(), nullptr, 0, false,
                                                              false, selectable != 0));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_files(vss_metadata *metadata, int32_t kind,
                                                          const char *logical_path, const char *component_name,
                                                          const char *path, const char *filespec,
                                                          int32_t recursive) noexcept
try {
    if (metadata == nullptr) {
        return fail(__func__, E_INVALIDARG, "metadata is NULL");
    }
    IVssCreateWriterMetadataEx *md = metadata_of(metadata);
    const Wide lp(logical_path), name(component_name), where(path), spec(filespec);
    switch (kind) {
    case VSS_FILES_FILE_GROUP:
        return check(__func__, md->AddFilesToFileGroup(lp.get(), name.get(), where.get(), spec.get(),
                                                       recursive != 0, nullptr));
    case VSS_FILES_DATABASE: return check(__func__, md->AddDatabaseFiles(lp.get(), name.get(), where.get(), spec.get()));
    case VSS_FILES_DATABASE_LOG:
        return check(__func__, md->AddDatabaseLogFiles(lp.get(), name.get(), where.get(), spec.get()));
    default: return fail(__func__, E_INVALIDARG, "kind is not a vss_file_kind (0, 1 or 2)");
    }
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_include_files(vss_metadata *metadata, const char *path,
                                                                  const char *filespec, int32_t recursive) noexcept
try {
    if (metadata == nullptr) {
        return fail(__func__, E_INVALIDARG, "metadata is NULL");
    }
    const Wide where(path), spec(filespec);
    return check(__func__, metadata_of(metadata)->AddIncludeFiles(where.get(), spec.get(), recursive != 0, nullptr));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_exclude_files(vss_metadata *metadata, const char *path,
                                                                  const char *filespec, int32_t recursive) noexcept
try {
    if (metadata == nullptr) {
        return fail(__func__, E_INVALIDARG, "metadata is NULL");
    }
    const Wide where(path), spec(filespec);
    return check(__func__, metadata_of(metadata)->AddExcludeFiles(where.get(), spec.get(), recursive != 0));
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_count(vss_components *components, uint32_t *count) noexcept
try {
    if (components == nullptr || count == nullptr) {
        return fail(__func__, E_INVALIDARG, "components or count is NULL");
    }
    UINT n = 0;
    const HRESULT hr = reinterpret_cast<IVssWriterComponents *>(components)->GetComponentCount(&n);
    if (SUCCEEDED(hr)) {
        *count = n;
    }
    return check(__func__, hr);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_get(vss_components *components, uint32_t index,
                                                      char **logical_path, char **name) noexcept
try {
    Ref<IVssComponent> component;
    const HRESULT hr = component_at(__func__, components, index, component);
    if (FAILED(hr)) {
        return hr;
    }
    Bstr path, component_name;
    component->GetLogicalPath(path.put());
    component->GetComponentName(component_name.put());
    Utf8 path8 = utf8_or_null(path.get());
    Utf8 name8 = utf8_or_null(component_name.get());
    if (logical_path != nullptr) {
        *logical_path = path8.release();
    }
    if (name != nullptr) {
        *name = name8.release();
    }
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_set_failure(vss_components *components, uint32_t index,
                                                              vss_hresult hr, vss_hresult hr_application,
                                                              const char *message) noexcept
try {
    Ref<IVssComponent> component;
    HRESULT result = component_at(__func__, components, index, component);
    if (FAILED(result)) {
        return result;
    }
    Ref<IVssComponentEx2> component_ex2;
    result = check(__func__,
                   component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(component_ex2.out())));
    if (FAILED(result)) {
        return result;
    }
    const Wide text(message);
    return check(__func__, component_ex2->SetFailure(hr, hr_application, text.get(), 0));
}
VSSAPI_FLAT_CATCH

} // extern "C"
