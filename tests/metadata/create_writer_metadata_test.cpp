// IVssCreateWriterMetadataEx as a writer's OnIdentify sees it: bad input
// returns its documented code and changes nothing (C-6.2), every call after
// seal() is VSS_E_BAD_STATE and changes nothing (C-3.8), and the
// multiple-inheritance object keeps COM identity (C-1.2).
#include "metadata/create_writer_metadata.h"
#include "metadata_support.h"

#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace metadata_test;
using vssapi::core::WriterMetadata;
using vssapi::metadata::CreateWriterMetadata;

namespace {

using Call = std::function<HRESULT(IVssCreateWriterMetadataEx *)>;

struct Case {
    const char *what;
    HRESULT expected;
    Call call;
};

const VSS_ID kOtherWriter = {0x01020304, 0x0506, 0x0708, {0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}};
const BYTE kIcon[] = {1, 2, 3, 4};

// A document with one database ("LP", "DB") and one root file group ("FG").
void declare_baseline(IVssCreateWriterMetadataEx *writer)
{
    REQUIRE(writer->AddComponent(VSS_CT_DATABASE, w(u"LP"), w(u"DB"), nullptr, nullptr, 0, false, false, true,
                                 false, 0) == S_OK);
    REQUIRE(writer->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u"FG"), nullptr, nullptr, 0, false, false, true,
                                 false, 0) == S_OK);
    REQUIRE(writer->AddIncludeFiles(w(u"C:\\in"), w(u"*"), false, nullptr) == S_OK);
}

// Runs each case on a fresh baseline document and checks its code and that
// the document is exactly as before.
void run_rejected(const std::vector<Case> &cases)
{
    for (const Case &c : cases) {
        const std::string what = c.what;
        CAPTURE(what);
        WriterMetadata target;
        auto *object = new CreateWriterMetadata(target);
        declare_baseline(object);
        const std::string before = describe(target);
        CHECK(c.call(object) == c.expected);
        CHECK(describe(target) == before);
        static_cast<IUnknown *>(object)->Release();
    }
}

// One valid call of every slot. GetDocument has no MSXML DOM to give (E_NOINTERFACE, C-8.4).
std::vector<Case> every_slot_valid()
{
    return {
        {"AddIncludeFiles", S_OK, [](auto *m) { return m->AddIncludeFiles(w(u"C:\\a"), w(u"*"), true, nullptr); }},
        {"AddExcludeFiles", S_OK, [](auto *m) { return m->AddExcludeFiles(w(u"C:\\a"), w(u"*.tmp"), true); }},
        {"AddComponent", S_OK,
         [](auto *m) {
             return m->AddComponent(VSS_CT_FILEGROUP, w(u"LP"), w(u"New"), nullptr, nullptr, 0, false, false,
                                    true, false, 0);
         }},
        {"AddDatabaseFiles", S_OK,
         [](auto *m) { return m->AddDatabaseFiles(w(u"LP"), w(u"DB"), w(u"C:\\db"), w(u"a.mdf"), 0xF0F); }},
        {"AddDatabaseLogFiles", S_OK,
         [](auto *m) { return m->AddDatabaseLogFiles(w(u"LP"), w(u"DB"), w(u"C:\\db"), w(u"a.ldf"), 0xF0F); }},
        {"AddFilesToFileGroup", S_OK,
         [](auto *m) {
             return m->AddFilesToFileGroup(nullptr, w(u"FG"), w(u"C:\\fg"), w(u"*"), true, nullptr, 0xF0F);
         }},
        {"SetRestoreMethod", S_OK,
         [](auto *m) {
             return m->SetRestoreMethod(VSS_RME_RESTORE_IF_CAN_REPLACE, nullptr, nullptr, VSS_WRE_NEVER, false);
         }},
        {"AddAlternateLocationMapping", S_OK,
         [](auto *m) { return m->AddAlternateLocationMapping(w(u"C:\\fg"), w(u"*"), true, w(u"D:\\alt")); }},
        {"AddComponentDependency", S_OK,
         [](auto *m) { return m->AddComponentDependency(w(u"LP"), w(u"DB"), kOtherWriter, nullptr, w(u"X")); }},
        {"SetBackupSchema", S_OK, [](auto *m) { return m->SetBackupSchema(VSS_BS_COPY); }},
        {"GetDocument", E_NOINTERFACE,
         [](auto *m) {
             IXMLDOMDocument *doc = reinterpret_cast<IXMLDOMDocument *>(0x1);
             const HRESULT hr = m->GetDocument(&doc);
             return doc == nullptr ? hr : E_FAIL;
         }},
        {"SaveAsXML", S_OK,
         [](auto *m) {
             BSTR xml = reinterpret_cast<BSTR>(0x1);
             const HRESULT hr = m->SaveAsXML(&xml);
             const bool answered = SUCCEEDED(hr) ? xml != nullptr && SysStringLen(xml) > 0 : xml == nullptr;
             SysFreeString(SUCCEEDED(hr) ? xml : nullptr);
             return answered ? hr : E_FAIL;
         }},
        {"AddExcludeFilesFromSnapshot", S_OK,
         [](auto *m) { return m->AddExcludeFilesFromSnapshot(w(u"C:\\big"), w(u"*.vhd"), false); }},
    };
}

} // namespace

TEST_SUITE("metadata") {

TEST_CASE("C-6.2 bad input to IVssCreateWriterMetadataEx returns its code and changes nothing")
{
    const LPCWSTR path = w(u"C:\\p");
    const LPCWSTR spec = w(u"*.x");
    run_rejected({
        {"AddIncludeFiles NULL path", E_INVALIDARG, [=](auto *m) { return m->AddIncludeFiles(nullptr, spec, false, nullptr); }},
        {"AddIncludeFiles NULL filespec", E_INVALIDARG, [=](auto *m) { return m->AddIncludeFiles(path, nullptr, false, nullptr); }},
        {"AddExcludeFiles NULL path", E_INVALIDARG, [=](auto *m) { return m->AddExcludeFiles(nullptr, spec, false); }},
        {"AddExcludeFiles NULL filespec", E_INVALIDARG, [=](auto *m) { return m->AddExcludeFiles(path, nullptr, false); }},
        {"AddExcludeFilesFromSnapshot NULL path", E_INVALIDARG, [=](auto *m) { return m->AddExcludeFilesFromSnapshot(nullptr, spec, true); }},
        {"AddExcludeFilesFromSnapshot NULL filespec", E_INVALIDARG, [=](auto *m) { return m->AddExcludeFilesFromSnapshot(path, nullptr, true); }},

        {"AddComponent VSS_CT_UNDEFINED", E_INVALIDARG, [](auto *m) { return m->AddComponent(VSS_CT_UNDEFINED, nullptr, w(u"C"), nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent unknown type", E_INVALIDARG, [](auto *m) { return m->AddComponent(static_cast<VSS_COMPONENT_TYPE>(3), nullptr, w(u"C"), nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent NULL name", E_INVALIDARG, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, nullptr, nullptr, nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent empty name", E_INVALIDARG, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u""), nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent backslash in name", E_INVALIDARG, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u"a\\b"), nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent NULL icon with a size", E_INVALIDARG, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u"C"), nullptr, nullptr, 4, false, false, false, false, 0); }},
        {"AddComponent unknown flag", E_INVALIDARG, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u"C"), nullptr, nullptr, 0, false, false, false, false, 0x8); }},
        {"AddComponent duplicate", VSS_E_OBJECT_ALREADY_EXISTS, [](auto *m) { return m->AddComponent(VSS_CT_DATABASE, w(u"LP"), w(u"DB"), nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent duplicate of another type", VSS_E_OBJECT_ALREADY_EXISTS, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, w(u"LP"), w(u"DB"), nullptr, nullptr, 0, false, false, false, false, 0); }},
        {"AddComponent duplicate, NULL and empty logical path alike", VSS_E_OBJECT_ALREADY_EXISTS, [](auto *m) { return m->AddComponent(VSS_CT_FILEGROUP, w(u""), w(u"FG"), nullptr, nullptr, 0, false, false, false, false, 0); }},

        {"AddDatabaseFiles NULL name", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseFiles(w(u"LP"), nullptr, path, spec, 0xF0F); }},
        {"AddDatabaseFiles NULL path", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseFiles(w(u"LP"), w(u"DB"), nullptr, spec, 0xF0F); }},
        {"AddDatabaseFiles NULL filespec", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseFiles(w(u"LP"), w(u"DB"), path, nullptr, 0xF0F); }},
        {"AddDatabaseFiles unknown mask bit", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseFiles(w(u"LP"), w(u"DB"), path, spec, 0x20000); }},
        {"AddDatabaseFiles no such component", VSS_E_OBJECT_NOT_FOUND, [=](auto *m) { return m->AddDatabaseFiles(w(u"LP"), w(u"Nope"), path, spec, 0xF0F); }},
        {"AddDatabaseFiles right name, other logical path", VSS_E_OBJECT_NOT_FOUND, [=](auto *m) { return m->AddDatabaseFiles(nullptr, w(u"DB"), path, spec, 0xF0F); }},
        {"AddDatabaseFiles to a file group", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseFiles(nullptr, w(u"FG"), path, spec, 0xF0F); }},
        {"AddDatabaseLogFiles NULL path", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseLogFiles(w(u"LP"), w(u"DB"), nullptr, spec, 0xF0F); }},
        {"AddDatabaseLogFiles no such component", VSS_E_OBJECT_NOT_FOUND, [=](auto *m) { return m->AddDatabaseLogFiles(w(u"LP"), w(u"Nope"), path, spec, 0xF0F); }},
        {"AddDatabaseLogFiles to a file group", E_INVALIDARG, [=](auto *m) { return m->AddDatabaseLogFiles(nullptr, w(u"FG"), path, spec, 0xF0F); }},
        {"AddFilesToFileGroup NULL filespec", E_INVALIDARG, [=](auto *m) { return m->AddFilesToFileGroup(nullptr, w(u"FG"), path, nullptr, false, nullptr, 0xF0F); }},
        {"AddFilesToFileGroup unknown mask bit", E_INVALIDARG, [=](auto *m) { return m->AddFilesToFileGroup(nullptr, w(u"FG"), path, spec, false, nullptr, 0x1000); }},
        {"AddFilesToFileGroup no such component", VSS_E_OBJECT_NOT_FOUND, [=](auto *m) { return m->AddFilesToFileGroup(nullptr, w(u"Nope"), path, spec, false, nullptr, 0xF0F); }},
        {"AddFilesToFileGroup to a database", E_INVALIDARG, [=](auto *m) { return m->AddFilesToFileGroup(w(u"LP"), w(u"DB"), path, spec, false, nullptr, 0xF0F); }},

        {"SetRestoreMethod VSS_RME_UNDEFINED", E_INVALIDARG, [](auto *m) { return m->SetRestoreMethod(VSS_RME_UNDEFINED, nullptr, nullptr, VSS_WRE_NEVER, false); }},
        {"SetRestoreMethod unknown method", E_INVALIDARG, [](auto *m) { return m->SetRestoreMethod(static_cast<VSS_RESTOREMETHOD_ENUM>(9), nullptr, nullptr, VSS_WRE_NEVER, false); }},
        {"SetRestoreMethod unknown writer restore", E_INVALIDARG, [](auto *m) { return m->SetRestoreMethod(VSS_RME_CUSTOM, nullptr, nullptr, static_cast<VSS_WRITERRESTORE_ENUM>(4), false); }},
        {"SetRestoreMethod stop/restore/start without a service", E_INVALIDARG, [](auto *m) { return m->SetRestoreMethod(VSS_RME_STOP_RESTORE_START, nullptr, nullptr, VSS_WRE_NEVER, false); }},
        {"SetRestoreMethod restore/stop/start with an empty service", E_INVALIDARG, [](auto *m) { return m->SetRestoreMethod(VSS_RME_RESTORE_STOP_START, w(u""), nullptr, VSS_WRE_NEVER, false); }},
        {"AddAlternateLocationMapping before SetRestoreMethod", VSS_E_OBJECT_NOT_FOUND, [=](auto *m) { return m->AddAlternateLocationMapping(path, spec, false, w(u"D:\\")); }},
        {"AddAlternateLocationMapping NULL destination", E_INVALIDARG, [=](auto *m) { return m->AddAlternateLocationMapping(path, spec, false, nullptr); }},
        {"AddAlternateLocationMapping NULL source", E_INVALIDARG, [=](auto *m) { return m->AddAlternateLocationMapping(nullptr, spec, false, w(u"D:\\")); }},

        {"AddComponentDependency no such component", VSS_E_OBJECT_NOT_FOUND, [](auto *m) { return m->AddComponentDependency(w(u"LP"), w(u"Nope"), kOtherWriter, nullptr, w(u"X")); }},
        {"AddComponentDependency NULL for-name", E_INVALIDARG, [](auto *m) { return m->AddComponentDependency(w(u"LP"), nullptr, kOtherWriter, nullptr, w(u"X")); }},
        {"AddComponentDependency NULL on-name", E_INVALIDARG, [](auto *m) { return m->AddComponentDependency(w(u"LP"), w(u"DB"), kOtherWriter, nullptr, nullptr); }},
        {"SetBackupSchema unknown bit", E_INVALIDARG, [](auto *m) { return m->SetBackupSchema(VSS_BS_COPY | 0x800); }},
    });
}

TEST_CASE("IVssCreateWriterMetadataEx accepts what the pages allow")
{
    WriterMetadata target;
    auto *object = new CreateWriterMetadata(target);
    IVssCreateWriterMetadataEx *writer = object;
    declare_baseline(writer);

    SUBCASE("an icon pointer with size 0 is no icon")
    {
        REQUIRE(writer->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u"NoIcon"), nullptr, kIcon, 0, false, false,
                                     false, false, 0) == S_OK);
        CHECK(target.components.back().icon.empty());
    }
    SUBCASE("the same name under another logical path is another component")
    {
        REQUIRE(writer->AddComponent(VSS_CT_FILEGROUP, w(u"Other"), w(u"DB"), nullptr, nullptr, 0, false, false,
                                     false, false, VSS_CF_NOT_SYSTEM_STATE) == S_OK);
        CHECK(target.components.size() == 3);
    }
    SUBCASE("a later SetRestoreMethod replaces the earlier one")
    {
        REQUIRE(writer->SetRestoreMethod(VSS_RME_RESTORE_STOP_START, w(u"svc"), w(u"proc"), VSS_WRE_ALWAYS, true) == S_OK);
        REQUIRE(writer->SetRestoreMethod(VSS_RME_RESTORE_IF_NOT_THERE, nullptr, nullptr, VSS_WRE_NEVER, false) == S_OK);
        CHECK(target.restore_method == VSS_RME_RESTORE_IF_NOT_THERE);
        CHECK(target.restore_service.empty());
        CHECK(target.restore_user_procedure.empty());
        CHECK(target.writer_restore == VSS_WRE_NEVER);
        CHECK_FALSE(target.reboot_required);
    }
    SUBCASE("every known backup schema bit and backup type bit")
    {
        REQUIRE(writer->SetBackupSchema(0xF7FF) == S_OK);
        CHECK(target.backup_schema == 0xF7FF);
        REQUIRE(writer->AddFilesToFileGroup(nullptr, w(u"FG"), w(u"C:\\"), w(u"*"), false, nullptr, 0x10F0F) == S_OK);
        CHECK(target.components[1].files.back().backup_type_mask == 0x10F0F);
    }
    static_cast<IUnknown *>(object)->Release();
}

TEST_CASE("C-3.8 after seal() every method is VSS_E_BAD_STATE and changes nothing")
{
    // The same calls succeed before the seal, so the seal alone refuses them.
    for (const Case &c : every_slot_valid()) {
        const std::string what = c.what;
        CAPTURE(what);
        WriterMetadata target;
        auto *object = new CreateWriterMetadata(target);
        declare_baseline(object);
        REQUIRE(object->SetRestoreMethod(VSS_RME_CUSTOM, nullptr, nullptr, VSS_WRE_NEVER, false) == S_OK);
        CHECK(c.call(object) == c.expected);
        static_cast<IUnknown *>(object)->Release();
    }

    for (const Case &c : every_slot_valid()) {
        const std::string what = c.what;
        CAPTURE(what);
        auto target = std::make_unique<WriterMetadata>();
        auto *object = new CreateWriterMetadata(*target);
        declare_baseline(object);
        REQUIRE(object->SetRestoreMethod(VSS_RME_CUSTOM, nullptr, nullptr, VSS_WRE_NEVER, false) == S_OK);
        const std::string before = describe(*target);
        object->seal();
        object->seal(); // harmless twice
        CHECK(c.call(object) == VSS_E_BAD_STATE);
        CHECK(describe(*target) == before);
        // A writer that kept its reference past the handler may outlive the
        // document: sealed calls never touch it (ASan would tell).
        target.reset();
        CHECK(c.call(object) == VSS_E_BAD_STATE);
        CHECK(object->AddRef() == 2);
        CHECK(object->Release() == 1);
        static_cast<IUnknown *>(object)->Release();
    }
}

TEST_CASE("C-3.8 seal() from another thread: each call lands entirely before it or is refused")
{
    WriterMetadata target;
    auto *object = new CreateWriterMetadata(target);
    std::atomic<int> accepted{0};
    std::thread handler([&] {
        while (object->AddIncludeFiles(w(u"C:\\a"), w(u"*"), false, nullptr) == S_OK) {
            accepted.fetch_add(1);
        }
    });
    while (accepted.load() < 100) {
        std::this_thread::yield();
    }
    object->seal();
    handler.join();
    CHECK(target.include_files.size() == static_cast<std::size_t>(accepted.load()));
    static_cast<IUnknown *>(object)->Release();
}

TEST_CASE("C-1.2 IVssCreateWriterMetadataEx keeps IUnknown in its second vtable pointer, with one identity")
{
    WriterMetadata target;
    auto *object = new CreateWriterMetadata(target);
    IVssCreateWriterMetadataEx *ex = object;
    IUnknown *unknown = ex;
    CHECK(reinterpret_cast<char *>(unknown) - reinterpret_cast<char *>(ex) ==
          static_cast<std::ptrdiff_t>(sizeof(void *)));

    Ref<IUnknown> identity;
    REQUIRE(unknown->QueryInterface(IID_IUnknown, identity.out_void()) == S_OK);
    CHECK(identity.get() == unknown);

    Ref<IVssCreateWriterMetadataEx> again;
    REQUIRE(unknown->QueryInterface(IID_IVssCreateWriterMetadataEx, again.out_void()) == S_OK);
    CHECK(again.get() == ex);
    Ref<IUnknown> identity_again;
    REQUIRE(static_cast<IUnknown *>(again.get())->QueryInterface(IID_IUnknown, identity_again.out_void()) == S_OK);
    CHECK(identity_again.get() == identity.get());

    for (const IID *other : {&IID_IVssExamineWriterMetadata, &IID_IVssComponent, &IID_IVssCreateExpressWriterMetadata}) {
        void *out = reinterpret_cast<void *>(0x1);
        CHECK(unknown->QueryInterface(*other, &out) == E_NOINTERFACE);
        CHECK(out == nullptr);
    }
    identity.reset();
    again.reset();
    identity_again.reset();
    CHECK(object->debug_ref_count() == 1);
    CHECK(unknown->Release() == 0);
}

} // TEST_SUITE
