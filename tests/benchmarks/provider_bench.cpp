// What a snapshot costs per provider (C-5.5): one backup through the flat C
// API of a folder of 1,000 files of 64 KiB, with one writer whose OnFreeze and
// OnThaw mark the freeze window it sees (the commit runs inside it, C-5.2).
// live and copy always; reflink and btrfs on folders given by
// OPENVSS_BENCH_XFS (an XFS file system with reflink=1) and OPENVSS_BENCH_BTRFS
// (a folder in a btrfs subvolume, as root).
#include <vssapi/vssapi.h>

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFiles = 1000;
constexpr std::size_t kFileSize = 64 * 1024;

void check(vss_hresult hr, const char *what)
{
    if (hr < 0) {
        throw std::runtime_error(std::string(what) + ": " + vss_last_error_message());
    }
}

// The tree to snapshot, made once per folder.
fs::path make_tree(const fs::path &root)
{
    const fs::path tree = root / "openvss-bench-tree";
    if (fs::exists(tree / "999.dat")) {
        return tree;
    }
    fs::create_directories(tree);
    const std::string block(kFileSize, 'd');
    for (int i = 0; i < kFiles; ++i) {
        std::ofstream(tree / (std::to_string(i) + ".dat"), std::ios::binary) << block;
    }
    return tree;
}

struct Window {
    std::atomic<long long> freeze_end{0};
    std::atomic<long long> thaw_start{0};
};

long long now_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

void BM_provider(benchmark::State &state, const char *provider_name, vss_guid provider, const char *folder_variable)
{
    fs::path root = fs::temp_directory_path();
    if (folder_variable != nullptr) {
        const char *given = std::getenv(folder_variable);
        if (given == nullptr || *given == 0) {
            state.SkipWithError((std::string("set ") + folder_variable + " to a folder to measure " + provider_name)
                                    .c_str());
            return;
        }
        root = given;
    }
    const std::string tree = make_tree(root).string();
    vss_coordinator *coordinator = nullptr;
    check(vss_coordinator_create(nullptr, &coordinator), "vss_coordinator_create");
    Window window;
    vss_writer_callbacks callbacks{};
    callbacks.size = sizeof callbacks;
    callbacks.on_freeze = [](void *user, vss_writer *) VSS_CALL -> int32_t {
        static_cast<Window *>(user)->freeze_end = now_ns();
        return 1;
    };
    callbacks.on_thaw = [](void *user, vss_writer *) VSS_CALL -> int32_t {
        static_cast<Window *>(user)->thaw_start = now_ns();
        return 1;
    };
    const vss_guid writer_class = {0x6f70656e, 0x0bec, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 1}};
    vss_writer_info info{};
    info.size = sizeof info;
    info.class_id = &writer_class;
    info.name = "Bench Writer";
    info.usage = 3;
    info.source = 1;
    vss_writer *writer = nullptr;
    check(vss_writer_create(coordinator, &info, &callbacks, &window, &writer), "vss_writer_create");
    check(vss_writer_subscribe(writer), "vss_writer_subscribe");
    double windows_ms = 0;
    for (auto _ : state) {
        vss_requester *requester = nullptr;
        check(vss_requester_create(coordinator, &requester), "vss_requester_create");
        check(vss_requester_initialize_for_backup(requester), "InitializeForBackup");
        check(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA), "GatherWriterMetadata");
        vss_guid set{}, snapshot{};
        check(vss_requester_start_snapshot_set(requester, &set), "StartSnapshotSet");
        check(vss_requester_add_to_snapshot_set_with(requester, tree.c_str(), &provider, &snapshot), "AddToSnapshotSet");
        check(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP), "PrepareForBackup");
        const auto start = Clock::now();
        check(vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET), "DoSnapshotSet");
        state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
        windows_ms += static_cast<double>(window.thaw_start - window.freeze_end) / 1e6;
        state.PauseTiming();
        vss_requester_release(requester); // auto-release: the provider deletes the snapshot
        state.ResumeTiming();
    }
    state.counters["freeze_window_ms"] = benchmark::Counter(windows_ms / static_cast<double>(state.iterations()));
    state.counters["files"] = kFiles;
    vss_writer_release(writer);
    vss_coordinator_release(coordinator);
}

} // namespace

BENCHMARK_CAPTURE(BM_provider, live, "live", vss_guid VSS_PROVIDER_LIVE_ID, nullptr)
    ->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK_CAPTURE(BM_provider, copy, "copy", vss_guid VSS_PROVIDER_COPY_ID, nullptr)
    ->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK_CAPTURE(BM_provider, reflink_xfs, "reflink", vss_guid VSS_PROVIDER_REFLINK_ID, "OPENVSS_BENCH_XFS")
    ->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK_CAPTURE(BM_provider, btrfs, "btrfs", vss_guid VSS_PROVIDER_BTRFS_ID, "OPENVSS_BENCH_BTRFS")
    ->Unit(benchmark::kMillisecond)->UseManualTime();

BENCHMARK_MAIN();
