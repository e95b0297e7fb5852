// Contract C-5.4 to C-5.6 with the providers a backup tool can read through:
// `live` (the volume as it is now) and `copy` (a point-in-time copy of a
// folder tree), chosen by provider id, on folders the test makes.
#include "vss_fixture.h"

#include "core/snapshot_provider.h"
#include "providers/builtin.h"
#include "providers/copy_provider.h"
#include "providers/folder_volume.h"
#include "providers/live_provider.h"
#include "scenario/scripted_provider.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#ifndef _WIN32
#include <sys/stat.h>
#endif

using namespace conformance;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using vssapi::providers::CopyProvider;
using vssapi::providers::kCopyProviderId;
using vssapi::providers::kLiveProviderId;

namespace {

// A folder of its own for one test, removed at the end.
struct Scratch {
    fs::path root;
    explicit Scratch(const char *name)
    {
        root = fs::temp_directory_path() / (std::string("openvss-test-") + name);
        fs::remove_all(root);
        fs::create_directories(root / "volume" / "sub");
        fs::create_directories(root / "store");
    }
    ~Scratch()
    {
        std::error_code error;
        fs::remove_all(root, error);
    }
    fs::path volume() const { return root / "volume"; }
    fs::path store() const { return root / "store"; }
    std::size_t stored() const
    {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(store()), fs::directory_iterator()));
    }
};

void write(const fs::path &file, const std::string &text)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

std::string read(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return "<cannot open " + file.string() + ">";
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::u16string wide(const fs::path &path)
{
    return vssapi::providers::from_path(path);
}

// device + separator + relative path, as a backup tool composes it (C-5.5).
fs::path through(const std::u16string &device, const char16_t *relative)
{
#ifdef _WIN32
    std::u16string path = device + u"\\" + relative;
    for (char16_t &c : path) {
        c = c == u'/' ? u'\\' : c;
    }
#else
    std::u16string path = device + u"/" + relative;
#endif
    return vssapi::providers::to_path(path);
}

CoordinatorOptions with_providers(const fs::path &store)
{
    CoordinatorOptions options;
    options.more_providers = {std::make_shared<vssapi::providers::LiveProvider>(),
                              std::make_shared<CopyProvider>(store)};
    return options;
}

struct Snapshot {
    HRESULT added = E_FAIL;
    HRESULT done = E_FAIL;
    VSS_ID id{};
    std::u16string device;
    std::u16string original;
    VSS_ID provider{};
};

// gather, AddToSnapshotSet(volume, provider), PrepareForBackup, DoSnapshotSet, properties.
Snapshot take(Requester &requester, const fs::path &volume, const GUID &provider)
{
    Snapshot result;
    requester.gather();
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    std::u16string name = wide(volume);
    result.added = requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(name.c_str())), provider, &result.id);
    if (result.added != S_OK) {
        return result;
    }
    REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
    result.done = requester.run(&IVssBackupComponents::DoSnapshotSet);
    if (result.done != VSS_S_ASYNC_FINISHED) {
        return result;
    }
    VSS_SNAPSHOT_PROP prop{};
    REQUIRE(requester->GetSnapshotProperties(result.id, &prop) == S_OK);
    result.device = reinterpret_cast<const char16_t *>(prop.m_pwszSnapshotDeviceObject);
    result.original = reinterpret_cast<const char16_t *>(prop.m_pwszOriginalVolumeName);
    result.provider = prop.m_ProviderId;
    VssFreeSnapshotProperties(&prop);
    return result;
}

} // namespace

TEST_CASE("C-5.5 the copy provider's device path reads each file as it was at the commit; live reads it as it is")
{
    Scratch scratch("c55");
    write(scratch.volume() / "a.txt", "before");
    write(scratch.volume() / "sub" / "b.txt", "deep");
    Isolated isolated(with_providers(scratch.store()));
    TestWriter writer{u"Writer", test_guid(1)};
    {
        Requester requester;
        const Snapshot copy = take(requester, scratch.volume(), kCopyProviderId);
        REQUIRE(copy.added == S_OK);
        REQUIRE(copy.done == VSS_S_ASYNC_FINISHED);
        CHECK(IsEqualGUID(copy.provider, kCopyProviderId));
        write(scratch.volume() / "a.txt", "after"); // after the commit: not in the snapshot
        CHECK(read(through(copy.device, u"a.txt")) == "before");
        CHECK(read(through(copy.device, u"sub/b.txt")) == "deep");
        CHECK(scratch.stored() == 1);
        // C-5.4: the original volume by its unique name (Linux: the canonical path).
#ifndef _WIN32
        CHECK(copy.original == wide(fs::canonical(scratch.volume())) + u"/");
#endif
        LONG deleted = 0;
        VSS_ID failed{};
        CHECK(requester->DeleteSnapshots(copy.id, VSS_OBJECT_SNAPSHOT, TRUE, &deleted, &failed) == S_OK);
        CHECK(deleted == 1);
        CHECK(scratch.stored() == 0); // the copy went with its snapshot
    }
    {
        Requester requester;
        const Snapshot live = take(requester, scratch.volume(), kLiveProviderId);
        REQUIRE(live.done == VSS_S_ASYNC_FINISHED);
        write(scratch.volume() / "a.txt", "now");
        CHECK(read(through(live.device, u"a.txt")) == "now"); // not point-in-time, and it says so
    }
    {
        Requester requester;
        const Snapshot copy = take(requester, scratch.volume(), kCopyProviderId);
        REQUIRE(copy.done == VSS_S_ASYNC_FINISHED);
        CHECK(scratch.stored() == 1);
    }
    CHECK(scratch.stored() == 0); // auto-release: gone with the requester
}

TEST_CASE("C-5.4 a volume that does not exist is VSS_E_OBJECT_NOT_FOUND; an unregistered provider id is refused")
{
    Scratch scratch("c54");
    Isolated isolated(with_providers(scratch.store()));
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    requester.gather();
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    const std::u16string missing = wide(scratch.root / "no-such-volume");
    VSS_PWSZ missing_name = const_cast<VSS_PWSZ>(W(missing.c_str()));
    VSS_ID id{};
    BOOL supported = TRUE;
    for (const GUID &provider : {kLiveProviderId, kCopyProviderId}) {
        CHECK(requester->AddToSnapshotSet(missing_name, provider, &id) == VSS_E_OBJECT_NOT_FOUND);
        CHECK(requester->IsVolumeSupported(provider, missing_name, &supported) == VSS_E_OBJECT_NOT_FOUND);
    }
    // The simulated machine has a volume on every drive letter and nothing else.
    CHECK(requester->IsVolumeSupported(GUID_NULL, const_cast<VSS_PWSZ>(W(u"Q:\\")), &supported) == S_OK);
    CHECK(supported == TRUE);
    CHECK(requester->AddToSnapshotSet(missing_name, GUID_NULL, &id) == VSS_E_OBJECT_NOT_FOUND);
    // A copy provider cannot snapshot a folder that holds its own store.
    const std::u16string root = wide(scratch.root);
    CHECK(requester->IsVolumeSupported(kCopyProviderId, const_cast<VSS_PWSZ>(W(root.c_str())), &supported) == S_OK);
    CHECK(supported == FALSE);
    CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(root.c_str())), kCopyProviderId, &id) ==
          VSS_E_VOLUME_NOT_SUPPORTED);
    const GUID unknown = test_guid(77);
    CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"C:\\")), unknown, &id) == VSS_E_PROVIDER_NOT_REGISTERED);
    CHECK(requester->IsVolumeSupported(unknown, const_cast<VSS_PWSZ>(W(u"C:\\")), &supported) ==
          VSS_E_PROVIDER_NOT_REGISTERED);
    // The same volume twice, by two spellings: one snapshot.
    const std::u16string volume = wide(scratch.volume());
    const std::u16string spelled = wide(scratch.volume() / "sub" / "..");
    CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(volume.c_str())), kLiveProviderId, &id) == S_OK);
    CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(spelled.c_str())), kLiveProviderId, &id) ==
          VSS_E_OBJECT_ALREADY_EXISTS);
}

TEST_CASE("C-5.5 Query(VSS_OBJECT_PROVIDER) lists every provider by id, name, type and version, the default first")
{
    Scratch scratch("c55q");
    Isolated isolated(with_providers(scratch.store()));
    Requester requester;
    REQUIRE(requester->InitializeForBackup(nullptr) == S_OK);
    IVssEnumObject *providers = nullptr;
    REQUIRE(requester->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_PROVIDER, &providers) == S_OK);
    VSS_OBJECT_PROP props[4]{};
    ULONG fetched = 0;
    CHECK(providers->Next(4, props, &fetched) == S_FALSE);
    REQUIRE(fetched == 3);
    CHECK(IsEqualGUID(props[0].Obj.Prov.m_ProviderId, vssapi::core::kInMemoryProviderId));
    CHECK(IsEqualGUID(props[1].Obj.Prov.m_ProviderId, kLiveProviderId));
    CHECK(IsEqualGUID(props[2].Obj.Prov.m_ProviderId, kCopyProviderId));
    for (ULONG i = 0; i < fetched; ++i) {
        CHECK(props[i].Type == VSS_OBJECT_PROVIDER);
        CHECK(props[i].Obj.Prov.m_eProviderType == VSS_PROV_SOFTWARE);
        REQUIRE(props[i].Obj.Prov.m_pwszProviderName != nullptr);
        REQUIRE(props[i].Obj.Prov.m_pwszProviderVersion != nullptr);
        CoTaskMemFree(props[i].Obj.Prov.m_pwszProviderName);
        CoTaskMemFree(props[i].Obj.Prov.m_pwszProviderVersion);
    }
    providers->Release();
}

#ifndef _WIN32
TEST_CASE("C-5.6 a copy that fails half-way leaves nothing behind and no snapshot set")
{
    Scratch scratch("c56");
    write(scratch.volume() / "a.txt", "data");
    // A FIFO is no file a copy can take: the commit fails after a.txt may be copied.
    REQUIRE(mkfifo((scratch.volume() / "sub" / "pipe").c_str(), 0600) == 0);
    Isolated isolated(with_providers(scratch.store()));
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    const Snapshot copy = take(requester, scratch.volume(), kCopyProviderId);
    REQUIRE(copy.added == S_OK);
    CHECK(copy.done == VSS_E_UNEXPECTED_PROVIDER_ERROR);
    CHECK(scratch.stored() == 0);
    VSS_SNAPSHOT_PROP prop{};
    CHECK(requester->GetSnapshotProperties(copy.id, &prop) == VSS_E_OBJECT_NOT_FOUND);
    CHECK(writer.count(On::Abort) == 1);
}
#endif

TEST_CASE("C-5.6 a commit that outlives the hold window: no set, and what it makes late is deleted")
{
    Scratch scratch("c56t");
    write(scratch.volume() / "a.txt", "data");
    auto clock = std::make_shared<VirtualClock>();
    CoordinatorOptions options = with_providers(scratch.store());
    vssapi::scenario::ProviderBehaviour slow;
    slow.take = 30s; // three times the 10 s window (C-5.2)
    options.provider = std::make_shared<vssapi::scenario::ScriptedProvider>(
        slow, clock, std::make_shared<CopyProvider>(scratch.store()));
    options.clock = clock;
    Isolated isolated(options);
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    requester.gather();
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    const std::u16string volume = wide(scratch.volume());
    VSS_ID id{};
    REQUIRE(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(volume.c_str())), GUID_NULL, &id) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
    IVssAsync *async = nullptr;
    REQUIRE(requester->DoSnapshotSet(&async) == S_OK);
    // Moved on in steps until the step gives up; then past the provider's 30 s.
    HRESULT status = VSS_S_ASYNC_PENDING;
    for (int i = 0; i < 2000 && status == VSS_S_ASYNC_PENDING; ++i) {
        clock->advance(1s);
        std::this_thread::sleep_for(2ms);
        REQUIRE(async->QueryStatus(&status, nullptr) == S_OK);
    }
    async->Release();
    CHECK(status == VSS_E_HOLD_WRITES_TIMEOUT);
    clock->advance(60s);
    wait_until([&] { return scratch.stored() == 0 && writer.count(On::Abort) == 1; });
    VSS_SNAPSHOT_PROP prop{};
    CHECK(requester->GetSnapshotProperties(id, &prop) == VSS_E_OBJECT_NOT_FOUND);
}

TEST_CASE("C-5.5 Microsoft's software provider id names the configured default provider, as on Windows")
{
    // restic asks IsVolumeSupported of {b5946137-...} by name; with `live` the
    // default (VSSAPI_PROVIDER=live) that must be the live provider.
    Scratch scratch("c55ms");
    CoordinatorOptions options = with_providers(scratch.store());
    options.provider = std::make_shared<vssapi::providers::LiveProvider>();
    Isolated isolated(options);
    TestWriter writer{u"Writer", test_guid(1)};
    Requester requester;
    requester.gather();
    const std::u16string volume = wide(scratch.volume());
    BOOL supported = FALSE;
    CHECK(requester->IsVolumeSupported(vssapi::core::kInMemoryProviderId, const_cast<VSS_PWSZ>(W(volume.c_str())),
                                       &supported) == S_OK);
    CHECK(supported == TRUE);
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    VSS_ID id{};
    REQUIRE(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(volume.c_str())), vssapi::core::kInMemoryProviderId,
                                        &id) == S_OK);
    REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
    REQUIRE(requester.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    VSS_SNAPSHOT_PROP prop{};
    REQUIRE(requester->GetSnapshotProperties(id, &prop) == S_OK);
    CHECK(IsEqualGUID(prop.m_ProviderId, kLiveProviderId));
    VssFreeSnapshotProperties(&prop);
}
