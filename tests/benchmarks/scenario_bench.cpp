// What a scenario costs in real time on the simulated clock: each example of
// examples/scenarios/ loaded into a fresh coordinator and run as one whole
// backup through the flat C API. The hung writer's 600 s event timeout and
// the 15 s commit are simulated time; the figure is what a test suite pays.
#include <vssapi/vssapi.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace {

std::string example(const char *name)
{
    const char *root = std::getenv("OPENVSS_SCENARIO_EXAMPLES");
    return std::string(root != nullptr ? root : "examples/scenarios") + "/" + name + ".json";
}

void check(vss_hresult hr, const char *what)
{
    if (hr < 0) {
        throw std::runtime_error(std::string(what) + ": " + vss_last_error_message());
    }
}

// One whole backup, as far as the scenario lets it go.
void run_backup(vss_coordinator *coordinator)
{
    vss_requester *requester = nullptr;
    check(vss_requester_create(coordinator, &requester), "vss_requester_create");
    check(vss_requester_initialize_for_backup(requester), "InitializeForBackup");
    check(vss_requester_set_backup_state(requester, 1, 0, 1, 0), "SetBackupState");
    check(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA), "GatherWriterMetadata");
    check(vss_requester_add_all_components(requester), "AddComponent");
    vss_guid set{}, snapshot{};
    check(vss_requester_start_snapshot_set(requester, &set), "StartSnapshotSet");
    check(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot), "AddToSnapshotSet");
    check(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP), "PrepareForBackup");
    if (vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) >= 0) { // the commit may fail on purpose
        check(vss_requester_run(requester, VSS_STEP_BACKUP_COMPLETE), "BackupComplete");
    } else {
        vss_requester_abort(requester);
    }
    check(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS), "GatherWriterStatus");
    vss_requester_release(requester);
}

void BM_scenario(benchmark::State &state, const char *name)
{
    const std::string path = example(name);
    for (auto _ : state) {
        vss_coordinator_options options{};
        options.size = sizeof options;
        options.virtual_clock = VSS_CLOCK_SIMULATED;
        vss_coordinator *coordinator = nullptr;
        check(vss_coordinator_create(&options, &coordinator), "vss_coordinator_create");
        vss_scenario *scenario = nullptr;
        check(vss_scenario_load(coordinator, path.c_str(), &scenario), path.c_str());
        run_backup(coordinator);
        vss_scenario_release(scenario);
        vss_coordinator_release(coordinator);
    }
}

} // namespace

BENCHMARK_CAPTURE(BM_scenario, all_writers_succeed, "all-writers-succeed")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_scenario, partial_failure, "partial-failure")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_scenario, freeze_timeout, "freeze-timeout")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_scenario, hung_writer, "hung-writer")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_scenario, commit_hold_writes_timeout, "commit-hold-writes-timeout")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
