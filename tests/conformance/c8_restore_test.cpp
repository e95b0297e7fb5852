// Contract C-3.2 and C-8: the Backup Components Document (SaveAsXML,
// InitializeForRestore, InitializeForBackup(xml)) and the restore sequence,
// through the SDK's API only. A "new process" is a new coordinator with new
// writer objects: all that crosses is the document's text.
#include "support/c_callers.h"
#include "vss_fixture.h"

#include <cstdio>
#include <cstring>
#include <map>

using namespace conformance;

namespace {

std::u16string text(BSTR value)
{
    return value == nullptr ? std::u16string() : std::u16string(reinterpret_cast<const char16_t *>(value), SysStringLen(value));
}

std::u16string take(BSTR value)
{
    std::u16string out = text(value);
    SysFreeString(value);
    return out;
}

std::u16string guid_text(const GUID &id)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
                  static_cast<unsigned long>(id.Data1), id.Data2, id.Data3, id.Data4[0], id.Data4[1], id.Data4[2],
                  id.Data4[3], id.Data4[4], id.Data4[5], id.Data4[6], id.Data4[7]);
    return std::u16string(buffer, buffer + std::strlen(buffer));
}

bool contains(const std::u16string &haystack, const std::u16string &needle)
{
    return haystack.find(needle) != std::u16string::npos;
}

// Two components, selectable for backup and for restore.
bool declare_a_and_b(TestWriter &, IVssCreateWriterMetadataEx *metadata)
{
    for (const char16_t *name : {u"Database A", u"Database B"}) {
        if (metadata->AddComponent(VSS_CT_FILEGROUP, W(u"Data"), W(name), nullptr, nullptr, 0, true, false, true,
                                   true) != S_OK) {
            return false;
        }
    }
    return true;
}

std::u16string name_of(IVssComponent *component)
{
    BSTR name = nullptr;
    REQUIRE(component->GetComponentName(&name) == S_OK);
    return take(name);
}

// Runs fn(component, its name) on every component a handler (or the requester) holds.
template <class Fn>
void each(IVssWriterComponents *components, Fn fn)
{
    REQUIRE(components != nullptr);
    UINT count = 0;
    REQUIRE(components->GetComponentCount(&count) == S_OK);
    for (UINT i = 0; i < count; ++i) {
        IVssComponent *component = nullptr;
        REQUIRE(components->GetComponent(i, &component) == S_OK);
        fn(component, name_of(component));
        component->Release();
    }
}

// A writer that stores metadata and a stamp per component in OnPrepareBackup
// and a partial file in OnPostSnapshot.
void write_backup_data(TestWriter &writer)
{
    writer.on_identify(&declare_a_and_b);
    writer.on(On::PrepareBackup, [](TestWriter &, IVssWriterComponents *components) {
        each(components, [](IVssComponent *component, const std::u16string &name) {
            const std::u16string metadata = u"meta:" + name, stamp = u"stamp:" + name;
            CHECK(component->SetBackupMetadata(W(metadata.c_str())) == S_OK);
            CHECK(component->SetBackupStamp(W(stamp.c_str())) == S_OK);
        });
        return true;
    });
    writer.on(On::PostSnapshot, [](TestWriter &, IVssWriterComponents *components) {
        each(components, [](IVssComponent *component, const std::u16string &) {
            CHECK(component->AddPartialFile(W(u"C:\\data"), W(u"log.bin"), W(u"0:4096"), W(u"tail")) == S_OK);
        });
        return true;
    });
}

// A finished backup of `writers` (already subscribed), its document saved
// after DoSnapshotSet.
std::u16string backed_up_document()
{
    Requester requester;
    requester.gather();
    requester.select_all_components();
    requester.prepare();
    REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    std::u16string xml = requester.save_document();
    REQUIRE(requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
    return xml;
}

BSTR bstr(const std::u16string &value)
{
    return SysAllocStringLen(reinterpret_cast<const OLECHAR *>(value.data()), static_cast<UINT>(value.size()));
}

HRESULT initialize_for_restore(Requester &requester, const std::u16string &xml)
{
    BSTR document = bstr(xml);
    const HRESULT hr = requester->InitializeForRestore(document);
    SysFreeString(document);
    return hr;
}

HRESULT select(Requester &requester, const GUID &writer, const char16_t *name, bool selected = true)
{
    return requester->SetSelectedForRestore(writer, VSS_CT_FILEGROUP, W(u"Data"), W(name), selected);
}

// The requester's view of one component of the restore document.
template <class Fn>
void with_requester_component(Requester &requester, const std::u16string &wanted, Fn fn)
{
    UINT writers = 0;
    REQUIRE(requester->GetWriterComponentsCount(&writers) == S_OK);
    bool found = false;
    for (UINT w = 0; w < writers; ++w) {
        IVssWriterComponentsExt *components = nullptr;
        REQUIRE(requester->GetWriterComponents(w, &components) == S_OK);
        each(components, [&](IVssComponent *component, const std::u16string &name) {
            if (name == wanted) {
                found = true;
                fn(component);
            }
        });
        components->Release();
    }
    CHECK(found);
}

} // namespace

TEST_CASE("C-8.1 SaveAsXML from PrepareForBackup's completion on holds the session and what writers wrote")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    write_backup_data(writer);
    Requester requester;
    requester.gather();
    requester.select_all_components();
    BSTR xml = reinterpret_cast<BSTR>(0x1);
    CHECK(requester->SaveAsXML(&xml) == VSS_E_BAD_STATE); // before PrepareForBackup completed
    CHECK(xml == nullptr);
    CHECK(requester->SaveAsXML(nullptr) == E_INVALIDARG);
    requester.prepare();
    const std::u16string prepared = requester.save_document();
    CHECK(contains(prepared, u"backupType=\"full\""));
    CHECK(contains(prepared, u"selectComponents=\"yes\""));
    CHECK(contains(prepared, u"snapshotSetId=\"" + guid_text(requester.snapshot_set_id) + u"\""));
    CHECK(contains(prepared, u"writerId=\"" + guid_text(test_guid(1)) + u"\""));
    CHECK(contains(prepared, u"componentName=\"Database A\""));
    CHECK(contains(prepared, u"backupStamp=\"stamp:Database B\""));
    CHECK(contains(prepared, u"<BACKUP_METADATA metadata=\"meta:Database A\""));
    CHECK_FALSE(contains(prepared, u"PARTIAL_FILE")); // written in OnPostSnapshot, still to come
    REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    const std::u16string snapshotted = requester.save_document();
    CHECK(contains(snapshotted, u"<PARTIAL_FILE path=\"C:\\data\" filename=\"log.bin\" ranges=\"0:4096\""));
}

TEST_CASE("C-8.1 SaveAsXML during a restore is VSS_E_BAD_STATE")
{
    std::u16string xml;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        write_backup_data(writer);
        xml = backed_up_document();
    }
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    requester.begin_restore(xml);
    BSTR saved = nullptr;
    CHECK(requester->SaveAsXML(&saved) == VSS_E_BAD_STATE);
    CHECK(saved == nullptr);
}

TEST_CASE("C-3.2 C-8.2 a restore in a new process: writers read back their backup data and the requester's choices")
{
    std::u16string xml;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        TestWriter other{u"Other", test_guid(2)};
        write_backup_data(writer);
        write_backup_data(other);
        xml = backed_up_document();
    }

    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)}; // a new instance id: matched by class (C-8.2)
    TestWriter other{u"Other", test_guid(2)};
    writer.on_identify(&declare_a_and_b);
    other.on_identify(&declare_a_and_b);
    struct Seen {
        bool selected = false;
        std::u16string metadata, stamp, options;
        UINT new_targets = 0;
        bool additional = false;
        VSS_FILE_RESTORE_STATUS file_status = VSS_RS_UNDEFINED;
        std::u16string restore_metadata;
    };
    std::map<std::u16string, Seen> pre, post;
    VSS_RESTORE_TYPE restore_type = VSS_RTYPE_UNDEFINED;
    writer.on(On::PreRestore, [&](TestWriter &w, IVssWriterComponents *components) {
        restore_type = w.GetRestoreType();
        each(components, [&](IVssComponent *component, const std::u16string &name) {
            Seen &seen = pre[name];
            REQUIRE(component->IsSelectedForRestore(&seen.selected) == S_OK);
            BSTR value = nullptr;
            REQUIRE(component->GetBackupMetadata(&value) == S_OK);
            seen.metadata = take(value);
            REQUIRE(component->GetBackupStamp(&value) == S_OK);
            seen.stamp = take(value);
            if (component->GetRestoreOptions(&value) == S_OK) {
                seen.options = take(value);
            }
            REQUIRE(component->GetNewTargetCount(&seen.new_targets) == S_OK);
            REQUIRE(component->GetAdditionalRestores(&seen.additional) == S_OK);
            if (seen.selected) {
                CHECK(component->SetRestoreMetadata(W(u"restored by Writer")) == S_OK);
                CHECK(component->SetRestoreTarget(VSS_RT_ORIGINAL) == S_OK);
            }
        });
        return true;
    });
    writer.on(On::PostRestore, [&](TestWriter &, IVssWriterComponents *components) {
        each(components, [&](IVssComponent *component, const std::u16string &name) {
            Seen &seen = post[name];
            REQUIRE(component->GetFileRestoreStatus(&seen.file_status) == S_OK);
            BSTR value = nullptr;
            if (component->GetRestoreMetadata(&value) == S_OK) {
                seen.restore_metadata = take(value);
            }
        });
        return true;
    });

    Requester requester;
    BSTR null_document = nullptr;
    CHECK(requester->InitializeForRestore(null_document) == E_INVALIDARG);
    requester.begin_restore(xml);
    // The requester reads the document's components as the backup left them.
    with_requester_component(requester, u"Database B", [](IVssComponent *component) {
        BSTR stamp = nullptr;
        REQUIRE(component->GetBackupStamp(&stamp) == S_OK);
        CHECK(take(stamp) == u"stamp:Database B");
    });
    REQUIRE(select(requester, test_guid(1), u"Database A") == S_OK);
    REQUIRE(requester->SetRestoreOptions(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A"),
                                         W(u"overwrite")) == S_OK);
    REQUIRE(requester->SetAdditionalRestores(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A"), true) ==
            S_OK);
    REQUIRE(requester->AddNewTarget(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A"), W(u"C:\\data"),
                                    W(u"log.bin"), false, W(u"D:\\elsewhere")) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::PreRestore) == VSS_S_ASYNC_FINISHED);
    CHECK(requester.status_of(u"Writer").state == VSS_WS_STABLE);
    REQUIRE(requester->SetFileRestoreStatus(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A"),
                                            VSS_RS_ALL) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::PostRestore) == VSS_S_ASYNC_FINISHED);
    CHECK(requester.status_of(u"Writer").state == VSS_WS_STABLE);

    CHECK(restore_type == VSS_RTYPE_BY_COPY); // SetRestoreState's default
    CHECK(pre[u"Database A"].selected);
    CHECK(pre[u"Database A"].metadata == u"meta:Database A");
    CHECK(pre[u"Database A"].stamp == u"stamp:Database A");
    CHECK(pre[u"Database A"].options == u"overwrite");
    CHECK(pre[u"Database A"].new_targets == 1);
    CHECK(pre[u"Database A"].additional);
    CHECK_FALSE(pre[u"Database B"].selected); // each call changes only its component (C-8.6)
    CHECK(pre[u"Database B"].options.empty());
    CHECK(pre[u"Database B"].metadata == u"meta:Database B");
    CHECK(post[u"Database A"].file_status == VSS_RS_ALL);
    CHECK(post[u"Database A"].restore_metadata == u"restored by Writer");
    // C-8.7: nothing of Other's was selected, so it gets no restore event.
    CHECK(other.count(On::PreRestore) == 0);
    CHECK(other.count(On::PostRestore) == 0);
    CHECK(writer.count(On::PreRestore) == 1);
    CHECK(writer.count(On::PostRestore) == 1);
}

TEST_CASE("C-8.7 failures in a restore read back as in a backup; a writer failing OnPreRestore gets no OnPostRestore")
{
    std::u16string xml;
    {
        Isolated isolated;
        TestWriter pre_fails{u"PreFails", test_guid(1)};
        TestWriter post_fails{u"PostFails", test_guid(2)};
        write_backup_data(pre_fails);
        write_backup_data(post_fails);
        xml = backed_up_document();
    }
    Isolated isolated;
    TestWriter pre_fails{u"PreFails", test_guid(1)};
    TestWriter post_fails{u"PostFails", test_guid(2)};
    pre_fails.on_identify(&declare_a_and_b);
    post_fails.on_identify(&declare_a_and_b);
    pre_fails.on(On::PreRestore, [](TestWriter &w, IVssWriterComponents *) {
        CHECK(w.SetWriterFailureEx(VSS_E_WRITERERROR_NONRETRYABLE, 0x77, W(u"cannot stop the service")) == S_OK);
        return false;
    });
    post_fails.on(On::PostRestore, [](TestWriter &w, IVssWriterComponents *components) {
        each(components, [](IVssComponent *component, const std::u16string &name) {
            if (name != u"Database A") {
                return;
            }
            CHECK(component->SetPostRestoreFailureMsg(W(u"replay failed")) == S_OK);
            void *ex2 = nullptr;
            REQUIRE(component->QueryInterface(IID_IVssComponentEx2, &ex2) == S_OK);
            CHECK(static_cast<IVssComponentEx2 *>(ex2)->SetFailure(VSS_E_WRITERERROR_RETRYABLE, 0x55,
                                                                   W(u"log 7 missing"), 0) == S_OK);
            static_cast<IVssComponentEx2 *>(ex2)->Release();
        });
        CHECK(w.SetWriterFailureEx(VSS_E_WRITERERROR_PARTIAL_FAILURE, 0x56, W(u"one component failed")) == S_OK);
        return true;
    });
    Requester requester;
    requester.begin_restore(xml);
    REQUIRE(select(requester, test_guid(1), u"Database A") == S_OK);
    REQUIRE(select(requester, test_guid(2), u"Database A") == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::PreRestore) == VSS_S_ASYNC_FINISHED);
    REQUIRE(requester.run(&IVssBackupComponents::PostRestore) == VSS_S_ASYNC_FINISHED);

    const StatusRow pre_row = requester.status_of(u"PreFails");
    CHECK(pre_row.state == VSS_WS_FAILED_AT_PRE_RESTORE);
    CHECK(pre_row.hr_writer == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(pre_row.hr_application == 0x77);
    CHECK(pre_row.message == u"cannot stop the service");
    CHECK(pre_fails.count(On::PostRestore) == 0);

    const StatusRow post_row = requester.status_of(u"PostFails");
    CHECK(post_row.state == VSS_WS_FAILED_AT_POST_RESTORE);
    CHECK(post_row.hr_writer == VSS_E_WRITERERROR_PARTIAL_FAILURE);
    CHECK(post_row.hr_application == 0x56);
    CHECK(post_row.message == u"one component failed");

    UINT writers = 0;
    REQUIRE(requester->GetWriterComponentsCount(&writers) == S_OK);
    CHECK(writers == 2); // the document's writers
    IVssWriterComponentsExt *components = nullptr;
    REQUIRE(requester->GetWriterComponents(1, &components) == S_OK);
    VSS_ID instance{}, klass{};
    REQUIRE(components->GetWriterInfo(&instance, &klass) == S_OK);
    CHECK(IsEqualGUID(klass, test_guid(2)));
    each(components, [](IVssComponent *component, const std::u16string &name) {
        void *ex2 = nullptr;
        REQUIRE(component->QueryInterface(IID_IVssComponentEx2, &ex2) == S_OK);
        HRESULT hr = E_FAIL, application = E_FAIL;
        BSTR message = nullptr;
        DWORD reserved = 1;
        REQUIRE(static_cast<IVssComponentEx2 *>(ex2)->GetFailure(&hr, &application, &message, &reserved) == S_OK);
        BSTR post_message = nullptr;
        const HRESULT has_message = component->GetPostRestoreFailureMsg(&post_message);
        if (name == u"Database A") {
            CHECK(hr == VSS_E_WRITERERROR_RETRYABLE);
            CHECK(application == 0x55);
            CHECK(take(message) == u"log 7 missing");
            CHECK(has_message == S_OK);
            CHECK(take(post_message) == u"replay failed");
        } else {
            CHECK(hr == S_OK);
            CHECK(message == nullptr);
            CHECK(has_message == S_FALSE);
        }
        static_cast<IVssComponentEx2 *>(ex2)->Release();
    });
    components->Release();
}

TEST_CASE("C-8.6 restore setters name a component of the document, only in a restore and before PreRestore")
{
    std::u16string xml;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        write_backup_data(writer);
        Requester backup;
        backup.gather();
        backup.select_all_components();
        // In a backup session every restore setter is out of order.
        CHECK(select(backup, test_guid(1), u"Database A") == VSS_E_BAD_STATE);
        CHECK(backup->SetRestoreState(VSS_RTYPE_BY_COPY) == VSS_E_BAD_STATE);
        CHECK(backup->SetFileRestoreStatus(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A"),
                                           VSS_RS_ALL) == VSS_E_BAD_STATE);
        IVssAsync *async = reinterpret_cast<IVssAsync *>(0x1);
        CHECK(backup->PreRestore(&async) == VSS_E_BAD_STATE);
        CHECK(async == nullptr);
        backup.prepare();
        xml = backup.save_document();
    }
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on_identify(&declare_a_and_b);
    Requester requester;
    REQUIRE(initialize_for_restore(requester, xml) == S_OK);
    // Before GatherWriterMetadata the document is there to decide on.
    CHECK(select(requester, test_guid(1), u"Database B") == S_OK);
    CHECK(select(requester, test_guid(1), u"No Such Component") == VSS_E_OBJECT_NOT_FOUND);
    CHECK(select(requester, test_guid(9), u"Database A") == VSS_E_OBJECT_NOT_FOUND);
    CHECK(requester->SetSelectedForRestoreEx(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A"), true,
                                             test_guid(42)) == VSS_E_OBJECT_NOT_FOUND); // no such instance
    CHECK(requester->SetSelectedForRestore(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), nullptr, true) ==
          E_INVALIDARG);
    CHECK(c_set_restore_state(reinterpret_cast<IVssBackupComponents *>(requester.get()), 77) == E_INVALIDARG);
    CHECK(requester->SetRestoreState(VSS_RTYPE_OTHER) == S_OK);
    CHECK(requester->SetRollForward(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"), VSS_RF_PARTIAL,
                                    nullptr) == E_INVALIDARG);
    CHECK(requester->SetRollForward(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"), VSS_RF_PARTIAL,
                                    W(u"log 12")) == S_OK);
    CHECK(requester->SetRangesFilePath(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"), 0,
                                       W(u"C:\\ranges")) == E_INVALIDARG); // no partial file before OnPostSnapshot
    CHECK(requester->SetRestoreName(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"), W(u"B-restored")) ==
          S_OK);
    CHECK(requester->SetAuthoritativeRestore(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"), true) ==
          S_OK);
    CHECK(requester->AddRestoreSubcomponent(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"),
                                            W(u"Data\\Database B"), W(u"Part 1"), true) == S_OK);
    CHECK(requester->AddAlternativeLocationMapping(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"),
                                                   W(u"C:\\data"), W(u"*.bin"), true, W(u"E:\\moved")) == S_OK);
    CHECK(requester->SetFileRestoreStatus(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"),
                                          VSS_RS_ALL) == VSS_E_BAD_STATE); // before PreRestore
    IVssAsync *async = nullptr;
    CHECK(requester->PreRestore(&async) == VSS_E_BAD_STATE); // before GatherWriterMetadata
    REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);

    // What the writer reads of B, and that A is untouched.
    struct {
        bool a_selected = true, b_selected = false, authoritative = false, repair = false;
        VSS_ROLLFORWARD_TYPE roll = VSS_RF_UNDEFINED;
        std::u16string point, restore_name, sub_name, mapping_destination;
        UINT mappings = 0;
        VSS_RESTORE_TYPE type = VSS_RTYPE_UNDEFINED;
    } seen;
    writer.on(On::PreRestore, [&](TestWriter &w, IVssWriterComponents *components) {
        seen.type = w.GetRestoreType();
        each(components, [&](IVssComponent *component, const std::u16string &name) {
            if (name == u"Database A") {
                REQUIRE(component->IsSelectedForRestore(&seen.a_selected) == S_OK);
                return;
            }
            REQUIRE(component->IsSelectedForRestore(&seen.b_selected) == S_OK);
            void *ex = nullptr;
            REQUIRE(component->QueryInterface(IID_IVssComponentEx, &ex) == S_OK);
            auto *component_ex = static_cast<IVssComponentEx *>(ex);
            REQUIRE(component_ex->GetAuthoritativeRestore(&seen.authoritative) == S_OK);
            BSTR value = nullptr;
            REQUIRE(component_ex->GetRollForward(&seen.roll, &value) == S_OK);
            seen.point = take(value);
            REQUIRE(component_ex->GetRestoreName(&value) == S_OK);
            seen.restore_name = take(value);
            component_ex->Release();
            UINT subs = 0;
            REQUIRE(component->GetRestoreSubcomponentCount(&subs) == S_OK);
            REQUIRE(subs == 1);
            BSTR sub_path = nullptr, sub_name = nullptr;
            REQUIRE(component->GetRestoreSubcomponent(0, &sub_path, &sub_name, &seen.repair) == S_OK);
            SysFreeString(sub_path);
            seen.sub_name = take(sub_name);
            REQUIRE(component->GetAlternateLocationMappingCount(&seen.mappings) == S_OK);
            IVssWMFiledesc *mapping = nullptr;
            REQUIRE(component->GetAlternateLocationMapping(0, &mapping) == S_OK);
            REQUIRE(mapping->GetAlternateLocation(&value) == S_OK);
            seen.mapping_destination = take(value);
            mapping->Release();
            CHECK(component->GetAlternateLocationMapping(1, &mapping) == VSS_E_OBJECT_NOT_FOUND);
        });
        return true;
    });
    REQUIRE(requester.run(&IVssBackupComponents::PreRestore) == VSS_S_ASYNC_FINISHED);
    CHECK_FALSE(seen.a_selected);
    CHECK(seen.b_selected);
    CHECK(seen.type == VSS_RTYPE_OTHER);
    CHECK(seen.authoritative);
    CHECK(seen.roll == VSS_RF_PARTIAL);
    CHECK(seen.point == u"log 12");
    CHECK(seen.restore_name == u"B-restored");
    CHECK(seen.sub_name == u"Part 1");
    CHECK(seen.repair);
    CHECK(seen.mappings == 1);
    CHECK(seen.mapping_destination == u"E:\\moved");
    // After PreRestore the choices are made.
    CHECK(select(requester, test_guid(1), u"Database A") == VSS_E_BAD_STATE);
    CHECK(requester->SetFileRestoreStatus(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"),
                                          static_cast<VSS_FILE_RESTORE_STATUS>(9)) == E_INVALIDARG);
    CHECK(requester->SetFileRestoreStatus(test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database B"),
                                          VSS_RS_FAILED) == S_OK);
}

TEST_CASE("C-8.2 InitializeForBackup(xml) resumes a saved backup document")
{
    std::u16string xml;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        write_backup_data(writer);
        xml = backed_up_document();
    }
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on_identify(&declare_a_and_b);
    Requester requester;
    BSTR document = bstr(xml);
    REQUIRE(requester->InitializeForBackup(document) == S_OK);
    SysFreeString(document);
    REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
    UINT writers = 0;
    REQUIRE(requester->GetWriterComponentsCount(&writers) == S_OK);
    REQUIRE(writers == 1);
    with_requester_component(requester, u"Database A", [](IVssComponent *component) {
        BSTR stamp = nullptr;
        REQUIRE(component->GetBackupStamp(&stamp) == S_OK);
        CHECK(take(stamp) == u"stamp:Database A");
        UINT partial = 0;
        REQUIRE(component->GetPartialFileCount(&partial) == S_OK);
        CHECK(partial == 1);
    });
    // Already in the document: adding it again is refused as in any backup.
    VSS_ID instance{};
    IVssExamineWriterMetadata *metadata = nullptr;
    REQUIRE(requester->GetWriterMetadata(0, &instance, &metadata) == S_OK);
    metadata->Release();
    CHECK(requester->AddComponent(instance, test_guid(1), VSS_CT_FILEGROUP, W(u"Data"), W(u"Database A")) ==
          VSS_E_OBJECT_ALREADY_EXISTS);
}

TEST_CASE("C-8.3 a bad document is VSS_E_INVALID_XML_DOCUMENT, changes nothing, and the object stays usable")
{
    std::u16string good;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        write_backup_data(writer);
        good = backed_up_document();
    }
    const std::u16string open = u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.2\"";
    std::u16string deep = open + u">";
    for (int i = 0; i < 100000; ++i) {
        deep += u"<WRITER_COMPONENTS>";
    }
    const std::u16string bad[] = {
        u"",
        u"not xml at all",
        u"<BACKUP_COMPONENTS",
        u"<WRITER_METADATA xmlns=\"x-schema:#VssWriterMetadataInfo\" version=\"1.2\"/>",
        u"<BACKUP_COMPONENTS version=\"1.2\"/>",
        u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"2.0\"/>",
        u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.3\"/>",
        u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\"/>",
        open + u"><WRITER_COMPONENTS/></BACKUP_COMPONENTS>",
        open + u"><WRITER_COMPONENTS writerId=\"{not-a-guid}\"/></BACKUP_COMPONENTS>",
        open + u" backupType=\"sometimes\"/>",
        open + u" selectComponents=\"maybe\"/>",
        open + u"><WRITER_COMPONENTS writerId=\"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\"><COMPONENT "
               u"componentType=\"filegroup\"/></WRITER_COMPONENTS></BACKUP_COMPONENTS>",
        open + u"><SURPRISE/></BACKUP_COMPONENTS>",
        std::u16string(9u * 1024u * 1024u, u' ') + u"<x/>", // past the size limit
        deep,
    };
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on_identify(&declare_a_and_b);
    Requester requester;
    for (const std::u16string &document : bad) {
        CAPTURE(narrow(document.substr(0, 120)));
        CHECK(initialize_for_restore(requester, document) == VSS_E_INVALID_XML_DOCUMENT);
        BSTR text_bstr = bstr(document);
        CHECK(requester->InitializeForBackup(text_bstr) == VSS_E_INVALID_XML_DOCUMENT);
        SysFreeString(text_bstr);
    }
    // Nothing changed: still a new object, and a good document is taken.
    CHECK(select(requester, test_guid(1), u"Database A") == VSS_E_BAD_STATE);
    REQUIRE(initialize_for_restore(requester, good) == S_OK);
    CHECK(select(requester, test_guid(1), u"Database A") == S_OK);
    CHECK(initialize_for_restore(requester, good) == VSS_E_BAD_STATE); // once per object
}

TEST_CASE("C-8.4 a writer's saved metadata restores when that writer is not running")
{
    std::u16string bcd, wmd, wmd_in_identify;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        write_backup_data(writer);
        writer.on_identify([&](TestWriter &w, IVssCreateWriterMetadataEx *metadata) {
            REQUIRE(declare_a_and_b(w, metadata));
            CHECK(metadata->AddFilesToFileGroup(W(u"Data"), W(u"Database A"), W(u"C:\\data"), W(u"*.db"), true,
                                                nullptr, VSS_FSBT_ALL_BACKUP_REQUIRED) == S_OK);
            BSTR saved = nullptr;
            CHECK(metadata->SaveAsXML(&saved) == S_OK);
            wmd_in_identify = take(saved);
            IXMLDOMDocument *dom = reinterpret_cast<IXMLDOMDocument *>(0x1);
            CHECK(metadata->GetDocument(&dom) == E_NOINTERFACE); // no MSXML DOM here; SaveAsXML is the document
            CHECK(dom == nullptr);
            return true;
        });
        Requester requester;
        requester.gather();
        VSS_ID instance{};
        IVssExamineWriterMetadata *metadata = nullptr;
        REQUIRE(requester->GetWriterMetadata(0, &instance, &metadata) == S_OK);
        BSTR saved = nullptr;
        REQUIRE(metadata->SaveAsXML(&saved) == S_OK);
        wmd = take(saved);
        metadata->Release();
        requester.select_all_components();
        requester.prepare();
        REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
        bcd = requester.save_document();
    }
    CHECK(wmd == wmd_in_identify); // what the writer saved is what the requester got
    CHECK(contains(wmd, u"friendlyName=\"Writer\""));

    Isolated isolated; // the writer's process is not running
    BSTR document = bstr(wmd);
    IVssExamineWriterMetadata *metadata = nullptr;
    REQUIRE(CreateVssExamineWriterMetadata(document, &metadata) == S_OK);
    SysFreeString(document);
    VSS_ID instance{}, klass{};
    BSTR name = nullptr;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    REQUIRE(metadata->GetIdentity(&instance, &klass, &name, &usage, &source) == S_OK);
    CHECK(take(name) == u"Writer");
    CHECK(IsEqualGUID(klass, test_guid(1)));
    UINT include = 0, exclude = 0, count = 0;
    REQUIRE(metadata->GetFileCounts(&include, &exclude, &count) == S_OK);
    REQUIRE(count == 2);
    IVssWMComponent *component = nullptr;
    REQUIRE(metadata->GetComponent(0, &component) == S_OK);
    IVssWMFiledesc *file = nullptr;
    REQUIRE(component->GetFile(0, &file) == S_OK);
    BSTR path = nullptr;
    REQUIRE(file->GetPath(&path) == S_OK);
    CHECK(take(path) == u"C:\\data");
    file->Release();
    component->Release();
    metadata->Release();

    IVssExamineWriterMetadata *refused = reinterpret_cast<IVssExamineWriterMetadata *>(0x1);
    BSTR not_a_document = bstr(u"<nope/>");
    CHECK(CreateVssExamineWriterMetadata(not_a_document, &refused) == VSS_E_INVALID_XML_DOCUMENT);
    CHECK(refused == nullptr);
    SysFreeString(not_a_document);
    CHECK(CreateVssExamineWriterMetadata(nullptr, &refused) == E_INVALIDARG);

    Requester requester;
    requester.begin_restore(bcd);
    UINT writers = 9;
    REQUIRE(requester->GetWriterMetadataCount(&writers) == S_OK);
    CHECK(writers == 0);
    REQUIRE(select(requester, test_guid(1), u"Database A") == S_OK);
    CHECK(requester.run(&IVssBackupComponents::PreRestore) == VSS_S_ASYNC_FINISHED);
    CHECK(requester.run(&IVssBackupComponents::PostRestore) == VSS_S_ASYNC_FINISHED);
}

TEST_CASE("C-8.2 ImportSnapshots of a resumed document: its set holds no transportable snapshot")
{
    std::u16string xml;
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        write_backup_data(writer);
        xml = backed_up_document();
    }
    Isolated isolated;
    Requester requester;
    BSTR document = bstr(xml);
    REQUIRE(requester->InitializeForBackup(document) == S_OK);
    SysFreeString(document);
    CHECK(requester.run(&IVssBackupComponents::ImportSnapshots) == VSS_E_NO_SNAPSHOTS_IMPORTED);
}
