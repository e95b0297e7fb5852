// Contract C-3: the backup sequence, writer states, aborts and call order.
#include "vss_fixture.h"

#include "core/snapshot_provider.h"

#include <algorithm>
#include <mutex>

using namespace conformance;

namespace {

const std::vector<On> kFullBackup = {On::Identify,     On::PrepareBackup, On::PrepareSnapshot,
                                     On::Freeze,       On::Thaw,          On::PostSnapshot,
                                     On::BackupComplete, On::BackupShutdown};

// A provider that refuses every commit with `code`.
class RefusingProvider final : public vssapi::core::SnapshotProvider {
public:
    explicit RefusingProvider(HRESULT code) : code_(code) {}
    GUID id() const override { return vssapi::core::kInMemoryProviderId; }
    HRESULT commit(vssapi::core::SnapshotSetRequest &) override { return code_; }

private:
    HRESULT code_;
};

} // namespace

TEST_CASE("C-3.1 backup: each requester step sends its events in order and leaves the documented state")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    GUID session_in_handler{};
    GUID set_in_freeze{};
    writer.on(On::Freeze, [&](TestWriter &w, IVssWriterComponents *) {
        w.GetSessionId(&session_in_handler);
        set_in_freeze = w.GetCurrentSnapshotSetId();
        return true;
    });
    Requester requester;
    requester.gather();
    CHECK(writer.events() == std::vector<On>{On::Identify});
    CHECK(requester.status_of(u"Writer").state == VSS_WS_STABLE);
    requester.prepare();
    CHECK(requester.status_of(u"Writer").state == VSS_WS_STABLE);
    CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    CHECK(requester.status_of(u"Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
    CHECK(requester.status_of(u"Writer").state == VSS_WS_STABLE);

    VSS_ID session{};
    REQUIRE(requester->GetSessionId(&session) == S_OK);
    CHECK(IsEqualGUID(session, session_in_handler));
    CHECK(IsEqualGUID(set_in_freeze, requester.snapshot_set_id));
    const GUID set_id = requester.snapshot_set_id;
    requester.release();
    CHECK(writer.events() == kFullBackup);
    CHECK(IsEqualGUID(writer.deliveries().back().argument, set_id));
}

TEST_CASE("C-3.1 OnBackupShutdown carries GUID_NULL when no snapshot was made")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    {
        Requester requester;
        requester.gather();
        requester.prepare();
    }
    REQUIRE(writer.events().back() == On::BackupShutdown);
    CHECK(IsEqualGUID(writer.deliveries().back().argument, GUID_NULL));
}

TEST_CASE("C-3.3 a writer that fails Identify is absent from the metadata and status lists")
{
    Isolated isolated;
    TestWriter good{u"Good", test_guid(1)};
    TestWriter refuses{u"Refuses", test_guid(2)};
    TestWriter throws{u"Throws", test_guid(3)};
    refuses.on_identify([](TestWriter &, IVssCreateWriterMetadataEx *) { return false; });
    throws.on_identify([](TestWriter &, IVssCreateWriterMetadataEx *) -> bool { throw 42; });
    {
        Requester requester;
        requester.gather();
        UINT count = 0;
        REQUIRE(requester->GetWriterMetadataCount(&count) == S_OK);
        CHECK(count == 1);
        const auto rows = requester.status();
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].name == u"Good");
        requester.prepare();
        CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    }
    CHECK(refuses.events() == std::vector<On>{On::Identify});
    CHECK(throws.events() == std::vector<On>{On::Identify});
    CHECK(good.count(On::Thaw) == 1);
}

TEST_CASE("C-3.4 a writer that failed gets only OnAbort and OnBackupShutdown afterwards; the others go on")
{
    Isolated isolated;
    TestWriter failing{u"Failing", test_guid(1)};
    TestWriter other{u"Other", test_guid(2)};
    failing.on(On::PrepareSnapshot, [](TestWriter &, IVssWriterComponents *) { return false; });
    {
        Requester requester;
        CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
        CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
        CHECK(requester->AbortBackup() == S_OK); // nothing under way after BackupComplete: ignored
    }
    CHECK(failing.events() ==
          std::vector<On>{On::Identify, On::PrepareBackup, On::PrepareSnapshot, On::BackupShutdown});
    CHECK(other.events() == kFullBackup);
}

TEST_CASE("C-3.5 Freeze goes FRONT_END, BACK_END, SYSTEM and Thaw the reverse way; a handler sees its level")
{
    Isolated isolated;
    std::mutex lock;
    std::vector<std::pair<std::u16string, On>> order;
    std::vector<VSS_APPLICATION_LEVEL> seen_levels;
    auto log = [&](On event) {
        return [&, event](TestWriter &w, IVssWriterComponents *) {
            const std::lock_guard<std::mutex> hold(lock);
            order.emplace_back(w.name(), event);
            if (event == On::Freeze) {
                seen_levels.push_back(w.GetCurrentLevel());
            }
            return true;
        };
    };
    // Subscribed in an order that is not the level order.
    TestWriter system{u"System", test_guid(1), VSS_APP_SYSTEM};
    TestWriter front{u"Front", test_guid(2), VSS_APP_FRONT_END};
    TestWriter back{u"Back", test_guid(3), VSS_APP_BACK_END};
    for (TestWriter *writer : {&system, &front, &back}) {
        writer->on(On::Freeze, log(On::Freeze));
        writer->on(On::Thaw, log(On::Thaw));
    }
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    const std::vector<std::pair<std::u16string, On>> expected = {
        {u"Front", On::Freeze}, {u"Back", On::Freeze}, {u"System", On::Freeze},
        {u"System", On::Thaw},  {u"Back", On::Thaw},   {u"Front", On::Thaw},
    };
    CHECK(order == expected);
    CHECK(seen_levels == std::vector<VSS_APPLICATION_LEVEL>{VSS_APP_FRONT_END, VSS_APP_BACK_END, VSS_APP_SYSTEM});
}

TEST_CASE("C-3.6 AbortBackup sends OnAbort to every writer; the non-failed return to STABLE, the failed keep their failure")
{
    Isolated isolated;
    TestWriter healthy{u"Healthy", test_guid(1)};
    TestWriter failed{u"Failed", test_guid(2)};
    failed.on(On::PrepareBackup, [](TestWriter &w, IVssWriterComponents *) {
        w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 5, W(u"busy"));
        return false;
    });
    Requester requester;
    requester.gather();
    requester.prepare();
    REQUIRE(requester->AbortBackup() == S_OK);
    CHECK(healthy.count(On::Abort) == 1);
    CHECK(failed.count(On::Abort) == 1);
    const StatusRow h = requester.status_of(u"Healthy");
    CHECK(h.state == VSS_WS_STABLE);
    CHECK(h.hr_writer == S_OK);
    const StatusRow f = requester.status_of(u"Failed");
    CHECK(f.state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(f.hr_writer == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(f.hr_application == 5);
    // After an abort the sequence is over (C-3.8).
    CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_E_BAD_STATE);
}

TEST_CASE("C-3.6 a writer failing OnFreeze or OnThaw gets OnAbort itself; the others do not")
{
    for (On failing_event : {On::Freeze, On::Thaw}) {
        CAPTURE(on_name(failing_event));
        Isolated isolated;
        TestWriter failing{u"Failing", test_guid(1)};
        TestWriter other{u"Other", test_guid(2)};
        failing.on(failing_event, [](TestWriter &, IVssWriterComponents *) { return false; });
        Requester requester;
        CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
        CHECK(failing.count(On::Abort) == 1);
        CHECK(other.count(On::Abort) == 0);
        CHECK(failing.count(On::PostSnapshot) == 0);
        CHECK(other.count(On::PostSnapshot) == 1);
        // AbortBackup later: the failed writer never had OnPostSnapshot, so it
        // hears OnAbort again; the other one had it, so it hears nothing.
        REQUIRE(requester->AbortBackup() == S_OK);
        CHECK(failing.count(On::Abort) == 2);
        CHECK(other.count(On::Abort) == 0);
    }
}

TEST_CASE("C-3.6 OnAbort may arrive more than once and the failure state is kept")
{
    Isolated isolated;
    TestWriter failing{u"Failing", test_guid(1)};
    failing.on(On::Freeze, [](TestWriter &w, IVssWriterComponents *) {
        w.SetWriterFailureEx(VSS_E_WRITERERROR_TIMEOUT, 3, W(u"slow disk"));
        return false;
    });
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    REQUIRE(requester->AbortBackup() == S_OK);
    CHECK(failing.count(On::Abort) == 2);
    const StatusRow row = requester.status_of(u"Failing");
    CHECK(row.state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_TIMEOUT);
    CHECK(row.message == u"slow disk");
}

TEST_CASE("C-3.6 no OnAbort after OnPostSnapshot; AbortBackup then still returns writers to STABLE")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    REQUIRE(requester->AbortBackup() == S_OK);
    CHECK(writer.count(On::Abort) == 0);
    CHECK(requester.status_of(u"Writer").state == VSS_WS_STABLE);
}

TEST_CASE("C-3.6 a commit failure aborts every writer; the non-failed show FAILED_AT_<last event> with S_OK")
{
    CoordinatorOptions options;
    options.provider = std::make_shared<RefusingProvider>(VSS_E_PROVIDER_VETO);
    Isolated isolated(options);
    TestWriter healthy{u"Healthy", test_guid(1)};
    TestWriter failed{u"Failed", test_guid(2)};
    failed.on(On::PrepareSnapshot, [](TestWriter &, IVssWriterComponents *) { return false; });
    Requester requester;
    CHECK(requester.snapshot() == VSS_E_PROVIDER_VETO);
    CHECK(healthy.count(On::Abort) == 1);
    CHECK(failed.count(On::Abort) == 1);
    CHECK(healthy.count(On::Thaw) == 0);
    const StatusRow h = requester.status_of(u"Healthy");
    CHECK(h.state == VSS_WS_FAILED_AT_FREEZE); // "State: Failed, Last error: No error"
    CHECK(h.hr_writer == S_OK);
    const StatusRow f = requester.status_of(u"Failed");
    CHECK(f.state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
    CHECK(f.hr_writer == VSS_E_WRITERERROR_NONRETRYABLE);
}

TEST_CASE("C-3.7 a writer failure does not fail DoSnapshotSet; a commit failure does and creates no set")
{
    SUBCASE("writer failure")
    {
        Isolated isolated;
        TestWriter writer{u"Writer", test_guid(1)};
        writer.on(On::Freeze, [](TestWriter &, IVssWriterComponents *) { return false; });
        Requester requester;
        CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
        VSS_SNAPSHOT_PROP prop{};
        REQUIRE(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == S_OK);
        CHECK(IsEqualGUID(prop.m_SnapshotSetId, requester.snapshot_set_id));
        VssFreeSnapshotProperties(&prop);
        CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
    }
    SUBCASE("commit failure")
    {
        CoordinatorOptions options;
        options.provider = std::make_shared<RefusingProvider>(VSS_E_UNEXPECTED_PROVIDER_ERROR);
        Isolated isolated(options);
        TestWriter writer{u"Writer", test_guid(1)};
        Requester requester;
        CHECK(requester.snapshot() == VSS_E_UNEXPECTED_PROVIDER_ERROR);
        VSS_SNAPSHOT_PROP prop{};
        CHECK(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == VSS_E_OBJECT_NOT_FOUND);
        CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_E_BAD_STATE);
    }
}

TEST_CASE("C-3.8 calls out of order return VSS_E_BAD_STATE and change nothing")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    VSS_ID id{};
    UINT count = 0;
    BSTR name = nullptr;
    VSS_WRITER_STATE state{};
    HRESULT hr = S_OK;
    SUBCASE("before InitializeForBackup")
    {
        Requester requester;
        CHECK(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_E_BAD_STATE);
        CHECK(requester->SetContext(VSS_CTX_BACKUP) == VSS_E_BAD_STATE);
        CHECK(requester->SetBackupState(true, false, VSS_BT_FULL, false) == VSS_E_BAD_STATE);
        CHECK(requester->AbortBackup() == VSS_E_BAD_STATE);
        CHECK(writer.count(On::Identify) == 0);
    }
    SUBCASE("before GatherWriterMetadata")
    {
        Requester requester;
        REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
        CHECK(requester->InitializeForBackup(nullptr) == VSS_E_BAD_STATE);
        CHECK(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_E_BAD_STATE);
        CHECK(requester->StartSnapshotSet(&id) == VSS_E_BAD_STATE);
        CHECK(requester->GetWriterMetadataCount(&count) == VSS_E_BAD_STATE);
        CHECK(requester.run(&IVssBackupComponents::GatherWriterStatus) == VSS_E_BAD_STATE);
    }
    SUBCASE("GetWriterStatus before a completed GatherWriterStatus, and after FreeWriterStatus")
    {
        Requester requester;
        requester.gather();
        CHECK(requester->GetWriterStatusCount(&count) == VSS_E_BAD_STATE);
        CHECK(requester->GetWriterStatus(0, &id, &id, &name, &state, &hr) == VSS_E_BAD_STATE);
        CHECK(name == nullptr);
        CHECK(requester->FreeWriterStatus() == VSS_E_BAD_STATE);
        requester.status(); // gathers, reads, frees
        CHECK(requester->GetWriterStatusCount(&count) == VSS_E_BAD_STATE);
    }
    SUBCASE("a second GatherWriterMetadata on one object")
    {
        Requester requester;
        requester.gather();
        CHECK(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_E_BAD_STATE);
        CHECK(writer.count(On::Identify) == 1);
    }
    SUBCASE("DoSnapshotSet before PrepareForBackup or StartSnapshotSet")
    {
        Requester requester;
        requester.gather();
        CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_E_BAD_STATE);
        REQUIRE(requester->StartSnapshotSet(&id) == S_OK);
        CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_E_BAD_STATE);
        CHECK(writer.count(On::PrepareSnapshot) == 0);
        CHECK(requester->StartSnapshotSet(&id) == VSS_E_BAD_STATE); // one set per object
    }
    SUBCASE("AddToSnapshotSet before StartSnapshotSet, BackupComplete before DoSnapshotSet")
    {
        Requester requester;
        requester.gather();
        CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"C:\\")), GUID_NULL, &id) == VSS_E_BAD_STATE);
        CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_E_BAD_STATE);
        CHECK(writer.count(On::BackupComplete) == 0);
    }
    SUBCASE("BackupComplete after a failed DoSnapshotSet")
    {
        Isolated refusing([] {
            CoordinatorOptions options;
            options.provider = std::make_shared<RefusingProvider>(VSS_E_PROVIDER_VETO);
            return options;
        }());
        TestWriter w2{u"W2", test_guid(2)};
        Requester requester;
        CHECK(requester.snapshot() == VSS_E_PROVIDER_VETO);
        CHECK(requester.run(&IVssBackupComponents::BackupComplete) == VSS_E_BAD_STATE);
        CHECK(w2.count(On::BackupComplete) == 0);
    }
}

TEST_CASE("C-3.9 GetWriterStatusEx: required and optional pointers, index rules, same answer as GetWriterStatus")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on(On::PrepareBackup, [](TestWriter &w, IVssWriterComponents *) {
        w.SetWriterFailureEx(VSS_E_WRITERERROR_OUTOFRESOURCES, 0x77, W(u"low memory"));
        return false;
    });
    Requester requester;
    requester.gather();
    requester.prepare();
    REQUIRE(requester.run(&IVssBackupComponents::GatherWriterStatus) == VSS_S_ASYNC_FINISHED);
    VSS_ID instance{}, klass{};
    BSTR name = nullptr;
    BSTR message = nullptr;
    VSS_WRITER_STATE state{};
    HRESULT failure = S_OK, application = S_OK;
    IVssBackupComponentsEx3 *bc = requester.get();
    CHECK(bc->GetWriterStatusEx(0, nullptr, &klass, &name, &state, &failure, &application, &message) == E_INVALIDARG);
    CHECK(bc->GetWriterStatusEx(0, &instance, nullptr, &name, &state, &failure, &application, &message) == E_INVALIDARG);
    CHECK(bc->GetWriterStatusEx(0, &instance, &klass, nullptr, &state, &failure, &application, &message) == E_INVALIDARG);
    CHECK(bc->GetWriterStatusEx(0, &instance, &klass, &name, nullptr, &failure, &application, &message) == E_INVALIDARG);
    CHECK(bc->GetWriterStatusEx(0, &instance, &klass, &name, &state, nullptr, &application, &message) == E_INVALIDARG);
    CHECK(name == nullptr);
    CHECK(bc->GetWriterStatusEx(1, &instance, &klass, &name, &state, &failure, &application, &message) ==
          VSS_E_OBJECT_NOT_FOUND);
    CHECK(bc->GetWriterStatusEx(0xFFFFFFFFu, &instance, &klass, &name, &state, &failure, nullptr, nullptr) ==
          VSS_E_OBJECT_NOT_FOUND);
    // The optional pair may be NULL.
    REQUIRE(bc->GetWriterStatusEx(0, &instance, &klass, &name, &state, &failure, nullptr, nullptr) == S_OK);
    CHECK(state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(failure == VSS_E_WRITERERROR_OUTOFRESOURCES);
    SysFreeString(name);
    name = nullptr;

    // GetWriterStatus reports the same state and hrFailureWriter.
    VSS_ID instance2{}, klass2{};
    BSTR name2 = nullptr;
    VSS_WRITER_STATE state2{};
    HRESULT failure2 = S_OK;
    REQUIRE(bc->GetWriterStatus(0, &instance2, &klass2, &name2, &state2, &failure2) == S_OK);
    CHECK(state2 == state);
    CHECK(failure2 == failure);
    CHECK(IsEqualGUID(instance2, instance));
    CHECK(IsEqualGUID(klass2, test_guid(1)));
    SysFreeString(name2);

    // Slot 60 of the C vtable is GetWriterStatusEx: same answer as the C++ call.
    using Slot60 = HRESULT(STDMETHODCALLTYPE *)(IVssBackupComponentsEx3 *, UINT, VSS_ID *, VSS_ID *, BSTR *,
                                                VSS_WRITER_STATE *, HRESULT *, HRESULT *, BSTR *);
    void **vtable = *reinterpret_cast<void ***>(bc);
    const auto slot60 = reinterpret_cast<Slot60>(vtable[60]);
    VSS_ID c_instance{}, c_klass{};
    BSTR c_name = nullptr, c_message = nullptr;
    VSS_WRITER_STATE c_state{};
    HRESULT c_failure = S_OK, c_application = S_OK;
    REQUIRE(slot60(bc, 0, &c_instance, &c_klass, &c_name, &c_state, &c_failure, &c_application, &c_message) == S_OK);
    REQUIRE(bc->GetWriterStatusEx(0, &instance, &klass, &name, &state, &failure, &application, &message) == S_OK);
    CHECK(IsEqualGUID(c_instance, instance));
    CHECK(c_state == state);
    CHECK(c_failure == failure);
    CHECK(c_application == application);
    CHECK(application == 0x77);
    CHECK(std::u16string(reinterpret_cast<const char16_t *>(c_message), SysStringLen(c_message)) == u"low memory");
    CHECK(SysStringLen(c_message) == SysStringLen(message));
    SysFreeString(c_name);
    SysFreeString(c_message);
    SysFreeString(name);
    SysFreeString(message);
}

TEST_CASE("C-3.1 the components carry options, stamps and results between requester and writer")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on_identify([](TestWriter &, IVssCreateWriterMetadataEx *metadata) {
        return metadata->AddComponent(VSS_CT_FILEGROUP, W(u"Data"), W(u"Files"), nullptr, nullptr, 0, false, true,
                                      true) == S_OK;
    });
    std::u16string options_seen, previous_stamp_seen;
    bool succeeded_seen = false;
    auto read = [](IVssComponent *component, HRESULT (STDMETHODCALLTYPE IVssComponent::*getter)(BSTR *)) {
        BSTR value = nullptr;
        (component->*getter)(&value);
        std::u16string text(reinterpret_cast<const char16_t *>(value), SysStringLen(value));
        SysFreeString(value);
        return text;
    };
    writer.on(On::PrepareBackup, [&](TestWriter &, IVssWriterComponents *components) {
        IVssComponent *component = nullptr;
        REQUIRE(components->GetComponent(0, &component) == S_OK);
        options_seen = read(component, &IVssComponent::GetBackupOptions);
        previous_stamp_seen = read(component, &IVssComponent::GetPreviousBackupStamp);
        component->Release();
        return true;
    });
    writer.on(On::PostSnapshot, [&](TestWriter &, IVssWriterComponents *components) {
        IVssComponent *component = nullptr;
        REQUIRE(components->GetComponent(0, &component) == S_OK);
        CHECK(component->SetBackupStamp(W(u"stamp-2026-11-25")) == S_OK);
        component->Release();
        return true;
    });
    writer.on(On::BackupComplete, [&](TestWriter &, IVssWriterComponents *components) {
        IVssComponent *component = nullptr;
        REQUIRE(components->GetComponent(0, &component) == S_OK);
        component->GetBackupSucceeded(&succeeded_seen);
        component->Release();
        return true;
    });
    Requester requester;
    requester.gather();
    requester.select_all_components();
    const GUID klass = test_guid(1);
    CHECK(requester->SetBackupOptions(klass, VSS_CT_FILEGROUP, W(u"Data"), W(u"Files"), W(u"copy-only")) == S_OK);
    CHECK(requester->SetPreviousBackupStamp(klass, VSS_CT_FILEGROUP, W(u"Data"), W(u"Files"), W(u"stamp-1")) == S_OK);
    CHECK(requester->SetBackupOptions(klass, VSS_CT_FILEGROUP, W(u"Data"), W(u"Nope"), W(u"x")) == VSS_E_OBJECT_NOT_FOUND);
    requester.prepare();
    CHECK(options_seen == u"copy-only");
    CHECK(previous_stamp_seen == u"stamp-1");
    REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);

    const StatusRow row = requester.status_of(u"Writer");
    CHECK(requester->SetBackupSucceeded(row.instance, klass, VSS_CT_FILEGROUP, W(u"Data"), W(u"Files"), true) == S_OK);
    IVssWriterComponentsExt *components = nullptr;
    REQUIRE(requester->GetWriterComponents(0, &components) == S_OK);
    IVssComponent *component = nullptr;
    REQUIRE(components->GetComponent(0, &component) == S_OK);
    CHECK(read(component, &IVssComponent::GetBackupStamp) == u"stamp-2026-11-25");
    component->Release();
    components->Release();
    REQUIRE(requester.run(&IVssBackupComponents::BackupComplete) == VSS_S_ASYNC_FINISHED);
    CHECK(succeeded_seen);
}
