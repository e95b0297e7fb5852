// Shared fixtures of the component tests: a store with selected components,
// the events a handler can run in, and an owning pointer for COM objects.
#pragma once

#include "com/bstr.h"
#include "core/metadata.h"
#include "metadata/component.h"
#include "metadata/writer_components.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace metadata_test {

using vssapi::core::ComponentAccess;
using vssapi::core::ComponentStore;
using vssapi::core::Event;
using vssapi::core::SelectedComponent;
using Side = vssapi::core::ComponentAccess::Side;

inline constexpr GUID kWriterClass = {0x8f0d1a11, 0x2222, 0x4a4a, {0x80, 1, 2, 3, 4, 5, 6, 7}};
inline constexpr GUID kWriterInstance = {0x8f0d1a12, 0x3333, 0x4b4b, {0x81, 7, 6, 5, 4, 3, 2, 1}};

// Owns one reference; Release on scope exit.
template <class T>
class Ref {
public:
    Ref() = default;
    explicit Ref(T *owned) : p_(owned) {}
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
    ~Ref()
    {
        if (p_ != nullptr) {
            p_->Release();
        }
    }
    T *get() const { return p_; }
    T *operator->() const { return p_; }
    T **put() { return &p_; }
    void **put_void() { return reinterpret_cast<void **>(&p_); }

private:
    T *p_ = nullptr;
};

inline std::shared_ptr<ComponentStore> make_store(std::size_t count = 2)
{
    auto store = std::make_shared<ComponentStore>();
    store->writer_class_id = kWriterClass;
    store->writer_instance_id = kWriterInstance;
    for (std::size_t i = 0; i < count; ++i) {
        SelectedComponent c;
        c.type = i == 0 ? VSS_CT_DATABASE : VSS_CT_FILEGROUP;
        c.logical_path = i == 0 ? u"Sql\\Main" : u"";
        c.name = i == 0 ? u"Accounts" : u"Logs";
        store->components.push_back(std::move(c));
    }
    return store;
}

inline ComponentAccess writer_in(Event event, bool restore = false)
{
    return ComponentAccess{Side::Writer, event, restore};
}

inline ComponentAccess requester(bool restore = false)
{
    return ComponentAccess{Side::Requester, Event::Identify, restore};
}

// A component as IVssComponentEx2, reached the way a caller reaches it.
inline IVssComponentEx2 *open_component(const std::shared_ptr<ComponentStore> &store,
                                        ComponentAccess access, std::size_t index = 0)
{
    return new vssapi::metadata::Component(store, index, access);
}

// UTF-16 literal as the SDK's string type (wchar_t on Windows, same bits).
inline const WCHAR *W(const char16_t *text)
{
    return reinterpret_cast<const WCHAR *>(text);
}

inline std::u16string text_of(BSTR value)
{
    return std::u16string(vssapi::com::bstr_view(value));
}

// Every event a handler can run in, with the session kind it belongs to.
struct Moment {
    Event event;
    bool restore;
};

inline std::vector<Moment> all_moments()
{
    const Event events[] = {
        Event::Identify,      Event::PrepareBackup, Event::PrepareSnapshot, Event::Freeze,
        Event::Thaw,          Event::PostSnapshot,  Event::Abort,           Event::BackupComplete,
        Event::BackupShutdown, Event::PreRestore,   Event::PostRestore,
    };
    std::vector<Moment> moments;
    for (bool restore : {false, true}) {
        for (Event event : events) {
            moments.push_back({event, restore});
        }
    }
    return moments;
}

} // namespace metadata_test
