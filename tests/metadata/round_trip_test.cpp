// A writer fills its metadata through IVssCreateWriterMetadataEx, the library
// seals it, and a requester reads every field back through
// IVssExamineWriterMetadataEx2, IVssWMComponent, IVssWMFiledesc and
// IVssWMDependency. Non-ASCII UTF-16 (accents, CJK, a surrogate pair) must
// come back unit for unit.
#include "metadata/create_writer_metadata.h"
#include "metadata/examine_writer_metadata.h"
#include "metadata/wm_component.h"
#include "metadata_support.h"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace metadata_test;
using vssapi::core::WriterIdentity;
using vssapi::core::WriterMetadata;
using vssapi::metadata::CreateWriterMetadata;
using vssapi::metadata::WmComponent;

namespace {

const std::u16string kDatabaseName = u"Base de données 数据 😀";
const std::u16string kDatabasePath = u"Serveur\\Instance 数据";
const VSS_ID kWriterClass = {0x11111111, 0x2222, 0x3333, {0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}};
const VSS_ID kWriterInstance = {0xaaaaaaaa, 0xbbbb, 0xcccc, {0xdd, 0xdd, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee}};
const VSS_ID kOtherWriter = {0x01020304, 0x0506, 0x0708, {0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}};
const BYTE kIcon[] = {0x42, 0x4d, 0x00, 0xff, 0x7f};

struct ExpectedFile {
    std::u16string path;
    std::u16string filespec;
    bool recursive;
    std::optional<std::u16string> alternate_location;
    DWORD backup_type_mask;
};

void check_file(IVssWMFiledesc *file, const ExpectedFile &expected)
{
    REQUIRE(file != nullptr);
    BSTR value = nullptr;
    REQUIRE(file->GetPath(&value) == S_OK);
    CHECK(take(value) == expected.path);
    REQUIRE(file->GetFilespec(&value) == S_OK);
    CHECK(take(value) == expected.filespec);
    bool recursive = !expected.recursive;
    REQUIRE(file->GetRecursive(&recursive) == S_OK);
    CHECK(recursive == expected.recursive);
    CHECK(file->GetAlternateLocation(&value) == (expected.alternate_location ? S_OK : S_FALSE));
    CHECK(take(value) == expected.alternate_location);
    DWORD mask = 0xdeadbeef;
    REQUIRE(file->GetBackupTypeMask(&mask) == S_OK);
    CHECK(mask == expected.backup_type_mask);
}

using FileGetter = HRESULT (STDMETHODCALLTYPE IVssWMComponent::*)(UINT, IVssWMFiledesc **);

void check_files(IVssWMComponent *component, FileGetter get, const std::vector<ExpectedFile> &expected)
{
    for (UINT i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        Ref<IVssWMFiledesc> file;
        REQUIRE((component->*get)(i, file.out()) == S_OK);
        check_file(file.get(), expected[i]);
    }
    Ref<IVssWMFiledesc> past_end;
    CHECK((component->*get)(static_cast<UINT>(expected.size()), past_end.out()) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(!past_end);
}

void check_dependency(IVssWMComponent *component, UINT index, const VSS_ID &writer,
                      const std::optional<std::u16string> &logical_path, const std::u16string &name)
{
    Ref<IVssWMDependency> dependency;
    REQUIRE(component->GetDependency(index, dependency.out()) == S_OK);
    VSS_ID id{};
    REQUIRE(dependency->GetWriterId(&id) == S_OK);
    CHECK(id == writer);
    BSTR value = nullptr;
    REQUIRE(dependency->GetLogicalPath(&value) == S_OK);
    CHECK(take(value) == logical_path);
    REQUIRE(dependency->GetComponentName(&value) == S_OK);
    CHECK(take(value) == name);
}

// What the writer's OnIdentify does, through the pointer the SDK hands it.
void identify(IVssCreateWriterMetadataEx *writer)
{
    // Slots 0-11 are reachable through the IVssCreateWriterMetadata base too,
    // the type OnIdentify receives.
    IVssCreateWriterMetadata *plain = writer;
    REQUIRE(plain->AddIncludeFiles(w(u"C:\\données"), w(u"*.inc"), true, w(u"D:\\alt 😀")) == S_OK);
    REQUIRE(plain->AddIncludeFiles(w(u"C:\\plain"), w(u"a.txt"), false, nullptr) == S_OK);
    REQUIRE(writer->AddExcludeFiles(w(u"C:\\données\\tmp"), w(u"*.tmp"), false) == S_OK);
    REQUIRE(writer->AddExcludeFilesFromSnapshot(w(u"C:\\big"), w(u"*.vhdx"), true) == S_OK);

    REQUIRE(plain->AddComponent(VSS_CT_DATABASE, w(kDatabasePath), w(kDatabaseName), w(u"Légende ✓"), kIcon,
                                sizeof kIcon, false, true, true, true,
                                VSS_CF_BACKUP_RECOVERY | VSS_CF_APP_ROLLBACK_RECOVERY) == S_OK);
    REQUIRE(writer->AddDatabaseFiles(w(kDatabasePath), w(kDatabaseName), w(u"C:\\db 数据"), w(u"main.mdf"),
                                     VSS_FSBT_FULL_BACKUP_REQUIRED | VSS_FSBT_FULL_SNAPSHOT_REQUIRED) == S_OK);
    REQUIRE(writer->AddDatabaseFiles(w(kDatabasePath), w(kDatabaseName), w(u"C:\\db2"), w(u"*.ndf"), 0xF0F) == S_OK);
    REQUIRE(writer->AddDatabaseLogFiles(w(kDatabasePath), w(kDatabaseName), w(u"C:\\logs"), w(u"*.ldf"),
                                        VSS_FSBT_LOG_BACKUP_REQUIRED) == S_OK);
    REQUIRE(writer->AddComponentDependency(w(kDatabasePath), w(kDatabaseName), kOtherWriter,
                                           w(u"Autre\\Chemin"), w(u"Composant 😀")) == S_OK);

    REQUIRE(writer->AddComponent(VSS_CT_FILEGROUP, nullptr, w(u"Config"), nullptr, nullptr, 0, false, false,
                                 false, false, 0) == S_OK);
    REQUIRE(writer->AddFilesToFileGroup(nullptr, w(u"Config"), w(u"C:\\cfg"), w(u"*.ini"), true,
                                        w(u"E:\\alt cfg"), 0xF0F) == S_OK);
    REQUIRE(writer->AddFilesToFileGroup(w(u""), w(u"Config"), w(u"C:\\cfg2"), w(u"app.xml"), false, nullptr,
                                        VSS_FSBT_CREATED_DURING_BACKUP) == S_OK);
    REQUIRE(writer->AddComponentDependency(nullptr, w(u"Config"), kWriterClass, nullptr, w(u"Root")) == S_OK);

    REQUIRE(writer->SetRestoreMethod(VSS_RME_STOP_RESTORE_START, w(u"Service données"), nullptr,
                                     VSS_WRE_IF_REPLACE_FAILS, true) == S_OK);
    REQUIRE(writer->AddAlternateLocationMapping(w(u"C:\\db 数据"), w(u"main.mdf"), false, w(u"F:\\restauré")) == S_OK);
    REQUIRE(writer->SetBackupSchema(VSS_BS_DIFFERENTIAL | VSS_BS_COPY | VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES) == S_OK);
}

} // namespace

namespace {

// Every field back, from the examine object made of the sealed metadata or,
// `through_xml`, from one made of its saved Writer Metadata Document (C-8.4).
void read_back_everything(bool through_xml)
{
    auto target = std::make_shared<WriterMetadata>();
    auto *object = new CreateWriterMetadata(*target);
    {
        // The writer gets the interface by QueryInterface on the object's IUnknown.
        Ref<IVssCreateWriterMetadataEx> writer;
        REQUIRE(static_cast<IUnknown *>(object)->QueryInterface(IID_IVssCreateWriterMetadataEx, writer.out_void()) == S_OK);
        identify(writer.get());
    }
    object->seal();
    static_cast<IUnknown *>(object)->Release();

    auto identity = std::make_shared<WriterIdentity>();
    identity->class_id = kWriterClass;
    identity->instance_id = kWriterInstance;
    identity->name = u"Écrivain 数据 😀";
    identity->instance_name = u"Instance ✓";
    identity->usage = VSS_UT_USERDATA;
    identity->source = VSS_ST_TRANSACTEDDB;
    identity->version_major = 3;
    identity->version_minor = 7;

    Ref<IVssExamineWriterMetadataEx2> examine;
    REQUIRE(vssapi::metadata::make_examine_writer_metadata(identity, target, examine.out()) == S_OK);
    if (through_xml) {
        BSTR xml = nullptr;
        REQUIRE(examine->SaveAsXML(&xml) == S_OK);
        Ref<IVssExamineWriterMetadata> loaded;
        REQUIRE(vssapi::metadata::examine_saved_writer_metadata(xml, loaded.out()) == S_OK);
        Ref<IVssExamineWriterMetadataEx2> loaded_ex2;
        REQUIRE(loaded->QueryInterface(IID_IVssExamineWriterMetadataEx2, loaded_ex2.out_void()) == S_OK);
        BSTR again = nullptr;
        REQUIRE(loaded_ex2->SaveAsXML(&again) == S_OK);
        CHECK(take(again) == take(xml)); // C-8.5: saved, loaded and saved again, the same text
        REQUIRE(loaded_ex2->QueryInterface(IID_IVssExamineWriterMetadataEx2, examine.out_void()) == S_OK);
    }
    const std::size_t infos_before = WmComponent::debug_outstanding_infos();

    SUBCASE("identity and version")
    {
        VSS_ID instance{}, writer_class{};
        BSTR name = nullptr, instance_name = nullptr;
        VSS_USAGE_TYPE usage = VSS_UT_UNDEFINED;
        VSS_SOURCE_TYPE source = VSS_ST_UNDEFINED;
        REQUIRE(examine->GetIdentity(&instance, &writer_class, &name, &usage, &source) == S_OK);
        CHECK(instance == kWriterInstance);
        CHECK(writer_class == kWriterClass);
        CHECK(take(name) == u"Écrivain 数据 😀");
        CHECK(usage == VSS_UT_USERDATA);
        CHECK(source == VSS_ST_TRANSACTEDDB);

        REQUIRE(examine->GetIdentityEx(&instance, &writer_class, &name, &instance_name, &usage, &source) == S_OK);
        CHECK(instance == kWriterInstance);
        CHECK(writer_class == kWriterClass);
        CHECK(take(name) == u"Écrivain 数据 😀");
        CHECK(take(instance_name) == u"Instance ✓");

        DWORD major = 0, minor = 0;
        REQUIRE(examine->GetVersion(&major, &minor) == S_OK);
        CHECK(major == 3);
        CHECK(minor == 7);
    }
    SUBCASE("writer-level file lists")
    {
        UINT includes = 0, excludes = 0, components = 0, snapshot_excludes = 0;
        REQUIRE(examine->GetFileCounts(&includes, &excludes, &components) == S_OK);
        CHECK(includes == 2);
        CHECK(excludes == 1);
        CHECK(components == 2);
        REQUIRE(examine->GetExcludeFromSnapshotCount(&snapshot_excludes) == S_OK);
        CHECK(snapshot_excludes == 1);

        const DWORD all = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED;
        Ref<IVssWMFiledesc> file;
        REQUIRE(examine->GetIncludeFile(0, file.out()) == S_OK);
        check_file(file.get(), {u"C:\\données", u"*.inc", true, u"D:\\alt 😀", all});
        REQUIRE(examine->GetIncludeFile(1, file.out()) == S_OK);
        check_file(file.get(), {u"C:\\plain", u"a.txt", false, std::nullopt, all});
        REQUIRE(examine->GetExcludeFile(0, file.out()) == S_OK);
        check_file(file.get(), {u"C:\\données\\tmp", u"*.tmp", false, std::nullopt, all});
        REQUIRE(examine->GetExcludeFromSnapshotFile(0, file.out()) == S_OK);
        check_file(file.get(), {u"C:\\big", u"*.vhdx", true, std::nullopt, all});
    }
    SUBCASE("restore method, alternate location mappings and backup schema")
    {
        VSS_RESTOREMETHOD_ENUM method = VSS_RME_UNDEFINED;
        BSTR service = nullptr, user_procedure = nullptr;
        VSS_WRITERRESTORE_ENUM writer_restore = VSS_WRE_UNDEFINED;
        bool reboot = false;
        UINT mappings = 0;
        REQUIRE(examine->GetRestoreMethod(&method, &service, &user_procedure, &writer_restore, &reboot,
                                          &mappings) == S_OK);
        CHECK(method == VSS_RME_STOP_RESTORE_START);
        CHECK(take(service) == u"Service données");
        CHECK(take(user_procedure) == std::nullopt);
        CHECK(writer_restore == VSS_WRE_IF_REPLACE_FAILS);
        CHECK(reboot);
        CHECK(mappings == 1);

        Ref<IVssWMFiledesc> mapping;
        REQUIRE(examine->GetAlternateLocationMapping(0, mapping.out()) == S_OK);
        check_file(mapping.get(), {u"C:\\db 数据", u"main.mdf", false, u"F:\\restauré",
                                   VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED});

        DWORD schema = 0;
        REQUIRE(examine->GetBackupSchema(&schema) == S_OK);
        CHECK(schema == (VSS_BS_DIFFERENTIAL | VSS_BS_COPY | VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES));
    }
    SUBCASE("the database component, its files, logs and dependency")
    {
        Ref<IVssWMComponent> component;
        REQUIRE(examine->GetComponent(0, component.out()) == S_OK);
        PVSSCOMPONENTINFO info = nullptr;
        REQUIRE(component->GetComponentInfo(&info) == S_OK);
        REQUIRE(info != nullptr);
        CHECK(info->type == VSS_CT_DATABASE);
        CHECK(vssapi::com::bstr_view(info->bstrLogicalPath) == kDatabasePath);
        CHECK(vssapi::com::bstr_view(info->bstrComponentName) == kDatabaseName);
        CHECK(SysStringLen(info->bstrComponentName) == kDatabaseName.size());
        CHECK(vssapi::com::bstr_view(info->bstrCaption) == u"Légende ✓");
        REQUIRE(info->cbIcon == sizeof kIcon);
        REQUIRE(info->pbIcon != nullptr);
        CHECK(info->pbIcon != kIcon); // a copy, not the writer's buffer
        CHECK(std::vector<BYTE>(info->pbIcon, info->pbIcon + info->cbIcon) ==
              std::vector<BYTE>(std::begin(kIcon), std::end(kIcon)));
        CHECK_FALSE(info->bRestoreMetadata);
        CHECK(info->bNotifyOnBackupComplete);
        CHECK(info->bSelectable);
        CHECK(info->bSelectableForRestore);
        CHECK(info->dwComponentFlags == (VSS_CF_BACKUP_RECOVERY | VSS_CF_APP_ROLLBACK_RECOVERY));
        CHECK(info->cFileCount == 0);
        CHECK(info->cDatabases == 2);
        CHECK(info->cLogFiles == 1);
        CHECK(info->cDependencies == 1);
        CHECK(WmComponent::debug_outstanding_infos() == infos_before + 1);
        CHECK(component->FreeComponentInfo(info) == S_OK);

        check_files(component.get(), &IVssWMComponent::GetFile, {});
        check_files(component.get(), &IVssWMComponent::GetDatabaseFile,
                    {{u"C:\\db 数据", u"main.mdf", false, std::nullopt,
                      VSS_FSBT_FULL_BACKUP_REQUIRED | VSS_FSBT_FULL_SNAPSHOT_REQUIRED},
                     {u"C:\\db2", u"*.ndf", false, std::nullopt, 0xF0F}});
        check_files(component.get(), &IVssWMComponent::GetDatabaseLogFile,
                    {{u"C:\\logs", u"*.ldf", false, std::nullopt, VSS_FSBT_LOG_BACKUP_REQUIRED}});
        check_dependency(component.get(), 0, kOtherWriter, u"Autre\\Chemin", u"Composant 😀");
        Ref<IVssWMDependency> past_end;
        CHECK(component->GetDependency(1, past_end.out()) == VSS_E_OBJECT_NOT_FOUND);
        CHECK(!past_end);
    }
    SUBCASE("the file group at the root: optional strings are NULL")
    {
        Ref<IVssWMComponent> component;
        REQUIRE(examine->GetComponent(1, component.out()) == S_OK);
        PVSSCOMPONENTINFO info = nullptr;
        REQUIRE(component->GetComponentInfo(&info) == S_OK);
        CHECK(info->type == VSS_CT_FILEGROUP);
        CHECK(info->bstrLogicalPath == nullptr);
        CHECK(vssapi::com::bstr_view(info->bstrComponentName) == u"Config");
        CHECK(info->bstrCaption == nullptr);
        CHECK(info->pbIcon == nullptr);
        CHECK(info->cbIcon == 0);
        CHECK_FALSE(info->bNotifyOnBackupComplete);
        CHECK_FALSE(info->bSelectable);
        CHECK_FALSE(info->bSelectableForRestore);
        CHECK(info->dwComponentFlags == 0);
        CHECK(info->cFileCount == 2);
        CHECK(info->cDatabases == 0);
        CHECK(info->cLogFiles == 0);
        CHECK(info->cDependencies == 1);
        CHECK(component->FreeComponentInfo(info) == S_OK);

        check_files(component.get(), &IVssWMComponent::GetFile,
                    {{u"C:\\cfg", u"*.ini", true, u"E:\\alt cfg", 0xF0F},
                     {u"C:\\cfg2", u"app.xml", false, std::nullopt, VSS_FSBT_CREATED_DURING_BACKUP}});
        check_files(component.get(), &IVssWMComponent::GetDatabaseFile, {});
        check_files(component.get(), &IVssWMComponent::GetDatabaseLogFile, {});
        check_dependency(component.get(), 0, kWriterClass, std::nullopt, u"Root");
    }
    SUBCASE("a component outlives the examine object and every other owner of the snapshot")
    {
        Ref<IVssWMComponent> component;
        REQUIRE(examine->GetComponent(0, component.out()) == S_OK);
        examine.reset();
        identity.reset();
        target.reset();
        Ref<IVssWMFiledesc> file;
        REQUIRE(component->GetDatabaseFile(1, file.out()) == S_OK);
        BSTR path = nullptr;
        REQUIRE(file->GetPath(&path) == S_OK);
        CHECK(take(path) == u"C:\\db2");
    }
    CHECK(WmComponent::debug_outstanding_infos() == infos_before);
}

} // namespace

TEST_SUITE("metadata") {

TEST_CASE("C-1.3 what a writer declares in OnIdentify reads back field for field, UTF-16 unchanged")
{
    read_back_everything(false);
}

TEST_CASE("C-8.4 the saved Writer Metadata Document gives back every field OnIdentify can set")
{
    read_back_everything(true);
}

} // TEST_SUITE
