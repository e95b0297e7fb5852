// Providers through the flat C API (C-5.4 to C-5.6): the list, the choice by
// id, and a provider written in C (tests/support/c_provider.c) plugged in
// with vss_coordinator_register_provider.
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include "support/c_provider.h"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

namespace {

struct Coordinator {
    vss_coordinator *handle = nullptr;
    Coordinator()
    {
        vss_coordinator_options options{};
        options.size = sizeof options;
        options.virtual_clock = VSS_CLOCK_SIMULATED;
        REQUIRE(vss_coordinator_create(&options, &handle) == S_OK);
    }
    ~Coordinator() { vss_coordinator_release(handle); }
};

// One backup of `volume` with `provider`: the DoSnapshotSet result, the snapshot's props.
vss_hresult back_up(vss_coordinator *coordinator, const char *volume, const vss_guid &provider,
                    std::string *device = nullptr)
{
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    vss_guid set{}, snapshot{};
    REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
    REQUIRE(vss_requester_add_to_snapshot_set_with(requester, volume, &provider, &snapshot) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
    const vss_hresult done = vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET);
    vss_snapshot_props props{};
    props.size = sizeof props;
    const vss_hresult found = vss_requester_snapshot_props(requester, &snapshot, &props);
    if (done == S_OK) {
        REQUIRE(found == S_OK);
        CHECK(std::memcmp(&props.provider_id, &provider, sizeof provider) == 0);
        CHECK(std::string(props.original_volume) == volume);
        if (device != nullptr) {
            *device = props.device_name;
        }
        vss_snapshot_props_clear(&props);
    } else {
        CHECK(found == VSS_E_OBJECT_NOT_FOUND); // no half-made snapshot (C-5.6)
    }
    vss_requester_release(requester); // auto-release: the provider deletes it
    return done;
}

} // namespace

TEST_CASE("C-5.5 a provider written in C plugs in by id and gets the IVssProviderCreateSnapshotSet steps in order")
{
    Coordinator coordinator;
    c_provider state{};
    vss_provider_callbacks callbacks;
    c_provider_callbacks(&callbacks);
    REQUIRE(vss_coordinator_register_provider(coordinator.handle, &callbacks, &state) == S_OK);
    CHECK(vss_coordinator_register_provider(coordinator.handle, &callbacks, &state) ==
          VSS_E_PROVIDER_ALREADY_REGISTERED);

    uint32_t count = 0;
    REQUIRE(vss_coordinator_provider_count(coordinator.handle, &count) == S_OK);
    bool listed = false;
    for (uint32_t i = 0; i < count; ++i) {
        vss_provider_info info{};
        info.size = sizeof info;
        REQUIRE(vss_coordinator_provider(coordinator.handle, i, &info) == S_OK);
        if (std::memcmp(&info.id, &c_provider_id, sizeof c_provider_id) == 0) {
            listed = true;
            CHECK(std::string(info.name) == "C test provider");
            CHECK(std::string(info.version) == "2.1");
            CHECK(info.type == 2); // VSS_PROV_SOFTWARE
        }
        if (i == 0) {
            const vss_guid simulated = VSS_PROVIDER_SIMULATED_ID;
            CHECK(std::memcmp(&info.id, &simulated, sizeof simulated) == 0); // the default first
        }
        vss_provider_info_clear(&info);
    }
    CHECK(listed);
    vss_provider_info past{};
    past.size = sizeof past;
    CHECK(vss_coordinator_provider(coordinator.handle, count, &past) == VSS_E_OBJECT_NOT_FOUND);

    std::string device;
    CHECK(back_up(coordinator.handle, "Z:\\data", c_provider_id, &device) == S_OK);
    CHECK(std::string(state.steps) ==
          "prepare end_prepare_snapshots pre_commit_snapshots commit_snapshots post_commit_snapshots(1) "
          "pre_final_commit_snapshots post_final_commit_snapshots snapshot_device delete_snapshot");
    CHECK(device.rfind("Z:\\snapshots\\", 0) == 0);
    CHECK(state.deleted == 1);

    // C-5.6: a veto ends the set; the provider is told to abort; nothing stays.
    std::memset(state.steps, 0, sizeof state.steps);
    state.fail_commit = VSS_E_PROVIDER_VETO;
    CHECK(back_up(coordinator.handle, "Z:\\logs", c_provider_id) == VSS_E_PROVIDER_VETO);
    CHECK(std::string(state.steps) ==
          "prepare end_prepare_snapshots pre_commit_snapshots commit_snapshots abort_snapshots");

    // C-5.4 through the provider's own answer; an unregistered id.
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    vss_guid set{}, snapshot{};
    REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
    CHECK(vss_requester_add_to_snapshot_set_with(requester, "Z:\\nothing", &c_provider_id, &snapshot) ==
          VSS_E_OBJECT_NOT_FOUND);
    REQUIRE(vss_coordinator_unregister_provider(coordinator.handle, &c_provider_id) == S_OK);
    CHECK(vss_requester_add_to_snapshot_set_with(requester, "Z:\\data", &c_provider_id, &snapshot) ==
          VSS_E_PROVIDER_NOT_REGISTERED);
    CHECK(vss_requester_add_to_snapshot_set_with(requester, "C:\\", nullptr, &snapshot) == S_OK); // the default
    vss_requester_release(requester);
    CHECK(vss_coordinator_unregister_provider(coordinator.handle, &c_provider_id) == VSS_E_PROVIDER_NOT_REGISTERED);
}

TEST_CASE("C-6.2 provider registration refuses bad tables and changes nothing")
{
    Coordinator coordinator;
    c_provider state{};
    vss_provider_callbacks callbacks;
    c_provider_callbacks(&callbacks);
    uint32_t before = 0;
    REQUIRE(vss_coordinator_provider_count(coordinator.handle, &before) == S_OK);
    CHECK(vss_coordinator_register_provider(coordinator.handle, nullptr, &state) == E_INVALIDARG);
    vss_provider_callbacks bad = callbacks;
    bad.size = 4;
    CHECK(vss_coordinator_register_provider(coordinator.handle, &bad, &state) == E_INVALIDARG);
    bad = callbacks;
    std::memset(&bad.id, 0, sizeof bad.id);
    CHECK(vss_coordinator_register_provider(coordinator.handle, &bad, &state) == E_INVALIDARG);
    bad = callbacks;
    bad.commit_snapshots = nullptr;
    CHECK(vss_coordinator_register_provider(coordinator.handle, &bad, &state) == E_INVALIDARG);
    bad = callbacks;
    bad.name = nullptr;
    CHECK(vss_coordinator_register_provider(coordinator.handle, &bad, &state) == E_INVALIDARG);
    bad = callbacks;
    bad.id = VSS_PROVIDER_SIMULATED_ID; // taken
    CHECK(vss_coordinator_register_provider(coordinator.handle, &bad, &state) == VSS_E_PROVIDER_ALREADY_REGISTERED);
    uint32_t after = 0;
    REQUIRE(vss_coordinator_provider_count(coordinator.handle, &after) == S_OK);
    CHECK(after == before);
    const vss_guid simulated = VSS_PROVIDER_SIMULATED_ID;
    CHECK(vss_coordinator_unregister_provider(coordinator.handle, &simulated) == VSS_E_PROVIDER_IN_USE);
    CHECK(vss_coordinator_unregister_provider(coordinator.handle, nullptr) == E_INVALIDARG);
    CHECK(vss_coordinator_provider_count(coordinator.handle, nullptr) == E_INVALIDARG);
    CHECK(vss_coordinator_provider(coordinator.handle, 0, nullptr) == E_INVALIDARG);
    vss_provider_info_clear(nullptr); // harmless
}
