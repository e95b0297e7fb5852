// Contract C-5 (snapshot commit and the in-memory provider) and C-6 (misuse
// and bad input), through the SDK-shaped API.
#include "support/c_callers.h"
#include "vss_fixture.h"

#include "com/misuse.h"
#include "core/snapshot_provider.h"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace conformance;
using namespace std::chrono_literals;

namespace {

// A provider that records commits and can be told to hold one.
class ScriptedProvider final : public vssapi::core::SnapshotProvider {
public:
    GUID id() const override { return vssapi::core::kInMemoryProviderId; }
    HRESULT commit(vssapi::core::SnapshotSetRequest &request) override
    {
        ++commits;
        volumes = request.snapshots.size();
        entered = true;
        while (hold.load()) {
            std::this_thread::sleep_for(1ms);
        }
        for (auto &snapshot : request.snapshots) {
            snapshot.device_name = u"\\\\?\\GLOBALROOT\\Device\\TestShadow";
        }
        return S_OK;
    }
    std::atomic<int> commits{0};
    std::atomic<std::size_t> volumes{0};
    std::atomic<bool> hold{false};
    std::atomic<bool> entered{false};
};

std::u16string text(const WCHAR *value)
{
    return value == nullptr ? std::u16string() : std::u16string(reinterpret_cast<const char16_t *>(value));
}

} // namespace

TEST_CASE("C-5.1 the in-memory provider keeps snapshot records: GetSnapshotProperties, Query, DeleteSnapshots")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    std::u16string device_in_handler;
    std::u16string volume_in_handler;
    bool path_affected = false;
    writer.on(On::PostSnapshot, [&](TestWriter &w, IVssWriterComponents *) {
        LPCWSTR device = nullptr;
        if (w.GetSnapshotDeviceName(W(u"c:\\"), &device) == S_OK) {
            device_in_handler = text(device);
        }
        if (w.GetCurrentVolumeCount() == 1) {
            volume_in_handler = text(w.GetCurrentVolumeArray()[0]);
        }
        path_affected = w.IsPathAffected(W(u"C:\\data\\db.mdf")) && !w.IsPathAffected(W(u"D:\\x"));
        return true;
    });
    Requester requester;
    REQUIRE(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    VSS_SNAPSHOT_PROP prop{};
    REQUIRE(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == S_OK);
    CHECK(IsEqualGUID(prop.m_SnapshotId, requester.snapshot_id));
    CHECK(IsEqualGUID(prop.m_SnapshotSetId, requester.snapshot_set_id));
    CHECK(prop.m_lSnapshotsCount == 1);
    CHECK(text(prop.m_pwszOriginalVolumeName) == u"C:\\");
    CHECK(text(prop.m_pwszSnapshotDeviceObject).rfind(u"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy", 0) == 0);
    CHECK(IsEqualGUID(prop.m_ProviderId, vssapi::core::kInMemoryProviderId));
    CHECK(prop.m_tsCreationTimestamp > 0);
    CHECK(prop.m_eStatus == VSS_SS_CREATED);
    CHECK(device_in_handler == text(prop.m_pwszSnapshotDeviceObject));
    CHECK(volume_in_handler == u"C:\\");
    CHECK(path_affected);
    VssFreeSnapshotProperties(&prop);
    CHECK(prop.m_pwszOriginalVolumeName == nullptr);

    IVssEnumObject *enumerator = nullptr;
    REQUIRE(requester->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &enumerator) == S_OK);
    VSS_OBJECT_PROP objects[2]{};
    ULONG fetched = 0;
    CHECK(enumerator->Next(2, objects, &fetched) == S_FALSE);
    REQUIRE(fetched == 1);
    CHECK(objects[0].Type == VSS_OBJECT_SNAPSHOT);
    CHECK(IsEqualGUID(objects[0].Obj.Snap.m_SnapshotId, requester.snapshot_id));
    VssFreeSnapshotProperties(&objects[0].Obj.Snap);
    enumerator->Release();

    LONG deleted = 0;
    VSS_ID not_deleted{};
    REQUIRE(requester->DeleteSnapshots(requester.snapshot_set_id, VSS_OBJECT_SNAPSHOT_SET, FALSE, &deleted,
                                       &not_deleted) == S_OK);
    CHECK(deleted == 1);
    CHECK(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(requester->DeleteSnapshots(requester.snapshot_id, VSS_OBJECT_SNAPSHOT, FALSE, &deleted, &not_deleted) ==
          VSS_E_OBJECT_NOT_FOUND);
}

TEST_CASE("C-5.1 backup-context snapshots are released with the requester; the provider is pluggable")
{
    auto provider = std::make_shared<ScriptedProvider>();
    CoordinatorOptions options;
    options.provider = provider;
    Isolated isolated(options);
    TestWriter writer{u"Writer", test_guid(1)};
    VSS_ID snapshot{};
    {
        Requester requester;
        requester.gather();
        REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
        VSS_ID second{};
        REQUIRE(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"C:\\")), GUID_NULL, &snapshot) == S_OK);
        REQUIRE(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"D:\\")), GUID_NULL, &second) == S_OK);
        CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"D:\\")), GUID_NULL, &second) ==
              VSS_E_OBJECT_ALREADY_EXISTS);
        CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"E:\\")), test_guid(99), &second) ==
              VSS_E_PROVIDER_NOT_REGISTERED);
        REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
        REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
        CHECK(provider->commits == 1);
        CHECK(provider->volumes == 2);
        VSS_SNAPSHOT_PROP prop{};
        REQUIRE(requester->GetSnapshotProperties(snapshot, &prop) == S_OK);
        CHECK(text(prop.m_pwszSnapshotDeviceObject) == u"\\\\?\\GLOBALROOT\\Device\\TestShadow");
        CHECK(prop.m_lSnapshotsCount == 2);
        VssFreeSnapshotProperties(&prop);
    }
    Requester later;
    VSS_SNAPSHOT_PROP prop{};
    CHECK(later->GetSnapshotProperties(snapshot, &prop) == VSS_E_OBJECT_NOT_FOUND); // auto-release
}

TEST_CASE("C-5.2 a commit beyond the 10 s window: HOLD_WRITES_TIMEOUT, OnAbort to all, no set")
{
    auto clock = std::make_shared<VirtualClock>();
    auto provider = std::make_shared<ScriptedProvider>();
    provider->hold = true;
    CoordinatorOptions options = virtual_time(clock);
    options.provider = provider;
    Isolated isolated(options);
    TestWriter a{u"A", test_guid(1)};
    TestWriter b{u"B", test_guid(2), VSS_APP_BACK_END};
    Requester requester;
    requester.gather();
    requester.prepare();
    IVssAsync *async = nullptr;
    REQUIRE(requester->DoSnapshotSet(&async) == S_OK);
    wait_until([&] { return provider->entered.load(); });
    clock->advance(10s + 1ms);
    CHECK(async->Wait(INFINITE) == S_OK);
    HRESULT result = S_OK;
    REQUIRE(async->QueryStatus(&result, nullptr) == S_OK);
    CHECK(result == VSS_E_HOLD_WRITES_TIMEOUT);
    CHECK(async->Cancel() == VSS_E_HOLD_WRITES_TIMEOUT); // Cancel on a failed operation returns its error
    async->Release();
    provider->hold = false;
    for (TestWriter *writer : {&a, &b}) {
        CHECK(writer->count(On::Abort) == 1);
        CHECK(writer->count(On::Thaw) == 0);
    }
    const StatusRow row = requester.status_of(u"A");
    CHECK(row.state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(row.hr_writer == S_OK);
    VSS_SNAPSHOT_PROP prop{};
    CHECK(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == VSS_E_OBJECT_NOT_FOUND);
}

TEST_CASE("C-6.1 no exception crosses the ABI: a handler throwing anything is a failed handler, the library goes on")
{
    Isolated isolated;
    TestWriter std_exception{u"Throws std", test_guid(1)};
    TestWriter int_exception{u"Throws int", test_guid(2)};
    TestWriter bad_alloc{u"Throws bad_alloc", test_guid(3)};
    std_exception.on(On::Freeze, [](TestWriter &, IVssWriterComponents *) -> bool { throw std::runtime_error("x"); });
    int_exception.on(On::Freeze, [](TestWriter &, IVssWriterComponents *) -> bool { throw 7; });
    bad_alloc.on(On::Freeze, [](TestWriter &, IVssWriterComponents *) -> bool { throw std::bad_alloc(); });
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    for (const StatusRow &row : requester.status()) {
        CAPTURE(narrow(row.name));
        CHECK(row.state == VSS_WS_FAILED_AT_FREEZE);
        CHECK(row.hr_writer == VSS_E_WRITERERROR_NONRETRYABLE);
    }
}

TEST_CASE("C-6.2 NULL required pointers give E_INVALIDARG and change nothing; lone surrogates are kept")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    const char16_t lone[] = {u'a', char16_t(0xD800), u'b', char16_t(0xDC00), 0};
    writer.on(On::PrepareBackup, [&](TestWriter &w, IVssWriterComponents *) {
        return w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 1, W(lone)) == S_OK;
    });
    CHECK(CreateVssBackupComponentsInternal(nullptr) == E_INVALIDARG);
    Requester requester;
    IVssBackupComponentsEx3 *bc = requester.get();
    CHECK(bc->GatherWriterMetadata(nullptr) == E_INVALIDARG);
    CHECK(bc->GetSessionId(nullptr) == E_INVALIDARG);
    requester.gather();
    CHECK(bc->GetWriterMetadataCount(nullptr) == E_INVALIDARG);
    CHECK(bc->GetWriterMetadata(0, nullptr, nullptr) == E_INVALIDARG);
    CHECK(bc->StartSnapshotSet(nullptr) == E_INVALIDARG);
    CHECK(bc->PrepareForBackup(nullptr) == E_INVALIDARG);
    CHECK(bc->DoSnapshotSet(nullptr) == E_INVALIDARG);
    CHECK(bc->AddComponent(GUID_NULL, GUID_NULL, VSS_CT_FILEGROUP, nullptr, nullptr) == E_INVALIDARG);
    CHECK(bc->DisableWriterClasses(nullptr, 1) == E_INVALIDARG);
    CHECK(bc->GetSnapshotProperties(GUID_NULL, nullptr) == E_INVALIDARG);
    CHECK(bc->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, nullptr) == E_INVALIDARG);
    VSS_ID id{};
    REQUIRE(bc->StartSnapshotSet(&id) == S_OK);
    CHECK(bc->AddToSnapshotSet(nullptr, GUID_NULL, &id) == E_INVALIDARG);
    CHECK(bc->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"")), GUID_NULL, &id) == E_INVALIDARG);
    VSS_ID snapshot{};
    REQUIRE(bc->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"C:\\")), GUID_NULL, &snapshot) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
    const StatusRow row = requester.status_of(u"Writer");
    CHECK(row.message == std::u16string(lone));
    // The CVssWriter wrappers without an implementation answer as the SDK's do.
    struct Bare : CVssWriterEx2 {
        bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
        bool STDMETHODCALLTYPE OnFreeze() override { return true; }
        bool STDMETHODCALLTYPE OnThaw() override { return true; }
        bool STDMETHODCALLTYPE OnAbort() override { return true; }
    } bare;
    CHECK(bare.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE) == E_FAIL);
    CHECK(bare.Subscribe() == E_FAIL);
    CHECK(bare.Unsubscribe() == E_FAIL);
    CHECK(bare.Initialize(GUID_NULL, W(u"x"), VSS_UT_OTHER, VSS_ST_OTHER) == E_INVALIDARG);
    CHECK(bare.Initialize(test_guid(5), nullptr, VSS_UT_OTHER, VSS_ST_OTHER) == E_INVALIDARG);
    {
        // A level no VSS_APPLICATION_LEVEL holds can only come from C (in C++ making it is undefined).
        IVssWriterImpl *impl = nullptr;
        VSSAPI_WRITER_CALLBACKS callbacks{};
        callbacks.cbSize = sizeof callbacks;
        REQUIRE(vssapi_create_writer_impl(&callbacks, &impl) == S_OK);
        const VSS_ID writer_id = test_guid(6);
        CHECK(c_initialize_writer(impl, &writer_id, W(u"x"), 9) == E_INVALIDARG);
        impl->Release();
    }
    CHECK(bare.Initialize(test_guid(5), W(u"x"), VSS_UT_OTHER, VSS_ST_OTHER) == S_OK);
    CHECK(bare.Initialize(test_guid(5), W(u"x"), VSS_UT_OTHER, VSS_ST_OTHER) == E_FAIL); // once
    CHECK(bare.Subscribe() == S_OK);
    CHECK(bare.Subscribe() == VSS_E_WRITER_ALREADY_SUBSCRIBED);
}

namespace {
std::atomic<int> g_misuse_reports{0};
void count_misuse(const char *, const char *) noexcept
{
    ++g_misuse_reports;
}
} // namespace

TEST_CASE("C-6.3 a call on a released requester object is reported, not executed")
{
    Isolated isolated;
    const auto previous = vssapi::com::set_misuse_handler(&count_misuse);
    IVssBackupComponents *bc = nullptr;
    REQUIRE(CreateVssBackupComponents(&bc) == S_OK);
    CHECK(bc->Release() == 0);
    g_misuse_reports = 0;
    CHECK(bc->InitializeForBackup(nullptr) == E_UNEXPECTED); // the object is a tombstone
    CHECK(bc->Release() == 0);
    CHECK(g_misuse_reports == 2);
    vssapi::com::set_misuse_handler(previous);
}

TEST_CASE("C-6.4 one writer's failure never shows in another writer's status")
{
    Isolated isolated;
    TestWriter failing{u"Failing", test_guid(1)};
    TestWriter healthy{u"Healthy", test_guid(2)};
    failing.on(On::Freeze, [](TestWriter &w, IVssWriterComponents *) {
        w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 0x80070020, W(u"locked"));
        return false;
    });
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    const StatusRow row = requester.status_of(u"Healthy");
    CHECK(row.state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(row.hr_writer == S_OK);
    CHECK(row.hr_application == S_OK);
    CHECK(row.message_is_null);
    CHECK(requester.status_of(u"Failing").hr_application == HRESULT(0x80070020));
}

TEST_CASE("C-5.1 ExposeSnapshot and UnexposeSnapshot record the exposure; GetSnapshotProperties reports it")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    REQUIRE(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    const VSS_ID id = requester.snapshot_id;
    VSS_PWSZ exposed = nullptr;
    CHECK(requester->ExposeSnapshot(id, nullptr, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, nullptr, &exposed) ==
          E_INVALIDARG); // locally needs a drive or folder
    CHECK(requester->ExposeSnapshot(id, nullptr, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY | VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY,
                                    const_cast<VSS_PWSZ>(W(u"X:")), &exposed) == E_INVALIDARG);
    CHECK(requester->ExposeSnapshot(id, nullptr, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, const_cast<VSS_PWSZ>(W(u"X:")),
                                    nullptr) == E_INVALIDARG);
    CHECK(requester->ExposeSnapshot(test_guid(77), nullptr, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY,
                                    const_cast<VSS_PWSZ>(W(u"X:")), &exposed) == VSS_E_OBJECT_NOT_FOUND);
    REQUIRE(requester->ExposeSnapshot(id, nullptr, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, const_cast<VSS_PWSZ>(W(u"X:")),
                                      &exposed) == S_OK);
    CHECK(text(exposed) == u"X:");
    CoTaskMemFree(exposed);
    CHECK(requester->ExposeSnapshot(id, nullptr, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, const_cast<VSS_PWSZ>(W(u"Y:")),
                                    &exposed) == VSS_E_OBJECT_ALREADY_EXISTS);
    VSS_SNAPSHOT_PROP prop{};
    REQUIRE(requester->GetSnapshotProperties(id, &prop) == S_OK);
    CHECK(text(prop.m_pwszExposedName) == u"X:");
    CHECK((prop.m_lSnapshotAttributes & VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY) != 0);
    VssFreeSnapshotProperties(&prop);

    void *ex2 = nullptr;
    REQUIRE(requester->QueryInterface(IID_IVssBackupComponentsEx2, &ex2) == S_OK);
    auto *components_ex2 = static_cast<IVssBackupComponentsEx2 *>(ex2);
    REQUIRE(components_ex2->UnexposeSnapshot(id) == S_OK);
    CHECK(components_ex2->UnexposeSnapshot(id) == VSS_E_OBJECT_NOT_FOUND); // no longer exposed
    REQUIRE(requester->GetSnapshotProperties(id, &prop) == S_OK);
    CHECK(prop.m_pwszExposedName == nullptr);
    VssFreeSnapshotProperties(&prop);
    // Remotely, with no share name: the snapshot's id names the share.
    REQUIRE(requester->ExposeSnapshot(id, const_cast<VSS_PWSZ>(W(u"\\data")), VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY,
                                      nullptr, &exposed) == S_OK);
    CHECK(text(exposed).size() == 38);
    CoTaskMemFree(exposed);
    REQUIRE(requester->GetSnapshotProperties(id, &prop) == S_OK);
    CHECK(text(prop.m_pwszExposedPath) == u"\\data");
    VssFreeSnapshotProperties(&prop);
    components_ex2->Release();
}

TEST_CASE("C-5.1 break, revert, import and LUN recovery answer as their SDK pages do for a software provider")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    REQUIRE(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    CHECK(requester->BreakSnapshotSet(test_guid(50)) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(requester->BreakSnapshotSet(requester.snapshot_set_id) == VSS_E_PROVIDER_VETO);
    CHECK(requester->RevertToSnapshot(test_guid(50), FALSE) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(requester->RevertToSnapshot(requester.snapshot_id, FALSE) == VSS_E_UNSUPPORTED_CONTEXT); // not persistent
    IVssAsync *async = reinterpret_cast<IVssAsync *>(0x1);
    CHECK(requester->QueryRevertStatus(const_cast<VSS_PWSZ>(W(u"C:\\")), nullptr) == E_POINTER);
    CHECK(requester->QueryRevertStatus(const_cast<VSS_PWSZ>(W(u"Q:\\")), &async) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(async == nullptr);
    CHECK(requester->QueryRevertStatus(const_cast<VSS_PWSZ>(W(u"C:\\")), &async) == VSS_E_VOLUME_NOT_SUPPORTED);
    CHECK(requester->ImportSnapshots(&async) == VSS_E_BAD_STATE); // not a resumed document
    CHECK(requester->ImportSnapshots(nullptr) == E_INVALIDARG);

    void *ex2 = nullptr;
    REQUIRE(requester->QueryInterface(IID_IVssBackupComponentsEx2, &ex2) == S_OK);
    auto *components_ex2 = static_cast<IVssBackupComponentsEx2 *>(ex2);
    async = reinterpret_cast<IVssAsync *>(0x1);
    CHECK(components_ex2->BreakSnapshotSetEx(requester.snapshot_set_id, 0x80000000u, &async) == E_INVALIDARG);
    CHECK(async == nullptr);
    CHECK(components_ex2->BreakSnapshotSetEx(requester.snapshot_set_id, VSS_BREAKEX_FLAG_MASK_LUNS, &async) ==
          VSS_E_PROVIDER_VETO);
    CHECK(components_ex2->PreFastRecovery(requester.snapshot_set_id, 0, &async) == E_NOTIMPL); // reserved by the SDK
    CHECK(components_ex2->FastRecovery(requester.snapshot_set_id, 0, &async) == E_NOTIMPL);
    components_ex2->Release();

    // The dedicated interfaces of Ex3 and Ex4.
    IVssBackupComponentsEx3 *ex3 = requester.get();
    CHECK(ex3->AddSnapshotToRecoverySet(GUID_NULL, 0, nullptr) == E_INVALIDARG);
    CHECK(ex3->AddSnapshotToRecoverySet(requester.snapshot_id, 1, nullptr) == E_INVALIDARG);
    CHECK(ex3->AddSnapshotToRecoverySet(requester.snapshot_id, 0, nullptr) == VSS_E_BAD_STATE);
    CHECK(ex3->RecoverSet(0, &async) == VSS_E_BAD_STATE);
    void *ex4 = nullptr;
    REQUIRE(requester->QueryInterface(IID_IVssBackupComponentsEx4, &ex4) == S_OK);
    auto *components_ex4 = static_cast<IVssBackupComponentsEx4 *>(ex4);
    VSS_PWSZ root = nullptr, prefix = nullptr;
    REQUIRE(components_ex4->GetRootAndLogicalPrefixPaths(const_cast<VSS_PWSZ>(W(u"C:\\data\\db.mdf")), &root, &prefix,
                                                          FALSE) == S_OK);
    CHECK(text(root) == u"C:\\");
    CHECK(text(prefix) == u"C:\\");
    CoTaskMemFree(root);
    CoTaskMemFree(prefix);
    REQUIRE(components_ex4->GetRootAndLogicalPrefixPaths(const_cast<VSS_PWSZ>(W(u"\\\\server\\share\\dir\\f")), &root,
                                                          &prefix, FALSE) == S_OK);
    CHECK(text(root) == u"\\\\server\\share\\");
    CoTaskMemFree(root);
    CoTaskMemFree(prefix);
    CHECK(components_ex4->GetRootAndLogicalPrefixPaths(const_cast<VSS_PWSZ>(W(u"relative\\path")), &root, &prefix,
                                                        FALSE) == E_INVALIDARG);
    CHECK(root == nullptr);
    components_ex4->Release();
}

TEST_CASE("C-5.1 IsVolumeSnapshotted and ShouldBlockRevert see the coordinator's snapshots; bad input changes nothing")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    BOOL present = TRUE;
    LONG capability = -1;
    CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"C:\\")), &present, &capability) == S_OK);
    CHECK(present == FALSE);
    CHECK(capability == 0);
    {
        Requester requester;
        REQUIRE(requester.snapshot() == VSS_S_ASYNC_FINISHED);
        present = FALSE;
        capability = -1;
        CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"C:\\")), &present, &capability) == S_OK);
        CHECK(present == TRUE);
        CHECK(capability == 0); // the in-memory provider forbids nothing on a copied volume
        CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"C:")), &present, &capability) == S_OK);
        CHECK(present == TRUE); // the same volume without its separator
        CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"D:\\")), &present, &capability) == S_OK);
        CHECK(present == FALSE);
        CHECK(IsVolumeSnapshotted(nullptr, &present, &capability) == E_INVALIDARG);
        CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"")), &present, &capability) == E_INVALIDARG);
        CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"C:\\")), nullptr, &capability) == E_INVALIDARG);
        CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"C:\\")), &present, nullptr) == E_INVALIDARG);
    }
    // A backup-context set goes with its requester (C-5.1), and so does the answer.
    CHECK(IsVolumeSnapshotted(const_cast<VSS_PWSZ>(W(u"C:\\")), &present, &capability) == S_OK);
    CHECK(present == FALSE);

    bool block = true;
    CHECK(ShouldBlockRevert(W(u"C:\\"), &block) == S_OK);
    CHECK(block == false); // no writer here is registered as blocking a revert
    CHECK(ShouldBlockRevert(nullptr, &block) == E_INVALIDARG);
    CHECK(ShouldBlockRevert(W(u"C:\\"), nullptr) == E_INVALIDARG);
}

TEST_CASE("C-5.3 SetContext takes the contexts with the attribute bits requesters may add; QEMU's guest agent's context")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    // QEMU's guest agent asks for a transportable APP_ROLLBACK first and, on
    // VSS_E_UNSUPPORTED_CONTEXT (any non-server Windows), drops TRANSPORTABLE.
    constexpr LONG kQemu = LONG{VSS_CTX_APP_ROLLBACK} | VSS_VOLSNAP_ATTR_TRANSPORTABLE | VSS_VOLSNAP_ATTR_NO_AUTORECOVERY |
                           VSS_VOLSNAP_ATTR_TXF_RECOVERY;
    {
        Requester requester;
        REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
        CHECK(requester->SetContext(kQemu) == VSS_E_UNSUPPORTED_CONTEXT); // no hardware provider
        CHECK(requester->SetContext(LONG{VSS_CTX_BACKUP} | VSS_VOLSNAP_ATTR_PLEX) == VSS_E_UNSUPPORTED_CONTEXT);
        CHECK(requester->SetContext(kQemu & ~VSS_VOLSNAP_ATTR_TRANSPORTABLE) == S_OK);
        CHECK(requester->SetContext(LONG{VSS_CTX_BACKUP} | VSS_VOLSNAP_ATTR_DIFFERENTIAL) == S_OK);
        CHECK(requester->SetContext(LONG{VSS_CTX_NAS_ROLLBACK} | VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY) == S_OK);
        // No context at all: attribute bits VSS sets itself, or a value that is none of the contexts.
        CHECK(requester->SetContext(LONG{VSS_CTX_BACKUP} | VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY) == E_INVALIDARG);
        CHECK(requester->SetContext(LONG{VSS_CTX_BACKUP} | VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED) == E_INVALIDARG);
        CHECK(requester->SetContext(0x3) == E_INVALIDARG);
        CHECK(requester->SetContext(VSS_CTX_ALL) == S_OK);
    }
    // The fallback QEMU takes makes a persistent snapshot carrying the bits it asked for.
    Requester requester;
    REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
    REQUIRE(requester->SetContext(kQemu & ~VSS_VOLSNAP_ATTR_TRANSPORTABLE) == S_OK);
    REQUIRE(requester->SetBackupState(false, false, VSS_BT_FULL, false) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
    requester.prepare();
    REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    VSS_SNAPSHOT_PROP prop{};
    REQUIRE(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == S_OK);
    CHECK((prop.m_lSnapshotAttributes & VSS_VOLSNAP_ATTR_PERSISTENT) != 0);
    CHECK((prop.m_lSnapshotAttributes & VSS_VOLSNAP_ATTR_NO_AUTORECOVERY) != 0);
    CHECK((prop.m_lSnapshotAttributes & VSS_VOLSNAP_ATTR_TXF_RECOVERY) != 0);
    CHECK((prop.m_lSnapshotAttributes & VSS_VOLSNAP_ATTR_TRANSPORTABLE) == 0);
    VssFreeSnapshotProperties(&prop);
}

TEST_CASE("C-6.2 integers that are no enum value, passed from C, are refused and change nothing")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    auto *backup = reinterpret_cast<IVssBackupComponents *>(requester.get());
    REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
    CHECK(c_set_backup_state(backup, 42) == E_INVALIDARG);
    REQUIRE(requester->SetBackupState(true, false, VSS_BT_FULL, false) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
    const VSS_ID instance = GUID_NULL;
    const VSS_ID writer_id = test_guid(1);
    CHECK(c_add_component(backup, &instance, &writer_id, 7, nullptr, W(u"Data")) == E_INVALIDARG);
    CHECK(c_set_restore_state(backup, 77) == VSS_E_BAD_STATE); // a backup: the state check comes first
}
