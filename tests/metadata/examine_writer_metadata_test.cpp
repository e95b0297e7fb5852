// The requester's side on its own: IVssExamineWriterMetadataEx2,
// IVssWMComponent, IVssWMFiledesc and IVssWMDependency over a snapshot built
// directly, for NULL out-pointers (C-6.2), indexes past the end, the
// VSS_COMPONENTINFO ownership rules and QueryInterface.
#include "metadata/examine_writer_metadata.h"
#include "metadata/wm_component.h"
#include "metadata_support.h"

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace metadata_test;
using vssapi::core::ComponentDecl;
using vssapi::core::WriterIdentity;
using vssapi::core::WriterMetadata;
using vssapi::metadata::WmComponent;

namespace {

vssapi::core::FileSpec file(const char16_t *path)
{
    vssapi::core::FileSpec spec;
    spec.path = path;
    spec.filespec = u"*";
    return spec;
}

// One of everything, no restore method, no instance name.
std::shared_ptr<const WriterMetadata> small_document()
{
    auto metadata = std::make_shared<WriterMetadata>();
    metadata->include_files.push_back(file(u"C:\\in"));
    metadata->exclude_files.push_back(file(u"C:\\out"));
    metadata->exclude_from_snapshot.push_back(file(u"C:\\big"));
    ComponentDecl component;
    component.type = VSS_CT_DATABASE;
    component.name = u"DB";
    component.databases.push_back(file(u"C:\\db"));
    component.logs.push_back(file(u"C:\\log"));
    component.dependencies.push_back({GUID_NULL, u"", u"Other"});
    metadata->components.push_back(component);
    component.type = VSS_CT_FILEGROUP;
    component.name = u"FG";
    component.databases.clear();
    component.logs.clear();
    component.files.push_back(file(u"C:\\fg"));
    metadata->components.push_back(component);
    return metadata;
}

std::shared_ptr<const WriterIdentity> small_identity()
{
    auto identity = std::make_shared<WriterIdentity>();
    identity->name = u"Writer";
    return identity;
}

Ref<IVssExamineWriterMetadataEx2> examine_small_document()
{
    Ref<IVssExamineWriterMetadataEx2> examine;
    REQUIRE(vssapi::metadata::make_examine_writer_metadata(small_identity(), small_document(), examine.out()) == S_OK);
    return examine;
}

struct Case {
    const char *what;
    HRESULT expected;
    std::function<HRESULT()> call;
};

void run(const std::vector<Case> &cases)
{
    for (const Case &c : cases) {
        const std::string what = c.what;
        CAPTURE(what);
        CHECK(c.call() == c.expected);
    }
}

// Out-BSTRs start as garbage: a failing call must leave NULL there, never
// something the caller would free.
BSTR garbage() { return reinterpret_cast<BSTR>(0x1); }

// `hr` when every out-BSTR was cleared, E_FAIL otherwise.
HRESULT if_cleared(HRESULT hr, std::initializer_list<BSTR> outs)
{
    for (BSTR out : outs) {
        if (out != nullptr) {
            return E_FAIL;
        }
    }
    return hr;
}

template <class Interface>
void check_qi_answers_only_iunknown(Interface *object)
{
    Ref<IUnknown> identity;
    REQUIRE(object->QueryInterface(IID_IUnknown, identity.out_void()) == S_OK);
    CHECK(identity.get() == static_cast<IUnknown *>(object));
    for (const IID *iid : {&IID_IVssExamineWriterMetadata, &IID_IVssComponent, &IID_IVssCreateWriterMetadataEx,
                           &IID_IVssAsync}) {
        void *out = reinterpret_cast<void *>(0x1);
        CHECK(object->QueryInterface(*iid, &out) == E_NOINTERFACE);
        CHECK(out == nullptr);
    }
}

} // namespace

TEST_SUITE("metadata") {

TEST_CASE("C-6.2 NULL out-pointers on IVssExamineWriterMetadataEx2 give E_INVALIDARG and no stray BSTR")
{
    auto examine = examine_small_document();
    IVssExamineWriterMetadataEx2 *m = examine.get();
    VSS_ID id{};
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    UINT count = 0;
    DWORD dword = 0;
    VSS_RESTOREMETHOD_ENUM method{};
    VSS_WRITERRESTORE_ENUM writer_restore{};
    bool flag = false;
    run({
        {"GetIdentity NULL instance", E_INVALIDARG, [&] { BSTR name = garbage(); const HRESULT hr = m->GetIdentity(nullptr, &id, &name, &usage, &source); return if_cleared(hr, {name}); }},
        {"GetIdentity NULL writer", E_INVALIDARG, [&] { BSTR name = garbage(); const HRESULT hr = m->GetIdentity(&id, nullptr, &name, &usage, &source); return if_cleared(hr, {name}); }},
        {"GetIdentity NULL name", E_INVALIDARG, [&] { return m->GetIdentity(&id, &id, nullptr, &usage, &source); }},
        {"GetIdentity NULL usage", E_INVALIDARG, [&] { BSTR name = garbage(); const HRESULT hr = m->GetIdentity(&id, &id, &name, nullptr, &source); return if_cleared(hr, {name}); }},
        {"GetIdentity NULL source", E_INVALIDARG, [&] { BSTR name = garbage(); const HRESULT hr = m->GetIdentity(&id, &id, &name, &usage, nullptr); return if_cleared(hr, {name}); }},
        {"GetIdentityEx NULL instance name", E_INVALIDARG, [&] { BSTR name = garbage(); const HRESULT hr = m->GetIdentityEx(&id, &id, &name, nullptr, &usage, &source); return if_cleared(hr, {name}); }},
        {"GetIdentityEx NULL source", E_INVALIDARG, [&] { BSTR name = garbage(), instance = garbage(); const HRESULT hr = m->GetIdentityEx(&id, &id, &name, &instance, &usage, nullptr); return if_cleared(hr, {name, instance}); }},
        {"GetFileCounts NULL include", E_INVALIDARG, [&] { return m->GetFileCounts(nullptr, &count, &count); }},
        {"GetFileCounts NULL exclude", E_INVALIDARG, [&] { return m->GetFileCounts(&count, nullptr, &count); }},
        {"GetFileCounts NULL components", E_INVALIDARG, [&] { return m->GetFileCounts(&count, &count, nullptr); }},
        {"GetIncludeFile NULL", E_INVALIDARG, [&] { return m->GetIncludeFile(0, nullptr); }},
        {"GetExcludeFile NULL", E_INVALIDARG, [&] { return m->GetExcludeFile(0, nullptr); }},
        {"GetComponent NULL", E_INVALIDARG, [&] { return m->GetComponent(0, nullptr); }},
        {"GetRestoreMethod NULL method", E_INVALIDARG, [&] { BSTR service = garbage(), procedure = garbage(); const HRESULT hr = m->GetRestoreMethod(nullptr, &service, &procedure, &writer_restore, &flag, &count); return if_cleared(hr, {service, procedure}); }},
        {"GetRestoreMethod NULL service", E_INVALIDARG, [&] { BSTR procedure = garbage(); const HRESULT hr = m->GetRestoreMethod(&method, nullptr, &procedure, &writer_restore, &flag, &count); return if_cleared(hr, {procedure}); }},
        {"GetRestoreMethod NULL mappings", E_INVALIDARG, [&] { BSTR service = garbage(), procedure = garbage(); const HRESULT hr = m->GetRestoreMethod(&method, &service, &procedure, &writer_restore, &flag, nullptr); return if_cleared(hr, {service, procedure}); }},
        {"GetAlternateLocationMapping NULL", E_INVALIDARG, [&] { return m->GetAlternateLocationMapping(0, nullptr); }},
        {"GetBackupSchema NULL", E_INVALIDARG, [&] { return m->GetBackupSchema(nullptr); }},
        {"GetVersion NULL major", E_INVALIDARG, [&] { return m->GetVersion(nullptr, &dword); }},
        {"GetVersion NULL minor", E_INVALIDARG, [&] { return m->GetVersion(&dword, nullptr); }},
        {"GetExcludeFromSnapshotCount NULL", E_INVALIDARG, [&] { return m->GetExcludeFromSnapshotCount(nullptr); }},
        {"GetExcludeFromSnapshotFile NULL", E_INVALIDARG, [&] { return m->GetExcludeFromSnapshotFile(0, nullptr); }},
    });
}

TEST_CASE("an index past the end gives the page's code and a NULL object")
{
    auto examine = examine_small_document();
    IVssExamineWriterMetadataEx2 *m = examine.get();
    Ref<IVssWMComponent> component;
    REQUIRE(m->GetComponent(0, component.out()) == S_OK);
    IVssWMComponent *c = component.get();
    auto past_end = [](auto get) {
        return [get] {
            auto *out = reinterpret_cast<IVssWMFiledesc *>(0x1);
            const HRESULT hr = get(&out);
            return out == nullptr ? hr : E_FAIL;
        };
    };
    run({
        {"GetIncludeFile", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return m->GetIncludeFile(1, out); })},
        {"GetExcludeFile", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return m->GetExcludeFile(1, out); })},
        {"GetAlternateLocationMapping", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return m->GetAlternateLocationMapping(0, out); })},
        {"GetExcludeFromSnapshotFile", E_INVALIDARG, past_end([&](IVssWMFiledesc **out) { return m->GetExcludeFromSnapshotFile(1, out); })},
        {"GetExcludeFile UINT_MAX", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return m->GetExcludeFile(0xFFFFFFFFu, out); })},
        {"IVssWMComponent::GetFile", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return c->GetFile(0, out); })},
        {"IVssWMComponent::GetDatabaseFile", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return c->GetDatabaseFile(1, out); })},
        {"IVssWMComponent::GetDatabaseLogFile", VSS_E_OBJECT_NOT_FOUND, past_end([&](IVssWMFiledesc **out) { return c->GetDatabaseLogFile(1, out); })},
        {"GetComponent", VSS_E_OBJECT_NOT_FOUND, [&] {
             auto *out = reinterpret_cast<IVssWMComponent *>(0x1);
             const HRESULT hr = m->GetComponent(2, &out);
             return out == nullptr ? hr : E_FAIL;
         }},
        {"IVssWMComponent::GetDependency", VSS_E_OBJECT_NOT_FOUND, [&] {
             auto *out = reinterpret_cast<IVssWMDependency *>(0x1);
             const HRESULT hr = c->GetDependency(1, &out);
             return out == nullptr ? hr : E_FAIL;
         }},
    });
}

TEST_CASE("without SetRestoreMethod GetRestoreMethod is S_FALSE; without an instance name it is NULL")
{
    auto examine = examine_small_document();
    VSS_RESTOREMETHOD_ENUM method = VSS_RME_CUSTOM;
    BSTR service = reinterpret_cast<BSTR>(0x1), procedure = reinterpret_cast<BSTR>(0x1);
    VSS_WRITERRESTORE_ENUM writer_restore = VSS_WRE_ALWAYS;
    bool reboot = true;
    UINT mappings = 7;
    CHECK(examine->GetRestoreMethod(&method, &service, &procedure, &writer_restore, &reboot, &mappings) == S_FALSE);
    CHECK(method == VSS_RME_UNDEFINED);
    CHECK(service == nullptr);
    CHECK(procedure == nullptr);
    CHECK(writer_restore == VSS_WRE_UNDEFINED);
    CHECK_FALSE(reboot);
    CHECK(mappings == 0);

    VSS_ID id{};
    BSTR name = nullptr, instance_name = reinterpret_cast<BSTR>(0x1);
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    REQUIRE(examine->GetIdentityEx(&id, &id, &name, &instance_name, &usage, &source) == S_OK);
    CHECK(take(name) == u"Writer");
    CHECK(instance_name == nullptr);
}

TEST_CASE("the service is reported only for the two stop/start restore methods")
{
    auto metadata = std::make_shared<WriterMetadata>();
    metadata->restore_method = VSS_RME_RESTORE_IF_CAN_REPLACE;
    metadata->restore_service = u"ignored";
    metadata->restore_user_procedure = u"https://example.invalid/restore.html";
    Ref<IVssExamineWriterMetadataEx2> examine;
    REQUIRE(vssapi::metadata::make_examine_writer_metadata(small_identity(), metadata, examine.out()) == S_OK);
    VSS_RESTOREMETHOD_ENUM method{};
    BSTR service = nullptr, procedure = nullptr;
    VSS_WRITERRESTORE_ENUM writer_restore{};
    bool reboot = false;
    UINT mappings = 0;
    REQUIRE(examine->GetRestoreMethod(&method, &service, &procedure, &writer_restore, &reboot, &mappings) == S_OK);
    CHECK(method == VSS_RME_RESTORE_IF_CAN_REPLACE);
    CHECK(service == nullptr);
    CHECK(take(procedure) == u"https://example.invalid/restore.html");
}

TEST_CASE("C-8.4 SaveAsXML and LoadFromXML; GetDocument has no MSXML DOM to give")
{
    auto examine = examine_small_document();
    IXMLDOMDocument *doc = reinterpret_cast<IXMLDOMDocument *>(0x1);
    CHECK(examine->GetDocument(&doc) == E_NOINTERFACE);
    CHECK(doc == nullptr);
    CHECK(examine->GetDocument(nullptr) == E_INVALIDARG);
    CHECK(examine->SaveAsXML(nullptr) == E_INVALIDARG);
    CHECK(examine->LoadFromXML(nullptr) == E_INVALIDARG);

    BSTR xml = reinterpret_cast<BSTR>(0x1);
    REQUIRE(examine->SaveAsXML(&xml) == S_OK);
    const std::u16string saved = take(xml).value();

    // A bad document changes nothing (C-8.3).
    BSTR bad = SysAllocString(w(u"<WRITER_METADATA xmlns=\"x-schema:#VssWriterMetadataInfo\" version=\"1.2\"/>"));
    CHECK(examine->LoadFromXML(bad) == VSS_E_INVALID_XML_DOCUMENT); // no IDENTIFICATION
    SysFreeString(bad);
    REQUIRE(examine->SaveAsXML(&xml) == S_OK);
    CHECK(take(xml) == saved);

    // Another writer's document replaces the whole snapshot.
    const std::u16string other = u"<WRITER_METADATA xmlns=\"x-schema:#VssWriterMetadataInfo\" version=\"1.2\">"
                                 u"<IDENTIFICATION writerId=\"{01020304-0506-0708-090a-0b0c0d0e0f10}\" "
                                 u"friendlyName=\"Other\" usage=\"systemService\"/></WRITER_METADATA>";
    BSTR document = SysAllocStringLen(w(other.c_str()), static_cast<UINT>(other.size()));
    REQUIRE(examine->LoadFromXML(document) == S_OK);
    SysFreeString(document);
    VSS_ID instance{}, writer{};
    BSTR name = nullptr;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    REQUIRE(examine->GetIdentity(&instance, &writer, &name, &usage, &source) == S_OK);
    CHECK(take(name) == u"Other");
    CHECK(usage == VSS_UT_SYSTEMSERVICE);
    CHECK(IsEqualGUID(writer, VSS_ID{0x01020304, 0x0506, 0x0708, {0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}}));
    UINT include = 9, exclude = 9, components = 9;
    REQUIRE(examine->GetFileCounts(&include, &exclude, &components) == S_OK);
    CHECK(include + exclude + components == 0);
}

TEST_CASE("C-6.2 make_examine_writer_metadata refuses NULL")
{
    Ref<IVssExamineWriterMetadataEx2> examine;
    CHECK(vssapi::metadata::make_examine_writer_metadata(small_identity(), small_document(), nullptr) == E_INVALIDARG);
    CHECK(vssapi::metadata::make_examine_writer_metadata(nullptr, small_document(), examine.out()) == E_INVALIDARG);
    CHECK(!examine);
    CHECK(vssapi::metadata::make_examine_writer_metadata(small_identity(), nullptr, examine.out()) == E_INVALIDARG);
    CHECK(!examine);
}

TEST_CASE("IVssExamineWriterMetadata, Ex and Ex2 are one object with one identity")
{
    auto examine = examine_small_document();
    Ref<IVssExamineWriterMetadata> base;
    Ref<IVssExamineWriterMetadataEx> ex;
    Ref<IVssExamineWriterMetadataEx2> ex2;
    Ref<IUnknown> identity;
    REQUIRE(examine->QueryInterface(IID_IVssExamineWriterMetadata, base.out_void()) == S_OK);
    REQUIRE(base->QueryInterface(IID_IVssExamineWriterMetadataEx, ex.out_void()) == S_OK);
    REQUIRE(ex->QueryInterface(IID_IVssExamineWriterMetadataEx2, ex2.out_void()) == S_OK);
    REQUIRE(ex2->QueryInterface(IID_IUnknown, identity.out_void()) == S_OK);
    CHECK(static_cast<void *>(base.get()) == static_cast<void *>(examine.get()));
    CHECK(static_cast<void *>(ex.get()) == static_cast<void *>(examine.get()));
    CHECK(ex2.get() == examine.get());
    CHECK(identity.get() == static_cast<IUnknown *>(examine.get()));
    void *out = reinterpret_cast<void *>(0x1);
    CHECK(examine->QueryInterface(IID_IVssCreateWriterMetadataEx, &out) == E_NOINTERFACE);
    CHECK(out == nullptr);
}

TEST_CASE("IVssWMComponent, IVssWMFiledesc and IVssWMDependency have no SDK IID: QueryInterface answers IUnknown only")
{
    auto examine = examine_small_document();
    Ref<IVssWMComponent> component;
    REQUIRE(examine->GetComponent(0, component.out()) == S_OK);
    Ref<IVssWMFiledesc> file;
    REQUIRE(component->GetDatabaseFile(0, file.out()) == S_OK);
    Ref<IVssWMDependency> dependency;
    REQUIRE(component->GetDependency(0, dependency.out()) == S_OK);
    check_qi_answers_only_iunknown(component.get());
    check_qi_answers_only_iunknown(file.get());
    check_qi_answers_only_iunknown(dependency.get());
}

TEST_CASE("C-6.2 NULL out-pointers on IVssWMComponent, IVssWMFiledesc and IVssWMDependency give E_INVALIDARG")
{
    auto examine = examine_small_document();
    Ref<IVssWMComponent> component;
    REQUIRE(examine->GetComponent(0, component.out()) == S_OK);
    Ref<IVssWMFiledesc> file;
    REQUIRE(component->GetDatabaseFile(0, file.out()) == S_OK);
    Ref<IVssWMDependency> dependency;
    REQUIRE(component->GetDependency(0, dependency.out()) == S_OK);
    run({
        {"GetComponentInfo", E_INVALIDARG, [&] { return component->GetComponentInfo(nullptr); }},
        {"GetFile", E_INVALIDARG, [&] { return component->GetFile(0, nullptr); }},
        {"GetDatabaseFile", E_INVALIDARG, [&] { return component->GetDatabaseFile(0, nullptr); }},
        {"GetDatabaseLogFile", E_INVALIDARG, [&] { return component->GetDatabaseLogFile(0, nullptr); }},
        {"GetDependency", E_INVALIDARG, [&] { return component->GetDependency(0, nullptr); }},
        {"GetPath", E_INVALIDARG, [&] { return file->GetPath(nullptr); }},
        {"GetFilespec", E_INVALIDARG, [&] { return file->GetFilespec(nullptr); }},
        {"GetRecursive", E_INVALIDARG, [&] { return file->GetRecursive(nullptr); }},
        {"GetAlternateLocation", E_INVALIDARG, [&] { return file->GetAlternateLocation(nullptr); }},
        {"GetBackupTypeMask", E_INVALIDARG, [&] { return file->GetBackupTypeMask(nullptr); }},
        {"GetWriterId", E_INVALIDARG, [&] { return dependency->GetWriterId(nullptr); }},
        {"GetLogicalPath", E_INVALIDARG, [&] { return dependency->GetLogicalPath(nullptr); }},
        {"GetComponentName", E_INVALIDARG, [&] { return dependency->GetComponentName(nullptr); }},
    });
}

TEST_CASE("C-6.2 FreeComponentInfo frees exactly what GetComponentInfo handed out")
{
    const std::size_t before = WmComponent::debug_outstanding_infos();
    auto examine = examine_small_document();
    Ref<IVssWMComponent> first, second;
    REQUIRE(examine->GetComponent(0, first.out()) == S_OK);
    REQUIRE(examine->GetComponent(1, second.out()) == S_OK);
    PVSSCOMPONENTINFO a = nullptr, b = nullptr;
    REQUIRE(first->GetComponentInfo(&a) == S_OK);
    REQUIRE(first->GetComponentInfo(&b) == S_OK);
    CHECK(a != b);
    CHECK(WmComponent::debug_outstanding_infos() == before + 2);

    CHECK(first->FreeComponentInfo(nullptr) == S_OK); // the page lists only S_OK: like free(NULL)
    VSS_COMPONENTINFO stranger{};
    CHECK(first->FreeComponentInfo(&stranger) == E_INVALIDARG);
    CHECK(first->FreeComponentInfo(a) == S_OK);
    CHECK(first->FreeComponentInfo(a) == E_INVALIDARG); // second free
    // The structure names no component: any component object may free it, and
    // it stays valid after the component that made it is gone.
    first.reset();
    examine.reset();
    CHECK(vssapi::com::bstr_view(b->bstrComponentName) == u"DB");
    CHECK(second->FreeComponentInfo(b) == S_OK);
    CHECK(WmComponent::debug_outstanding_infos() == before);
}

} // TEST_SUITE
