// IVssWriterComponentsExt: the writer's and the requester's view of one
// writer's components, the identity of the multiple-inheritance object, the
// C-2.7 path from SetFailure to the requester's GetFailure, and concurrent use.
#include "support.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

using namespace metadata_test;
using vssapi::metadata::WriterComponents;

namespace {

IVssWriterComponentsExt *open_writer_components(const std::shared_ptr<ComponentStore> &store,
                                                ComponentAccess access)
{
    return new WriterComponents(store, access);
}

// GetComponent, then QueryInterface for Ex2, as C-2.7 spells the path.
IVssComponentEx2 *component_ex2(IVssWriterComponents *components, UINT index)
{
    Ref<IVssComponent> component;
    REQUIRE(components->GetComponent(index, component.put()) == S_OK);
    IVssComponentEx2 *ex2 = nullptr;
    REQUIRE(component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2)) == S_OK);
    return ex2;
}

} // namespace

TEST_SUITE("metadata") {

TEST_CASE("IVssWriterComponents: count, writer ids and one component per index")
{
    auto store = make_store(3);
    Ref<IVssWriterComponentsExt> ext(open_writer_components(store, writer_in(Event::PrepareBackup)));
    IVssWriterComponents *components = ext.get(); // what a handler receives

    UINT count = 0;
    CHECK(components->GetComponentCount(&count) == S_OK);
    CHECK(count == 3);
    VSS_ID instance{}, writer{};
    CHECK(components->GetWriterInfo(&instance, &writer) == S_OK);
    CHECK(instance == kWriterInstance);
    CHECK(writer == kWriterClass);

    for (UINT i = 0; i < count; ++i) {
        Ref<IVssComponent> component;
        REQUIRE(components->GetComponent(i, component.put()) == S_OK);
        BSTR name = nullptr;
        CHECK(component->GetComponentName(&name) == S_OK);
        CHECK(text_of(name) == (i == 0 ? u"Accounts" : u"Logs"));
        SysFreeString(name);
    }
}

TEST_CASE("C-6.2 IVssWriterComponents: NULL out-pointers are E_INVALIDARG, an index past the end VSS_E_OBJECT_NOT_FOUND")
{
    auto store = make_store(2);
    Ref<IVssWriterComponentsExt> ext(open_writer_components(store, requester()));
    VSS_ID id{};
    CHECK(ext->GetComponentCount(nullptr) == E_INVALIDARG);
    CHECK(ext->GetWriterInfo(nullptr, &id) == E_INVALIDARG);
    CHECK(ext->GetWriterInfo(&id, nullptr) == E_INVALIDARG);
    CHECK(ext->GetComponent(0, nullptr) == E_INVALIDARG);
    for (UINT index : {2u, 3u, 0xFFFFFFFFu}) {
        CAPTURE(index);
        IVssComponent *component = reinterpret_cast<IVssComponent *>(&id);
        CHECK(ext->GetComponent(index, &component) == VSS_E_OBJECT_NOT_FOUND);
        CHECK(component == nullptr);
    }

    auto empty = std::make_shared<ComponentStore>();
    Ref<IVssWriterComponentsExt> none(open_writer_components(empty, requester()));
    UINT count = 99;
    CHECK(none->GetComponentCount(&count) == S_OK);
    CHECK(count == 0);
    IVssComponent *component = nullptr;
    CHECK(none->GetComponent(0, &component) == VSS_E_OBJECT_NOT_FOUND);
}

TEST_CASE("C-1.2 IVssWriterComponentsExt keeps IUnknown in its second vtable pointer and answers IUnknown only")
{
    auto store = make_store();
    auto *ext = open_writer_components(store, requester());
    auto *unknown = static_cast<IUnknown *>(ext);
    CHECK(reinterpret_cast<char *>(unknown) - reinterpret_cast<char *>(ext) ==
          static_cast<std::ptrdiff_t>(sizeof(void *)));

    IUnknown *identity = nullptr;
    REQUIRE(unknown->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&identity)) == S_OK);
    CHECK(identity == unknown);
    IUnknown *again = nullptr;
    REQUIRE(identity->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&again)) == S_OK);
    CHECK(again == identity);
    again->Release();
    identity->Release();

    // The SDK gives IVssWriterComponentsExt no IID, so there is nothing else to ask for.
    for (const IID *other : {&IID_IVssComponent, &IID_IVssComponentEx2, &IID_IVssBackupComponents}) {
        void *out = ext;
        CHECK(unknown->QueryInterface(*other, &out) == E_NOINTERFACE);
        CHECK(out == nullptr);
    }
    CHECK(ext->AddRef() == 2);
    CHECK(ext->Release() == 1);
    CHECK(ext->Release() == 0);
}

TEST_CASE("a component from GetComponent is the caller's: it outlives the IVssWriterComponentsExt")
{
    auto store = make_store();
    IVssComponentEx2 *component = nullptr;
    {
        Ref<IVssWriterComponentsExt> ext(open_writer_components(store, requester()));
        component = component_ex2(ext.get(), 0);
    }
    store.reset(); // the component keeps the store alive
    BSTR name = nullptr;
    CHECK(component->GetComponentName(&name) == S_OK);
    CHECK(text_of(name) == u"Accounts");
    SysFreeString(name);
    IUnknown *from_ex2 = nullptr;
    REQUIRE(component->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&from_ex2)) == S_OK);
    CHECK(from_ex2 == static_cast<IUnknown *>(component));
    from_ex2->Release();
    CHECK(component->Release() == 0);
}

TEST_CASE("C-2.7 the requester reads a component failure the writer set: GetWriterComponents -> GetComponent -> QI(Ex2) -> GetFailure")
{
    auto store = make_store(2);
    {
        Ref<IVssWriterComponentsExt> handler_view(open_writer_components(store, writer_in(Event::PostSnapshot)));
        IVssWriterComponents *components = handler_view.get();
        Ref<IVssComponentEx2> logs(component_ex2(components, 1));
        CHECK(logs->SetFailure(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, static_cast<HRESULT>(0xC0DE0001),
                               W(u"échec – 失败 😀"), 0) == S_OK);
    }
    Ref<IVssWriterComponentsExt> requester_view(open_writer_components(store, requester()));
    Ref<IVssComponentEx2> logs(component_ex2(requester_view.get(), 1));
    HRESULT hr = S_OK, hr_application = S_OK;
    BSTR message = nullptr;
    DWORD reserved = 5;
    REQUIRE(logs->GetFailure(&hr, &hr_application, &message, &reserved) == S_OK);
    CHECK(hr == VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT);
    CHECK(hr_application == static_cast<HRESULT>(0xC0DE0001));
    CHECK(text_of(message) == u"échec – 失败 😀");
    CHECK(reserved == 0);
    SysFreeString(message);

    // The requester cannot write, and the other component was not failed.
    CHECK(logs->SetFailure(S_OK, S_OK, nullptr, 0) == VSS_E_BAD_STATE);
    Ref<IVssComponentEx2> accounts(component_ex2(requester_view.get(), 0));
    REQUIRE(accounts->GetFailure(&hr, &hr_application, &message, &reserved) == S_OK);
    CHECK(hr == S_OK);
    CHECK(message == nullptr);
}

TEST_CASE("C-2.7 SetFailure through the handler's IVssWriterComponents follows the handler's event")
{
    struct Case {
        Moment moment;
        HRESULT expected;
    };
    const Case cases[] = {
        {{Event::Identify, false}, VSS_E_BAD_STATE},
        {{Event::PrepareBackup, false}, S_OK},
        {{Event::PostSnapshot, false}, S_OK},
        {{Event::BackupComplete, false}, VSS_E_BAD_STATE}, // the document is read-only from here
        {{Event::PreRestore, true}, S_OK},
        {{Event::PostRestore, true}, S_OK},
    };
    for (const Case &each : cases) {
        CAPTURE(vssapi::core::event_name(each.moment.event));
        auto store = make_store();
        Ref<IVssWriterComponentsExt> view(open_writer_components(store, writer_in(each.moment.event, each.moment.restore)));
        Ref<IVssComponentEx2> component(component_ex2(view.get(), 0));
        CHECK(component->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, W(u"m"), 0) == each.expected);
        CHECK(store->components[0].failure.set == (each.expected == S_OK));
    }
}

TEST_CASE("eight threads write and read one store at once (run it under ThreadSanitizer)")
{
    constexpr int kWriters = 4;
    constexpr int kReaders = 4;
    constexpr int kRounds = 200;
    const HRESULT codes[kWriters] = {
        VSS_E_WRITERERROR_RETRYABLE,
        VSS_E_WRITERERROR_NONRETRYABLE,
        VSS_E_WRITERERROR_TIMEOUT,
        VSS_E_WRITERERROR_OUTOFRESOURCES,
    };
    auto message_of = [](HRESULT hr) { return u"failure " + std::u16string(1, char16_t(u'a' + (hr & 0xF))); };

    auto store = make_store(2);
    Ref<IVssWriterComponentsExt> writer_view(open_writer_components(store, writer_in(Event::PrepareBackup)));
    Ref<IVssWriterComponentsExt> requester_view(open_writer_components(store, requester()));
    Ref<IVssComponentEx2> shared(component_ex2(requester_view.get(), 0)); // one object, many threads

    std::atomic<int> torn{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kWriters; ++t) {
        threads.emplace_back([&, t] {
            const std::u16string message = message_of(codes[t]);
            for (int round = 0; round < kRounds; ++round) {
                IVssComponent *component = nullptr;
                if (writer_view->GetComponent(static_cast<UINT>(round % 2), &component) != S_OK) {
                    ++errors;
                    continue;
                }
                IVssComponentEx2 *ex2 = nullptr;
                if (component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2)) != S_OK ||
                    ex2->SetFailure(codes[t], S_OK, W(message.c_str()), 0) != S_OK ||
                    ex2->AddPartialFile(W(u"C:\\db"), W(u"f.mdf"), W(u"0:1"), nullptr) != S_OK ||
                    ex2->SetBackupStamp(W(message.c_str())) != S_OK) {
                    ++errors;
                }
                if (ex2 != nullptr) {
                    ex2->Release();
                }
                component->Release();
            }
        });
    }
    for (int t = 0; t < kReaders; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < kRounds; ++round) {
                shared->AddRef();
                HRESULT hr = S_OK, hr_application = S_OK;
                BSTR message = nullptr;
                DWORD reserved = 0;
                if (shared->GetFailure(&hr, &hr_application, &message, &reserved) != S_OK) {
                    ++errors;
                } else if (hr != S_OK && vssapi::com::bstr_view(message) != message_of(hr)) {
                    ++torn; // a message from one call with the code of another
                }
                SysFreeString(message);
                UINT count = 0;
                if (shared->GetPartialFileCount(&count) != S_OK ||
                    requester_view->GetComponentCount(&count) != S_OK || count != 2) {
                    ++errors;
                }
                BSTR stamp = nullptr;
                if (FAILED(shared->GetBackupStamp(&stamp))) {
                    ++errors;
                }
                SysFreeString(stamp);
                shared->Release();
            }
        });
    }
    for (auto &thread : threads) {
        thread.join();
    }
    CHECK(errors.load() == 0);
    CHECK(torn.load() == 0);
    UINT first = 0, second = 0;
    Ref<IVssComponentEx2> other(component_ex2(requester_view.get(), 1));
    CHECK(shared->GetPartialFileCount(&first) == S_OK);
    CHECK(other->GetPartialFileCount(&second) == S_OK);
    CHECK(first + second == kWriters * kRounds);
}

} // TEST_SUITE
