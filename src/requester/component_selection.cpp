#include "requester/component_selection.h"

#include "com/ref.h"

#include <string>

namespace vssapi::requester {
namespace {

struct Declared {
    ComponentToAdd component;
    bool selectable = false;
};

std::u16string full_path(const ComponentToAdd &component)
{
    const std::u16string name(component.name.view());
    const std::u16string path(component.logical_path.view());
    return path.empty() ? name : path + u"\\" + name;
}

// Whether `ancestor` is above `component` in the writer's logical paths.
bool is_under(const ComponentToAdd &component, const ComponentToAdd &ancestor)
{
    const std::u16string path(component.logical_path.view());
    const std::u16string above = full_path(ancestor);
    return path == above || (path.size() > above.size() && path.compare(0, above.size(), above) == 0 &&
                             path[above.size()] == u'\\');
}

} // namespace

HRESULT components_to_add(IVssExamineWriterMetadata &metadata, const VSS_ID &instance_id,
                          std::vector<ComponentToAdd> &out)
{
    VSS_ID instance_again{}, writer_class{};
    com::Bstr writer_name;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    HRESULT hr = metadata.GetIdentity(&instance_again, &writer_class, writer_name.put(), &usage, &source);
    UINT include = 0, exclude = 0, count = 0;
    if (SUCCEEDED(hr)) {
        hr = metadata.GetFileCounts(&include, &exclude, &count);
    }
    std::vector<Declared> declared;
    for (UINT c = 0; SUCCEEDED(hr) && c < count; ++c) {
        com::Ref<IVssWMComponent> component;
        PVSSCOMPONENTINFO info = nullptr;
        hr = metadata.GetComponent(c, component.out());
        if (SUCCEEDED(hr)) {
            hr = component->GetComponentInfo(&info);
        }
        if (SUCCEEDED(hr)) {
            Declared one;
            one.component.instance_id = instance_id;
            one.component.class_id = writer_class;
            one.component.type = info->type;
            if (info->bstrLogicalPath != nullptr) {
                one.component.logical_path = com::Bstr(com::bstr_view(info->bstrLogicalPath));
            }
            one.component.name = com::Bstr(com::bstr_view(info->bstrComponentName));
            one.selectable = info->bSelectable;
            component->FreeComponentInfo(info);
            declared.push_back(std::move(one));
        }
    }
    if (FAILED(hr)) {
        return hr;
    }
    for (Declared &one : declared) {
        bool implicit = false;
        if (!one.selectable) {
            for (const Declared &other : declared) {
                implicit = implicit || (other.selectable && is_under(one.component, other.component));
            }
        }
        if (!implicit) {
            out.push_back(std::move(one.component));
        }
    }
    return S_OK;
}

} // namespace vssapi::requester
