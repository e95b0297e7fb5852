// The flat C API (abi/vssapi/vssapi.h), called as another language would:
// UTF-8 strings, GUIDs by pointer, size-prefixed structs, one HRESULT each.
#include "support/c_callers.h"
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include "com/misuse.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace {

const vss_guid kWriterClass = {0x5e1f0001, 0x1111, 0x2222, {0x80, 1, 2, 3, 4, 5, 6, 7}};
const char kMessage[] = "Échec du gel – 数据库忙 😀";

struct Coordinator {
    vss_coordinator *handle = nullptr;
    explicit Coordinator(int32_t virtual_clock = 0)
    {
        vss_coordinator_options options{};
        options.size = sizeof options;
        options.virtual_clock = virtual_clock;
        REQUIRE(vss_coordinator_create(&options, &handle) == S_OK);
    }
    ~Coordinator() { vss_coordinator_release(handle); }
};

struct Writer {
    vss_writer *handle = nullptr;
    Writer(vss_coordinator *coordinator, const vss_writer_callbacks &callbacks, void *user, const char *name = "Flat Writer")
    {
        vss_writer_info info{};
        info.size = sizeof info;
        info.class_id = &kWriterClass;
        info.name = name;
        info.usage = 3; // VSS_UT_USERDATA
        info.source = 1;
        REQUIRE(vss_writer_create(coordinator, &info, &callbacks, user, &handle) == S_OK);
        REQUIRE(vss_writer_subscribe(handle) == S_OK);
    }
    ~Writer() { vss_writer_release(handle); }
};

vss_writer_callbacks no_callbacks()
{
    vss_writer_callbacks callbacks{};
    callbacks.size = sizeof callbacks;
    return callbacks;
}

// A backup up to and including DoSnapshotSet; returns its result.
vss_hresult backup_through_snapshot(vss_requester *requester, bool select_all = false)
{
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_set_backup_state(requester, 1, 0, 1 /* VSS_BT_FULL */, 0) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    if (select_all) {
        REQUIRE(vss_requester_add_all_components(requester) == S_OK);
    }
    vss_guid set{}, snapshot{};
    REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
    REQUIRE(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
    return vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET);
}

} // namespace

TEST_CASE("flat API: a writer fails OnFreeze with RETRYABLE, an application code and a UTF-8 message; the requester reads all three")
{
    Coordinator coordinator;
    vss_writer_callbacks callbacks = no_callbacks();
    callbacks.on_freeze = [](void *, vss_writer *writer) VSS_CALL -> int32_t {
        std::string message = kMessage; // freed right after the call
        const vss_hresult hr = vss_writer_set_failure_ex(writer, VSS_E_WRITERERROR_RETRYABLE, 0x80070020, message.c_str());
        message.assign(message.size(), 'x');
        return hr == S_OK ? 0 : -1;
    };
    Writer writer(coordinator.handle, callbacks, nullptr);
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    CHECK(backup_through_snapshot(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    uint32_t count = 0;
    REQUIRE(vss_requester_status_count(requester, &count) == S_OK);
    REQUIRE(count == 1);
    vss_writer_status status{};
    status.size = sizeof status;
    REQUIRE(vss_requester_status(requester, 0, &status) == S_OK);
    CHECK(std::string(status.name) == "Flat Writer");
    CHECK(std::string(vss_writer_state_name(status.state)) == "FAILED_AT_FREEZE");
    CHECK(status.hr_failure_writer == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(status.hr_application == static_cast<vss_hresult>(0x80070020));
    REQUIRE(status.message != nullptr);
    CHECK(std::string(status.message) == kMessage);
    vss_guid instance{};
    REQUIRE(vss_writer_instance_id(writer.handle, &instance) == S_OK);
    CHECK(std::memcmp(&instance, &status.instance_id, sizeof instance) == 0);
    CHECK(std::memcmp(&kWriterClass, &status.class_id, sizeof instance) == 0);
    vss_writer_status_clear(&status);
    CHECK(status.name == nullptr);
    CHECK(vss_is_retryable(VSS_E_WRITERERROR_RETRYABLE) == 1);
    vss_requester_release(requester);
}

TEST_CASE("flat API: PARTIAL_FAILURE with a failed component, read through the component failures")
{
    Coordinator coordinator;
    vss_writer_callbacks callbacks = no_callbacks();
    callbacks.on_identify = [](void *, vss_writer *, vss_metadata *metadata) VSS_CALL -> int32_t {
        for (const char *name : {"Alpha", "Beta"}) {
            if (vss_metadata_add_component(metadata, 2 /* VSS_CT_FILEGROUP */, "Data", name, nullptr, 1) != S_OK ||
                vss_metadata_add_files(metadata, 0, "Data", name, "/srv/data", "*.db", 0) != S_OK) {
                return -1;
            }
        }
        return 1;
    };
    callbacks.on_post_snapshot = [](void *, vss_writer *writer, vss_components *components) VSS_CALL -> int32_t {
        uint32_t count = 0;
        if (components == nullptr || vss_components_count(components, &count) != S_OK || count != 2) {
            return -1;
        }
        char *name = nullptr;
        vss_components_get(components, 1, nullptr, &name);
        const bool beta = name != nullptr && std::string(name) == "Beta";
        vss_free(name);
        if (!beta || vss_components_set_failure(components, 1, VSS_E_WRITERERROR_NONRETRYABLE, 7, "Beta corrupt") != S_OK) {
            return -1;
        }
        return vss_writer_set_failure_ex(writer, VSS_E_WRITERERROR_PARTIAL_FAILURE, 0, "one of two") == S_OK ? 1 : -1;
    };
    Writer writer(coordinator.handle, callbacks, nullptr);
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    CHECK(backup_through_snapshot(requester, true) == S_OK);
    vss_writer_identity identity{};
    identity.size = sizeof identity;
    REQUIRE(vss_requester_writer_identity(requester, 0, &identity) == S_OK);
    CHECK(identity.component_count == 2);
    CHECK(std::string(identity.name) == "Flat Writer");
    vss_writer_identity_clear(&identity);
    vss_component_info info{};
    info.size = sizeof info;
    REQUIRE(vss_requester_writer_component(requester, 0, 1, &info) == S_OK);
    CHECK(std::string(info.name) == "Beta");
    CHECK(std::string(info.logical_path) == "Data");
    CHECK(info.file_count == 1);
    vss_component_info_clear(&info);

    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    vss_writer_status status{};
    status.size = sizeof status;
    REQUIRE(vss_requester_status(requester, 0, &status) == S_OK);
    CHECK(status.hr_failure_writer == VSS_E_WRITERERROR_PARTIAL_FAILURE);
    vss_writer_status_clear(&status);
    uint32_t components = 0;
    REQUIRE(vss_requester_component_count(requester, &components) == S_OK);
    REQUIRE(components == 2);
    vss_component_failure failure{};
    failure.size = sizeof failure;
    REQUIRE(vss_requester_component_failure(requester, 0, &failure) == S_OK);
    CHECK(failure.hr == S_OK);
    vss_component_failure_clear(&failure);
    REQUIRE(vss_requester_component_failure(requester, 1, &failure) == S_OK);
    CHECK(std::string(failure.name) == "Beta");
    CHECK(failure.hr == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(failure.hr_application == 7);
    CHECK(std::string(failure.message) == "Beta corrupt");
    vss_component_failure_clear(&failure);
    CHECK(vss_requester_component_failure(requester, 2, &failure) == VSS_E_OBJECT_NOT_FOUND);
    vss_requester_release(requester);
}

TEST_CASE("flat API: bad arguments give a clean HRESULT and a message, never a crash")
{
    CHECK(vss_requester_create(nullptr, nullptr) == E_INVALIDARG);
    CHECK(std::string(vss_last_error_message()).find("vss_requester_create") != std::string::npos);
    CHECK(vss_requester_run(nullptr, VSS_STEP_DO_SNAPSHOT_SET) == E_INVALIDARG);
    CHECK(std::string(vss_last_error_message()).find("requester is NULL") != std::string::npos);
    CHECK(vss_writer_set_failure_ex(nullptr, VSS_E_WRITERERROR_RETRYABLE, 0, "x") == E_INVALIDARG);
    vss_writer_status status{};
    status.size = 4; // smaller than the first published layout: refused
    Coordinator coordinator;
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    CHECK(vss_requester_status(requester, 0, &status) == E_INVALIDARG);
    CHECK(c_run_step(requester, 99) == E_INVALIDARG); // from C: no vss_step holds 99
    CHECK(vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) == VSS_E_BAD_STATE);
    // C-3.8: the state machine's reason, not the code's generic meaning.
    CHECK(std::string(vss_last_error_message()) ==
          "vss_requester_run: VSS_E_BAD_STATE (DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup))");
    vss_writer_info info{};
    info.size = sizeof info; // no class id, no name
    vss_writer *writer = nullptr;
    CHECK(vss_writer_create(coordinator.handle, &info, nullptr, nullptr, &writer) == E_INVALIDARG);
    CHECK(writer == nullptr);
    vss_requester_release(requester);
    vss_requester_release(nullptr);
    vss_writer_release(nullptr);
    vss_async_release(nullptr);
    vss_free(nullptr);
    CHECK(std::string(vss_hresult_name(VSS_E_WRITERERROR_TIMEOUT)) == "VSS_E_WRITERERROR_TIMEOUT");
    CHECK(std::string(vss_hresult_name(0x12345678)) == "0x12345678");
    CHECK(vss_abi_version() == VSSAPI_ABI_VERSION);
    CHECK(std::string(vss_version()).size() > 0);
}

TEST_CASE("C-6.2 flat API: lone surrogates become U+FFFD in UTF-8, invalid UTF-8 becomes U+FFFD in UTF-16")
{
    Coordinator coordinator;
    vss_writer_callbacks callbacks = no_callbacks();
    callbacks.on_prepare_backup = [](void *, vss_writer *writer, vss_components *) VSS_CALL -> int32_t {
        // "a", an invalid byte, "b": the library stores U+FFFD for the bad byte.
        return vss_writer_set_failure_ex(writer, VSS_E_WRITERERROR_RETRYABLE, 0, "a\xFF" "b") == S_OK ? 1 : -1;
    };
    Writer writer(coordinator.handle, callbacks, nullptr);
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    vss_writer_status status{};
    status.size = sizeof status;
    REQUIRE(vss_requester_status(requester, 0, &status) == S_OK);
    CHECK(std::string(status.message) == "a\xEF\xBF\xBD" "b");
    vss_writer_status_clear(&status);
    vss_requester_release(requester);
}

TEST_CASE("flat API: each step as an async handle, and the virtual clock")
{
    Coordinator coordinator(1);
    static std::atomic<bool> release{false};
    static std::atomic<bool> entered{false};
    release = false;
    entered = false;
    vss_writer_callbacks callbacks = no_callbacks();
    callbacks.on_prepare_backup = [](void *, vss_writer *, vss_components *) VSS_CALL -> int32_t {
        entered = true;
        while (!release) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return 1;
    };
    Writer writer(coordinator.handle, callbacks, nullptr);
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    vss_async *async = nullptr;
    REQUIRE(vss_requester_start(requester, VSS_STEP_PREPARE_FOR_BACKUP, &async) == S_OK);
    while (!entered) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    vss_hresult status = S_OK;
    REQUIRE(vss_async_status(async, &status) == S_OK);
    CHECK(status == VSS_S_ASYNC_PENDING);
    // The event timeout runs on the virtual clock: ten minutes pass at once.
    REQUIRE(vss_coordinator_advance_clock(coordinator.handle, 600001) == S_OK);
    REQUIRE(vss_async_wait(async, 0xFFFFFFFFu) == S_OK);
    REQUIRE(vss_async_status(async, &status) == S_OK);
    CHECK(status == VSS_S_ASYNC_FINISHED);
    CHECK(vss_async_cancel(async) == VSS_S_ASYNC_FINISHED);
    vss_async_release(async);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    vss_writer_status row{};
    row.size = sizeof row;
    REQUIRE(vss_requester_status(requester, 0, &row) == S_OK);
    CHECK(row.hr_failure_writer == VSS_E_WRITER_NOT_RESPONDING);
    vss_writer_status_clear(&row);
    release = true;
    vss_requester_release(requester);

    vss_coordinator *real = nullptr;
    REQUIRE(vss_coordinator_default(&real) == S_OK);
    CHECK(vss_coordinator_advance_clock(real, 1) == VSS_E_BAD_STATE);
    vss_coordinator_release(real);
}

namespace {
std::atomic<int> g_misuse{0};
void count_misuse(const char *, const char *) noexcept
{
    ++g_misuse;
}
} // namespace

TEST_CASE("C-6.3 flat API: releasing a writer from inside its own handler is reported and does nothing")
{
    const auto previous = vssapi::com::set_misuse_handler(&count_misuse);
    g_misuse = 0;
    Coordinator coordinator;
    vss_writer_callbacks callbacks = no_callbacks();
    callbacks.on_prepare_backup = [](void *, vss_writer *writer, vss_components *) VSS_CALL -> int32_t {
        vss_writer_release(writer); // a caller bug: refused
        return vss_writer_set_failure_ex(writer, VSS_E_WRITERERROR_RETRYABLE, 1, "still alive") == S_OK ? 1 : -1;
    };
    Writer writer(coordinator.handle, callbacks, nullptr);
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    vss_writer_status status{};
    status.size = sizeof status;
    REQUIRE(vss_requester_status(requester, 0, &status) == S_OK);
    CHECK(status.hr_failure_writer == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(std::string(status.message) == "still alive");
    vss_writer_status_clear(&status);
    vss_requester_release(requester);
    CHECK(g_misuse == 1);
    vssapi::com::set_misuse_handler(previous);
}
