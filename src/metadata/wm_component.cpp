#include "metadata/wm_component.h"

#include "com/barrier.h"
#include "com/bstr.h"
#include "com/out.h"
#include "metadata/strings.h"
#include "metadata/wm_dependency.h"
#include "metadata/wm_filedesc.h"

#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vssapi::metadata {
namespace {

// The SDK gives IVssWMComponent no IID; like WmFiledesc's, this one is private,
// so in effect QueryInterface answers IUnknown only.
constexpr IID kPrivateIidWmComponent = {
    0x272c7c28, 0xa3c6, 0x4072, {0x85, 0xdd, 0xb0, 0xd6, 0xb0, 0x1a, 0xe1, 0xdc}};

// What one GetComponentInfo handed out: the structure and all it points to.
struct OwnedComponentInfo {
    VSS_COMPONENTINFO info{};
    com::Bstr logical_path;
    com::Bstr name;
    com::Bstr caption;
    std::vector<BYTE> icon;
};

// Every VSS_COMPONENTINFO handed out and not yet freed. FreeComponentInfo
// frees only what is listed here, so a stranger's pointer or a second free
// gets E_INVALIDARG instead of corrupting the heap (C-6.2). Process-wide:
// the structure does not say which component produced it.
class OutstandingInfos {
public:
    void add(std::unique_ptr<OwnedComponentInfo> owned)
    {
        const std::lock_guard<std::mutex> hold(lock_);
        const PVSSCOMPONENTINFO key = &owned->info;
        infos_.emplace(key, std::move(owned));
    }

    std::unique_ptr<OwnedComponentInfo> take(PVSSCOMPONENTINFO info) noexcept
    {
        const std::lock_guard<std::mutex> hold(lock_);
        const auto found = infos_.find(info);
        if (found == infos_.end()) {
            return nullptr;
        }
        std::unique_ptr<OwnedComponentInfo> owned = std::move(found->second);
        infos_.erase(found);
        return owned;
    }

    std::size_t size() noexcept
    {
        const std::lock_guard<std::mutex> hold(lock_);
        return infos_.size();
    }

private:
    std::mutex lock_;
    std::unordered_map<PVSSCOMPONENTINFO, std::unique_ptr<OwnedComponentInfo>> infos_;
};

OutstandingInfos &outstanding_infos() noexcept
{
    // Never destroyed: an info may be freed from another static destructor.
    static OutstandingInfos *const instance = new OutstandingInfos;
    return *instance;
}

// Index past the end: VSS_E_OBJECT_NOT_FOUND, "the specified file does not
// exist" (IVssWMComponent::GetFile, GetDatabaseFile, GetDependency pages).
template <class Object, class Interface, class Item>
HRESULT hand_out(const std::vector<Item> &items, UINT index, Interface **out)
{
    if (!com::clear_out(out)) {
        return E_INVALIDARG;
    }
    if (index >= items.size()) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    *out = new Object(items[index]);
    return S_OK;
}

} // namespace

WmComponent::WmComponent(std::shared_ptr<const core::ComponentDecl> component)
    : component_(std::move(component))
{
    Expects(component_ != nullptr);
}

gsl::span<const com::InterfaceEntry> WmComponent::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&kPrivateIidWmComponent, "IVssWMComponent", &com::interface_cast<WmComponent, IVssWMComponent>},
    };
    return table;
}

std::size_t WmComponent::debug_outstanding_infos() noexcept
{
    return outstanding_infos().size();
}

HRESULT STDMETHODCALLTYPE WmComponent::GetComponentInfo(PVSSCOMPONENTINFO *ppInfo) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppInfo)) {
        return E_INVALIDARG;
    }
    const core::ComponentDecl &component = *component_;
    auto owned = std::make_unique<OwnedComponentInfo>();
    owned->logical_path = com::Bstr(optional_bstr(component.logical_path));
    owned->name = com::Bstr(component.name);
    owned->caption = com::Bstr(optional_bstr(component.caption));
    owned->icon.assign(component.icon.begin(), component.icon.end());

    VSS_COMPONENTINFO &info = owned->info;
    info.type = component.type;
    info.bstrLogicalPath = owned->logical_path.get();
    info.bstrComponentName = owned->name.get();
    info.bstrCaption = owned->caption.get();
    info.pbIcon = owned->icon.empty() ? nullptr : owned->icon.data();
    info.cbIcon = gsl::narrow<UINT>(owned->icon.size());
    info.bRestoreMetadata = component.restore_metadata;
    info.bNotifyOnBackupComplete = component.notify_on_backup_complete;
    info.bSelectable = component.selectable;
    info.bSelectableForRestore = component.selectable_for_restore;
    info.dwComponentFlags = component.flags;
    info.cFileCount = gsl::narrow<UINT>(component.files.size());
    info.cDatabases = gsl::narrow<UINT>(component.databases.size());
    info.cLogFiles = gsl::narrow<UINT>(component.logs.size());
    info.cDependencies = gsl::narrow<UINT>(component.dependencies.size());

    const PVSSCOMPONENTINFO handed_out = &info;
    outstanding_infos().add(std::move(owned));
    *ppInfo = handed_out;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// The page lists only S_OK, so NULL is accepted like free(NULL); a pointer this
// library did not hand out (or already freed) is E_INVALIDARG.
HRESULT STDMETHODCALLTYPE WmComponent::FreeComponentInfo(PVSSCOMPONENTINFO pInfo) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pInfo == nullptr) {
        return S_OK;
    }
    return outstanding_infos().take(pInfo) != nullptr ? S_OK : E_INVALIDARG;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmComponent::GetFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return hand_out<WmFiledesc>(component_->files, iFile, ppFiledesc);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmComponent::GetDatabaseFile(UINT iDBFile, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return hand_out<WmFiledesc>(component_->databases, iDBFile, ppFiledesc);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmComponent::GetDatabaseLogFile(UINT iDbLogFile, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return hand_out<WmFiledesc>(component_->logs, iDbLogFile, ppFiledesc);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WmComponent::GetDependency(UINT iDependency, IVssWMDependency **ppDependency) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return hand_out<WmDependency>(component_->dependencies, iDependency, ppDependency);
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
