// The btrfs and reflink providers on file systems the test makes: a btrfs
// snapshot taken between the writers' OnFreeze and OnThaw keeps each file as
// it was at the commit (C-5.5); refusals and clean-up (C-5.4, C-5.6).
#include "vss_fixture.h"

#include "providers/btrfs_provider.h"
#include "providers/builtin.h"
#include "providers/copy_provider.h"
#include "providers/folder_volume.h"
#include "providers/reflink_provider.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace conformance;
namespace fs = std::filesystem;
using vssapi::providers::kBtrfsProviderId;
using vssapi::providers::kCopyProviderId;
using vssapi::providers::kFsfreezeProviderId;
using vssapi::providers::kReflinkProviderId;

namespace {

void run(const std::string &command)
{
    INFO(command);
    REQUIRE(std::system((command + " >/dev/null 2>&1").c_str()) == 0);
}

// A file system of `type` in an image, loop-mounted for the test's lifetime.
struct Mounted {
    fs::path dir;
    fs::path image;
    Mounted(const std::string &type, const std::string &mkfs)
    {
        dir = fs::temp_directory_path() / ("openvss-" + type + "-" + std::to_string(getpid()));
        image = dir.string() + ".img";
        fs::create_directories(dir);
        run("truncate -s 320M " + image.string());
        run(mkfs + " " + image.string());
        run("mount -o loop " + image.string() + " " + dir.string());
    }
    ~Mounted()
    {
        (void)std::system(("umount " + dir.string() + " >/dev/null 2>&1").c_str());
        std::error_code error;
        fs::remove(dir, error);
        fs::remove(image, error);
    }
};

void write(const fs::path &file, const std::string &text)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
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

CoordinatorOptions builtin_providers()
{
    CoordinatorOptions options;
    options.more_providers = vssapi::providers::builtin();
    return options;
}

struct Taken {
    HRESULT done = E_FAIL;
    std::vector<VSS_ID> ids;
    std::vector<std::u16string> devices;
};

Taken take(Requester &requester, const std::vector<std::pair<fs::path, GUID>> &volumes)
{
    Taken taken;
    requester.gather();
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    for (const auto &[volume, provider] : volumes) {
        const std::u16string name = vssapi::providers::from_path(volume);
        VSS_ID id{};
        REQUIRE(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(name.c_str())), provider, &id) == S_OK);
        taken.ids.push_back(id);
    }
    REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
    taken.done = requester.run(&IVssBackupComponents::DoSnapshotSet);
    if (taken.done == VSS_S_ASYNC_FINISHED) {
        for (const VSS_ID &id : taken.ids) {
            VSS_SNAPSHOT_PROP prop{};
            REQUIRE(requester->GetSnapshotProperties(id, &prop) == S_OK);
            taken.devices.push_back(reinterpret_cast<const char16_t *>(prop.m_pwszSnapshotDeviceObject));
            VssFreeSnapshotProperties(&prop);
        }
    }
    return taken;
}

fs::path device(const std::u16string &text)
{
    return vssapi::providers::to_path(text);
}

} // namespace

TEST_CASE("C-5.5 btrfs: a snapshot taken between OnFreeze and OnThaw keeps each file as it was at the commit")
{
    Mounted btrfs("btrfs", "mkfs.btrfs -q");
    run("btrfs subvolume create " + (btrfs.dir / "data").string());
    fs::create_directories(btrfs.dir / "data" / "db");
    const fs::path file = btrfs.dir / "data" / "db" / "table.dat";
    write(file, "before");
    Isolated isolated(builtin_providers());
    TestWriter writer{u"Database", test_guid(1)};
    writer.on(On::Freeze, [&](TestWriter &, IVssWriterComponents *) {
        write(file, "as frozen"); // the application's last write before it holds
        return true;
    });
    writer.on(On::Thaw, [&](TestWriter &, IVssWriterComponents *) {
        write(file, "after thaw"); // writes resume after the commit
        return true;
    });
    Requester requester;
    // The volume is a folder inside the subvolume: the snapshot is of the subvolume.
    const Taken taken = take(requester, {{btrfs.dir / "data" / "db", kBtrfsProviderId}});
    REQUIRE(taken.done == VSS_S_ASYNC_FINISHED);
    CHECK(read(file) == "after thaw");
    CHECK(read(device(taken.devices[0]) / "table.dat") == "as frozen");
    // Read-only, as a snapshot is.
    CHECK(access((device(taken.devices[0]) / "table.dat").c_str(), W_OK) != 0);
    const fs::path snapshot = device(taken.devices[0]).parent_path();
    CHECK(fs::exists(snapshot));
    LONG deleted = 0;
    VSS_ID failed{};
    CHECK(requester->DeleteSnapshots(taken.ids[0], VSS_OBJECT_SNAPSHOT, TRUE, &deleted, &failed) == S_OK);
    CHECK_FALSE(fs::exists(snapshot)); // the subvolume went with its snapshot
}

TEST_CASE("C-5.5 reflink on XFS: the copy keeps the files as they were at the commit and costs no data blocks")
{
    Mounted xfs("xfs", "mkfs.xfs -q -m reflink=1");
    fs::create_directories(xfs.dir / "share" / "sub");
    write(xfs.dir / "share" / "a.txt", "before");
    write(xfs.dir / "share" / "sub" / "b.txt", std::string(1 << 20, 'x'));
    Isolated isolated(builtin_providers());
    TestWriter writer{u"Files", test_guid(1)};
    {
        Requester requester;
        const Taken taken = take(requester, {{xfs.dir / "share", kReflinkProviderId}});
        REQUIRE(taken.done == VSS_S_ASYNC_FINISHED);
        write(xfs.dir / "share" / "a.txt", "after");
        CHECK(read(device(taken.devices[0]) / "a.txt") == "before");
        CHECK(read(device(taken.devices[0]) / "sub" / "b.txt").size() == (1u << 20));
        CHECK(fs::exists(device(taken.devices[0])));
    }
    // Auto-released with the requester: the copy is gone, the store empty.
    CHECK(fs::is_empty(xfs.dir / ".openvss-snapshots"));
}

TEST_CASE("C-5.4 btrfs and reflink: a folder on another file system is VSS_E_VOLUME_NOT_SUPPORTED")
{
    Mounted ext("tmp", "mkfs.ext4 -q -F");
    Isolated isolated(builtin_providers());
    Requester requester;
    requester.gather();
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    const std::u16string name = vssapi::providers::from_path(ext.dir);
    BOOL supported = TRUE;
    for (const GUID &provider : {kBtrfsProviderId, kReflinkProviderId}) {
        CHECK(requester->IsVolumeSupported(provider, const_cast<VSS_PWSZ>(W(name.c_str())), &supported) == S_OK);
        CHECK(supported == FALSE);
        VSS_ID id{};
        CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(name.c_str())), provider, &id) ==
              VSS_E_VOLUME_NOT_SUPPORTED);
    }
}

TEST_CASE("C-5.6 a set whose second provider fails: the btrfs snapshot of the first is deleted, no set is made")
{
    Mounted btrfs("btrfs", "mkfs.btrfs -q");
    run("btrfs subvolume create " + (btrfs.dir / "data").string());
    write(btrfs.dir / "data" / "a.txt", "data");
    const fs::path other = btrfs.dir.string() + "-copy";
    fs::create_directories(other);
    REQUIRE(mkfifo((other / "pipe").c_str(), 0600) == 0); // no copy can take it
    Isolated isolated(builtin_providers());
    TestWriter writer{u"Writer", test_guid(1)};
    {
        Requester requester;
        const Taken taken = take(requester, {{btrfs.dir / "data", kBtrfsProviderId}, {other, kCopyProviderId}});
        CHECK(taken.done == VSS_E_UNEXPECTED_PROVIDER_ERROR);
        CHECK(fs::is_empty(btrfs.dir / "data" / ".openvss-snapshots"));
        VSS_SNAPSHOT_PROP prop{};
        CHECK(requester->GetSnapshotProperties(taken.ids[0], &prop) == VSS_E_OBJECT_NOT_FOUND);
        CHECK(writer.count(On::Abort) == 1);
    }
    fs::remove_all(other);
}

TEST_CASE("C-5.5 fsfreeze: the file system is frozen for the copy between OnFreeze and OnThaw, then thawed")
{
    Mounted xfs("xfs-frozen", "mkfs.xfs -q");
    fs::create_directories(xfs.dir / "db");
    const fs::path file = xfs.dir / "db" / "table.dat";
    write(file, "before");
    Isolated isolated(builtin_providers());
    TestWriter writer{u"Database", test_guid(1)};
    writer.on(On::Freeze, [&](TestWriter &, IVssWriterComponents *) {
        write(file, "as frozen");
        return true;
    });
    writer.on(On::Thaw, [&](TestWriter &, IVssWriterComponents *) {
        write(file, "after thaw"); // would block for ever if the file system were still frozen
        return true;
    });
    {
        Requester requester;
        const Taken taken = take(requester, {{xfs.dir / "db", kFsfreezeProviderId}});
        REQUIRE(taken.done == VSS_S_ASYNC_FINISHED);
        CHECK(read(device(taken.devices[0]) / "table.dat") == "as frozen");
        CHECK(read(file) == "after thaw");
    }
    // The store is on another file system (temp); a volume on the store's own one cannot be frozen for it.
    const fs::path same = fs::temp_directory_path() / "openvss-fsfreeze-same";
    fs::create_directories(same);
    Requester requester;
    requester.gather();
    REQUIRE(requester->StartSnapshotSet(&requester.snapshot_set_id) == S_OK);
    const std::u16string name = vssapi::providers::from_path(same);
    VSS_ID id{};
    CHECK(requester->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(name.c_str())), kFsfreezeProviderId, &id) ==
          VSS_E_VOLUME_NOT_SUPPORTED);
    fs::remove_all(same);
}
