// Scenarios through the flat C API: vss_scenario_load(_text) puts a file's
// mock writers into a coordinator until vss_scenario_release; a bad file
// changes nothing and says where it is wrong.
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

namespace {

struct Coordinator {
    vss_coordinator *handle = nullptr;
    explicit Coordinator(int32_t clock = VSS_CLOCK_SIMULATED)
    {
        vss_coordinator_options options{};
        options.size = sizeof options;
        options.virtual_clock = clock;
        REQUIRE(vss_coordinator_create(&options, &handle) == S_OK);
    }
    ~Coordinator() { vss_coordinator_release(handle); }
};

const char kScenario[] = R"({
  "writers": [
    {
      "name": "Flat Mock Writer",
      "class_id": "{5e1f0002-1111-2222-8001-020304050607}",
      "instance_id": "{5e1f0003-1111-2222-8001-020304050607}",
      "components": [{ "name": "Data", "files": [{ "path": "C:\\Data", "filespec": "*" }] }],
      "on": {
        "OnFreeze": {
          "take_ms": 3000,
          "set_writer_failure_ex": { "hr_writer": "VSS_E_WRITERERROR_RETRYABLE", "hr_application": "0x80070020",
                                     "message": "gel refusé – 忙" },
          "result": "false"
        }
      }
    }
  ]
})";

// The writers a fresh requester lists after GatherWriterMetadata + GatherWriterStatus.
uint32_t listed_writers(vss_coordinator *coordinator)
{
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    uint32_t count = 0;
    REQUIRE(vss_requester_status_count(requester, &count) == S_OK);
    vss_requester_release(requester);
    return count;
}

} // namespace

TEST_CASE("scenario: a loaded scenario's writer fails OnFreeze as the file says, on the simulated clock")
{
    Coordinator coordinator;
    vss_scenario *scenario = nullptr;
    REQUIRE(vss_scenario_load_text(coordinator.handle, kScenario, &scenario) == S_OK);

    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_set_backup_state(requester, 1, 0, 1 /* VSS_BT_FULL */, 0) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    REQUIRE(vss_requester_add_all_components(requester) == S_OK);
    vss_guid set{}, snapshot{};
    REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
    REQUIRE(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
    CHECK(vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) == S_OK); // C-3.7
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    vss_writer_status status{};
    status.size = sizeof status;
    REQUIRE(vss_requester_status(requester, 0, &status) == S_OK);
    CHECK(std::string(status.name) == "Flat Mock Writer");
    CHECK(status.state == 9); // VSS_WS_FAILED_AT_FREEZE
    CHECK(status.hr_failure_writer == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(status.hr_application == static_cast<vss_hresult>(0x80070020));
    CHECK(std::string(status.message) == "gel refusé – 忙");
    vss_writer_status_clear(&status);
    vss_requester_release(requester);

    vss_scenario_release(scenario);
    CHECK(listed_writers(coordinator.handle) == 0); // released: its writers are gone
}

TEST_CASE("scenario: a bad scenario text is refused with its line and column, and nothing is loaded")
{
    Coordinator coordinator;
    vss_scenario *scenario = reinterpret_cast<vss_scenario *>(&coordinator); // must be reset
    const char bad[] = "{\n  \"writers\": [\n    { \"name\": \"W\", \"class_id\": 42 }\n  ]\n}";
    CHECK(vss_scenario_load_text(coordinator.handle, bad, &scenario) == E_INVALIDARG);
    CHECK(scenario == nullptr);
    const std::string message = vss_last_error_message();
    CHECK(message.find("<text>:3:") != std::string::npos);
    CHECK(message.find("writers[0].class_id") != std::string::npos);
    CHECK(listed_writers(coordinator.handle) == 0);
}

TEST_CASE("scenario: a missing file, NULL arguments and a bad clock kind give E_INVALIDARG")
{
    Coordinator coordinator;
    vss_scenario *scenario = nullptr;
    CHECK(vss_scenario_load(coordinator.handle, "/no/such/scenario.json", &scenario) == E_INVALIDARG);
    CHECK(std::string(vss_last_error_message()).find("/no/such/scenario.json") != std::string::npos);
    CHECK(scenario == nullptr);
    CHECK(vss_scenario_load(coordinator.handle, nullptr, &scenario) == E_INVALIDARG);
    CHECK(vss_scenario_load_text(coordinator.handle, kScenario, nullptr) == E_INVALIDARG);
    CHECK(vss_scenario_load_text(coordinator.handle, nullptr, &scenario) == E_INVALIDARG);
    vss_scenario_release(nullptr); // harmless

    vss_coordinator_options options{};
    options.size = sizeof options;
    options.virtual_clock = 7;
    vss_coordinator *bad_clock = nullptr;
    CHECK(vss_coordinator_create(&options, &bad_clock) == E_INVALIDARG);
    CHECK(bad_clock == nullptr);
}

TEST_CASE("scenario: two scenarios in one coordinator add their writers; releasing one leaves the other")
{
    Coordinator coordinator;
    vss_scenario *first = nullptr;
    vss_scenario *second = nullptr;
    REQUIRE(vss_scenario_load_text(coordinator.handle, kScenario, &first) == S_OK);
    std::string other = kScenario;
    other.replace(other.find("5e1f0003"), 8, "5e1f0004"); // another instance id
    REQUIRE(vss_scenario_load_text(coordinator.handle, other.c_str(), &second) == S_OK);
    CHECK(listed_writers(coordinator.handle) == 2);
    vss_scenario_release(first);
    CHECK(listed_writers(coordinator.handle) == 1);
    vss_scenario_release(second);
    CHECK(listed_writers(coordinator.handle) == 0);
}

TEST_CASE("C-4.8 hung-writer.json: a second and a third backup in the same process end, the hung writer not responding")
{
    // restic opens one session per volume: a hung writer must not stop the
    // next one. The manual clock is moved only for the first session.
    int32_t kind = VSS_CLOCK_SIMULATED;
    SUBCASE("simulated clock") { kind = VSS_CLOCK_SIMULATED; }
    SUBCASE("manual clock") { kind = VSS_CLOCK_MANUAL; }
    SUBCASE("real clock") { kind = VSS_CLOCK_REAL; }
    vss_coordinator_options options{};
    options.size = sizeof options;
    options.virtual_clock = kind;
    options.event_timeout_ms = kind == VSS_CLOCK_REAL ? 300 : 0;
    vss_coordinator *coordinator = nullptr;
    REQUIRE(vss_coordinator_create(&options, &coordinator) == S_OK);
    vss_scenario *scenario = nullptr;
    REQUIRE(vss_scenario_load(coordinator, OPENVSS_SCENARIOS "/hung-writer.json", &scenario) == S_OK);
    for (int session = 0; session < 3; ++session) {
        CAPTURE(session);
        vss_requester *requester = nullptr;
        REQUIRE(vss_requester_create(coordinator, &requester) == S_OK);
        REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
        REQUIRE(vss_requester_set_backup_state(requester, 1, 0, 1 /* VSS_BT_FULL */, 0) == S_OK);
        REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
        REQUIRE(vss_requester_add_all_components(requester) == S_OK);
        vss_guid set{}, snapshot{};
        REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
        REQUIRE(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot) == S_OK);
        REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
        if (session == 0 && kind == VSS_CLOCK_MANUAL) {
            vss_async *async = nullptr;
            REQUIRE(vss_requester_start(requester, VSS_STEP_DO_SNAPSHOT_SET, &async) == S_OK);
            // Moved on until the step ends: the handler may not be inside OnPrepareSnapshot yet.
            vss_hresult pending = VSS_S_ASYNC_PENDING;
            for (int tries = 0; tries < 500 && pending == VSS_S_ASYNC_PENDING; ++tries) {
                REQUIRE(vss_coordinator_advance_clock(coordinator, 600001) == S_OK);
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                REQUIRE(vss_async_status(async, &pending) == S_OK);
            }
            CHECK(pending == VSS_S_ASYNC_FINISHED);
            vss_async_release(async);
        } else {
            CHECK(vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) == S_OK);
        }
        REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
        uint32_t count = 0;
        REQUIRE(vss_requester_status_count(requester, &count) == S_OK);
        CHECK(count == 2);
        for (uint32_t i = 0; i < count; ++i) {
            vss_writer_status status{};
            status.size = sizeof status;
            REQUIRE(vss_requester_status(requester, i, &status) == S_OK);
            if (std::string(status.name) == "Search Index Writer") {
                // The first session timed it out at prepare; later ones never reach it.
                CHECK(status.state == (session == 0 ? 8 /* FAILED_AT_PREPARE_SNAPSHOT */ : 6 /* FAILED_AT_IDENTIFY */));
                CHECK(status.hr_failure_writer == VSS_E_WRITER_NOT_RESPONDING);
            } else {
                CHECK(status.state == 5); // VSS_WS_WAITING_FOR_BACKUP_COMPLETE
            }
            vss_writer_status_clear(&status);
        }
        vss_requester_release(requester);
    }
    vss_scenario_release(scenario); // releases the hung handler
    vss_coordinator_release(coordinator);
}
