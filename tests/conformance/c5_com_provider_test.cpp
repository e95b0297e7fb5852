// A provider written against the SDK's vsprov.h, as QEMU's guest agent ships
// one (qga-vss.dll): registered by id with vss_coordinator_register_com_provider,
// chosen by that id in AddToSnapshotSet, and called as the Windows service
// calls a software provider (C-5.3 to C-5.6).
#include "vss_fixture.h"

#include <vsprov.h>
#include <vssapi/oleauto.h>
#include <vssapi/vssapi.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>

using namespace conformance;

namespace {

// QEMU's guest agent's provider id ({3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}).
constexpr GUID kQemuProviderId = {0x3629d4ed, 0xee09, 0x4e0e, {0x9a, 0x5c, 0x6d, 0x8b, 0xa2, 0x87, 0x2a, 0xef}};
constexpr LONG kQemuContext = LONG{VSS_CTX_APP_ROLLBACK} | VSS_VOLSNAP_ATTR_TRANSPORTABLE |
                              VSS_VOLSNAP_ATTR_NO_AUTORECOVERY | VSS_VOLSNAP_ATTR_TXF_RECOVERY;

VSS_PWSZ task_string(const char16_t *text)
{
    const std::size_t units = std::char_traits<char16_t>::length(text) + 1;
    auto *copy = static_cast<VSS_PWSZ>(CoTaskMemAlloc(units * sizeof(char16_t)));
    REQUIRE(copy != nullptr);
    std::memcpy(copy, text, units * sizeof(char16_t));
    return copy;
}

// A software provider as a C++ author writes one: the three interfaces on one
// object, every call written to a log. Volumes "P:\..." exist and are
// supported; "R:\..." exist and are not; the rest do not exist.
class TestProvider final : public IVssSoftwareSnapshotProvider,
                           public IVssProviderCreateSnapshotSet,
                           public IVssProviderNotifications {
public:
    HRESULT fail_commit = S_OK;
    bool hold_commit = false; // CommitSnapshots waits for release_commit()
    bool give_device = true;

    std::string log() const
    {
        const std::lock_guard<std::mutex> hold(lock_);
        return log_;
    }
    void clear()
    {
        const std::lock_guard<std::mutex> hold(lock_);
        log_.clear();
    }
    ULONG references() const { return references_.load(); }
    LONG context() const { return context_.load(); }
    bool committing() const { return committing_.load(); }
    void release_commit()
    {
        const std::lock_guard<std::mutex> hold(lock_);
        released_ = true;
        changed_.notify_all();
    }

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **out) override
    {
        if (out == nullptr) {
            return E_POINTER;
        }
        *out = nullptr;
        if (IsEqualGUID(riid, IID_IUnknown) || IsEqualGUID(riid, IID_IVssSoftwareSnapshotProvider)) {
            *out = static_cast<IVssSoftwareSnapshotProvider *>(this);
        } else if (IsEqualGUID(riid, IID_IVssProviderCreateSnapshotSet)) {
            *out = static_cast<IVssProviderCreateSnapshotSet *>(this);
        } else if (IsEqualGUID(riid, IID_IVssProviderNotifications) && notifications_) {
            *out = static_cast<IVssProviderNotifications *>(this);
        } else {
            return E_NOINTERFACE;
        }
        AddRef();
        return S_OK;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++references_; }
    ULONG STDMETHODCALLTYPE Release() override { return --references_; } // lives on the test's stack

    // IVssSoftwareSnapshotProvider
    HRESULT STDMETHODCALLTYPE SetContext(LONG context) override
    {
        context_ = context;
        note("SetContext");
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID, VSS_SNAPSHOT_PROP *prop) override
    {
        note("GetSnapshotProperties");
        std::memset(prop, 0, sizeof *prop);
        if (give_device) {
            prop->m_pwszSnapshotDeviceObject = task_string(u"\\\\?\\GLOBALROOT\\Device\\TestShadow1");
            prop->m_pwszOriginalVolumeName = task_string(u"P:\\"); // the library keeps its own
        }
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE Query(VSS_ID, VSS_OBJECT_TYPE, VSS_OBJECT_TYPE, IVssEnumObject **) override
    {
        note("Query");
        return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID, VSS_OBJECT_TYPE type, BOOL force, LONG *deleted,
                                              VSS_ID *kept) override
    {
        note(type == VSS_OBJECT_SNAPSHOT && force ? "DeleteSnapshots" : "DeleteSnapshots(unexpected)");
        *deleted = 1;
        *kept = GUID_NULL;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE BeginPrepareSnapshot(VSS_ID, VSS_ID, VSS_PWSZ volume, LONG context) override
    {
        note("BeginPrepareSnapshot(" + narrow(std::u16string(reinterpret_cast<const char16_t *>(volume))) + ")");
        return context == context_.load() ? S_OK : E_UNEXPECTED;
    }
    HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_PWSZ volume, BOOL *supported) override
    {
        const char16_t drive = reinterpret_cast<const char16_t *>(volume)[0];
        *supported = drive == u'P' ? TRUE : FALSE;
        return drive == u'P' || drive == u'R' ? S_OK : VSS_E_OBJECT_NOT_FOUND;
    }
    HRESULT STDMETHODCALLTYPE IsVolumeSnapshotted(VSS_PWSZ, BOOL *, LONG *) override { return E_NOTIMPL; }
    HRESULT STDMETHODCALLTYPE SetSnapshotProperty(VSS_ID, VSS_SNAPSHOT_PROPERTY_ID, VARIANT) override
    {
        return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID) override { return E_NOTIMPL; }
    HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ, IVssAsync **) override { return E_NOTIMPL; }

    // IVssProviderCreateSnapshotSet
    HRESULT STDMETHODCALLTYPE EndPrepareSnapshots(VSS_ID) override { return step("EndPrepareSnapshots"); }
    HRESULT STDMETHODCALLTYPE PreCommitSnapshots(VSS_ID) override { return step("PreCommitSnapshots"); }
    HRESULT STDMETHODCALLTYPE CommitSnapshots(VSS_ID) override
    {
        note("CommitSnapshots");
        committing_ = true;
        std::unique_lock<std::mutex> hold(lock_);
        changed_.wait(hold, [this] { return !hold_commit || released_; });
        return fail_commit;
    }
    HRESULT STDMETHODCALLTYPE PostCommitSnapshots(VSS_ID, LONG count) override
    {
        return step("PostCommitSnapshots(" + std::to_string(count) + ")");
    }
    HRESULT STDMETHODCALLTYPE PreFinalCommitSnapshots(VSS_ID) override { return step("PreFinalCommitSnapshots"); }
    HRESULT STDMETHODCALLTYPE PostFinalCommitSnapshots(VSS_ID) override { return step("PostFinalCommitSnapshots"); }
    HRESULT STDMETHODCALLTYPE AbortSnapshots(VSS_ID) override { return step("AbortSnapshots"); }

    // IVssProviderNotifications
    HRESULT STDMETHODCALLTYPE OnLoad(IUnknown *callback) override
    {
        return step(callback == nullptr ? "OnLoad" : "OnLoad(unexpected)");
    }
    HRESULT STDMETHODCALLTYPE OnUnload(BOOL force) override { return step(force ? "OnUnload" : "OnUnload(FALSE)"); }

    void without_notifications() { notifications_ = false; }

private:
    void note(const std::string &what)
    {
        const std::lock_guard<std::mutex> hold(lock_);
        log_ += log_.empty() ? what : " " + what;
    }
    HRESULT step(const std::string &what)
    {
        note(what);
        return S_OK;
    }

    mutable std::mutex lock_;
    std::condition_variable changed_;
    std::string log_;
    bool released_ = false;
    bool notifications_ = true;
    std::atomic<ULONG> references_{1};
    std::atomic<LONG> context_{0};
    std::atomic<bool> committing_{false};
};

vss_provider_info qemu_info()
{
    vss_provider_info info{};
    info.size = sizeof info;
    std::memcpy(&info.id, &kQemuProviderId, sizeof info.id);
    info.name = const_cast<char *>("QEMU Guest Agent VSS Provider");
    info.type = VSS_PROV_SOFTWARE;
    info.version = const_cast<char *>("0.12.1");
    return info;
}

VSS_PWSZ volume(const char16_t *name)
{
    return const_cast<VSS_PWSZ>(W(name));
}

} // namespace

TEST_CASE("C-5.5 a provider written against vsprov.h plugs in by id and is called as the service calls one")
{
    Isolated isolated;
    TestProvider provider;
    const vss_provider_info info = qemu_info();
    REQUIRE(vss_coordinator_register_com_provider(nullptr, &info, static_cast<IVssSoftwareSnapshotProvider *>(&provider)) ==
            S_OK);
    CHECK(provider.log() == "OnLoad");
    CHECK(provider.references() > 1); // held while registered
    CHECK(vss_coordinator_register_com_provider(nullptr, &info, static_cast<IVssSoftwareSnapshotProvider *>(&provider)) ==
          VSS_E_PROVIDER_ALREADY_REGISTERED);
    CHECK(provider.log() == "OnLoad");

    {
        TestWriter writer{u"Writer", test_guid(1)};
        Requester requester;
        requester.gather();
        // Listed as Query(VSS_OBJECT_PROVIDER) lists providers.
        IVssEnumObject *found = nullptr;
        REQUIRE(requester->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_PROVIDER, &found) == S_OK);
        bool listed = false;
        VSS_OBJECT_PROP prop{};
        ULONG fetched = 0;
        while (found->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
            if (IsEqualGUID(prop.Obj.Prov.m_ProviderId, kQemuProviderId)) {
                listed = true;
                CHECK(narrow(std::u16string(reinterpret_cast<const char16_t *>(prop.Obj.Prov.m_pwszProviderName))) ==
                      "QEMU Guest Agent VSS Provider");
                CHECK(prop.Obj.Prov.m_eProviderType == VSS_PROV_SOFTWARE);
            }
            CoTaskMemFree(prop.Obj.Prov.m_pwszProviderName);
            CoTaskMemFree(prop.Obj.Prov.m_pwszProviderVersion);
        }
        found->Release();
        CHECK(listed);

        // C-5.4 through the provider's own IsVolumeSupported.
        REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
        BOOL supported = FALSE;
        CHECK(requester->IsVolumeSupported(kQemuProviderId, volume(u"P:\\"), &supported) == S_OK);
        CHECK(supported == TRUE);
        VSS_ID id{};
        CHECK(requester->AddToSnapshotSet(volume(u"Q:\\"), kQemuProviderId, &id) == VSS_E_OBJECT_NOT_FOUND);
        CHECK(requester->AddToSnapshotSet(volume(u"R:\\"), kQemuProviderId, &id) == VSS_E_VOLUME_NOT_SUPPORTED);
        REQUIRE(requester->AddToSnapshotSet(volume(u"P:\\"), kQemuProviderId, &requester.snapshot_id) == S_OK);
        REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
        provider.clear();
        REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
        CHECK(provider.log() ==
              "SetContext BeginPrepareSnapshot(P:\\) EndPrepareSnapshots PreCommitSnapshots CommitSnapshots "
              "PostCommitSnapshots(1) PreFinalCommitSnapshots PostFinalCommitSnapshots GetSnapshotProperties");
        CHECK(provider.context() == VSS_CTX_BACKUP);

        VSS_SNAPSHOT_PROP snapshot{};
        REQUIRE(requester->GetSnapshotProperties(requester.snapshot_id, &snapshot) == S_OK);
        CHECK(narrow(std::u16string(reinterpret_cast<const char16_t *>(snapshot.m_pwszSnapshotDeviceObject))) ==
              "\\\\?\\GLOBALROOT\\Device\\TestShadow1");
        CHECK(narrow(std::u16string(reinterpret_cast<const char16_t *>(snapshot.m_pwszOriginalVolumeName))) == "P:\\");
        CHECK(IsEqualGUID(snapshot.m_ProviderId, kQemuProviderId));
        VssFreeSnapshotProperties(&snapshot);

        provider.clear();
        LONG deleted = 0;
        VSS_ID kept{};
        CHECK(requester->DeleteSnapshots(requester.snapshot_id, VSS_OBJECT_SNAPSHOT, TRUE, &deleted, &kept) == S_OK);
        CHECK(deleted == 1);
        CHECK(provider.log() == "DeleteSnapshots");
    }

    const vss_guid id = info.id;
    provider.clear();
    REQUIRE(vss_coordinator_unregister_provider(nullptr, &id) == S_OK);
    CHECK(provider.log() == "OnUnload");
    CHECK(provider.references() == 1); // every reference the library took is given back
}

TEST_CASE("C-5.3 QEMU's guest agent: its context and its own provider's id; DoSnapshotSet pending while the provider commits")
{
    Isolated isolated;
    TestProvider provider;
    provider.hold_commit = true;
    const vss_provider_info info = qemu_info();
    REQUIRE(vss_coordinator_register_com_provider(nullptr, &info, static_cast<IVssSoftwareSnapshotProvider *>(&provider)) ==
            S_OK);
    {
        TestWriter writer{u"Writer", test_guid(1)};
        Requester requester;
        REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
        // With a provider that takes every requester bit, the transportable context QEMU asks first is taken.
        REQUIRE(requester->SetContext(kQemuContext) == S_OK);
        REQUIRE(requester->SetBackupState(true, true, VSS_BT_FULL, false) == S_OK);
        REQUIRE(requester.run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
        REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
        REQUIRE(requester->AddToSnapshotSet(volume(u"P:\\"), kQemuProviderId, &requester.snapshot_id) == S_OK);
        REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);

        IVssAsync *async = nullptr;
        REQUIRE(requester->DoSnapshotSet(&async) == S_OK);
        wait_until([&] { return provider.committing(); });
        HRESULT status = E_FAIL;
        REQUIRE(async->QueryStatus(&status, nullptr) == S_OK);
        CHECK(status == VSS_S_ASYNC_PENDING); // QEMU polls this while its provider holds the commit
        CHECK(writer.count(On::Freeze) == 1);
        CHECK(writer.count(On::Thaw) == 0); // the provider commits between OnFreeze and OnThaw
        provider.release_commit();
        REQUIRE(async->Wait(INFINITE) == S_OK);
        REQUIRE(async->QueryStatus(&status, nullptr) == S_OK);
        CHECK(status == VSS_S_ASYNC_FINISHED);
        async->Release();
        CHECK(provider.context() == kQemuContext);
        CHECK(writer.count(On::Thaw) == 1);
    }
    const vss_guid id = info.id;
    REQUIRE(vss_coordinator_unregister_provider(nullptr, &id) == S_OK);
}

TEST_CASE("C-5.6 a vsprov.h provider whose commit fails is told AbortSnapshots and leaves no snapshot")
{
    Isolated isolated;
    TestProvider provider;
    provider.without_notifications(); // optional: never told OnLoad/OnUnload
    provider.fail_commit = VSS_E_PROVIDER_VETO;
    const vss_provider_info info = qemu_info();
    REQUIRE(vss_coordinator_register_com_provider(nullptr, &info, static_cast<IVssSoftwareSnapshotProvider *>(&provider)) ==
            S_OK);
    CHECK(provider.log().empty());
    {
        TestWriter writer{u"Writer", test_guid(1)};
        Requester requester;
        requester.gather();
        requester.prepare(u"P:\\", kQemuProviderId);
        provider.clear();
        CHECK(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_E_PROVIDER_VETO);
        CHECK(provider.log() ==
              "SetContext BeginPrepareSnapshot(P:\\) EndPrepareSnapshots PreCommitSnapshots CommitSnapshots "
              "AbortSnapshots");
        VSS_SNAPSHOT_PROP snapshot{};
        CHECK(requester->GetSnapshotProperties(requester.snapshot_id, &snapshot) == VSS_E_OBJECT_NOT_FOUND);

        // A committed set whose device the provider does not name is deleted again.
        provider.fail_commit = S_OK;
        provider.give_device = false;
        Requester second;
        second.gather();
        second.prepare(u"P:\\", kQemuProviderId);
        provider.clear();
        CHECK(second.run(&IVssBackupComponents::DoSnapshotSet) == VSS_E_UNEXPECTED_PROVIDER_ERROR);
        CHECK(provider.log().find("GetSnapshotProperties DeleteSnapshots") != std::string::npos);
        CHECK(second->GetSnapshotProperties(second.snapshot_id, &snapshot) == VSS_E_OBJECT_NOT_FOUND);
    }
    const vss_guid id = info.id;
    REQUIRE(vss_coordinator_unregister_provider(nullptr, &id) == S_OK);
    CHECK(provider.references() == 1);
}

namespace {
// An object with neither provider interface.
struct NotAProvider final : IUnknown {
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **out) override
    {
        *out = IsEqualGUID(riid, IID_IUnknown) ? this : nullptr;
        return *out != nullptr ? S_OK : E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return 2; }
    ULONG STDMETHODCALLTYPE Release() override { return 1; }
};
} // namespace

TEST_CASE("C-6.2 vss_coordinator_register_com_provider refuses bad arguments and changes nothing")
{
    Isolated isolated;
    uint32_t before = 0;
    REQUIRE(vss_coordinator_provider_count(nullptr, &before) == S_OK);
    TestProvider provider;
    vss_provider_info info = qemu_info();
    IUnknown *object = static_cast<IVssSoftwareSnapshotProvider *>(&provider);
    CHECK(vss_coordinator_register_com_provider(nullptr, nullptr, object) == E_INVALIDARG);
    CHECK(vss_coordinator_register_com_provider(nullptr, &info, nullptr) == E_INVALIDARG);
    vss_provider_info bad = info;
    bad.size = 4;
    CHECK(vss_coordinator_register_com_provider(nullptr, &bad, object) == E_INVALIDARG);
    bad = info;
    std::memset(&bad.id, 0, sizeof bad.id);
    CHECK(vss_coordinator_register_com_provider(nullptr, &bad, object) == E_INVALIDARG);
    bad = info;
    bad.name = nullptr;
    CHECK(vss_coordinator_register_com_provider(nullptr, &bad, object) == E_INVALIDARG);
    bad = info;
    bad.type = VSS_PROV_HARDWARE;
    CHECK(vss_coordinator_register_com_provider(nullptr, &bad, object) == E_INVALIDARG);
    NotAProvider other;
    CHECK(vss_coordinator_register_com_provider(nullptr, &info, &other) == E_NOINTERFACE);
    uint32_t after = 0;
    REQUIRE(vss_coordinator_provider_count(nullptr, &after) == S_OK);
    CHECK(after == before);
    CHECK(provider.log().empty());
    CHECK(provider.references() == 1);
}
