// Structs that grow (the ABI rule at the top of abi/vssapi/vssapi.h): every
// sized entry point takes a struct of its first published layout (the frozen
// 1.0 copies in layouts_v1.h), refuses sizes below that or above its own with
// E_INVALIDARG and nothing touched, and reads and writes only the fields a
// size holds (the helper, on a test struct with two layouts).
#include "layouts_v1.h"

#include "capi/sized.h"

#include <vsserror.h>

#include <doctest/doctest.h>

#include <cstring>
#include <string>

// ---- the helper, on a struct with two layouts ----------------------------

struct grown_test_struct { // "1.1": v1 was {size, a, b}
    uint32_t size;
    int32_t a;
    int64_t b;
    int64_t added_in_v2;
};
struct grown_test_struct_v1 {
    uint32_t size;
    int32_t a;
    int64_t b;
};

namespace vssapi::capi {
VSSAPI_FIRST_LAYOUT(grown_test_struct, sizeof(grown_test_struct_v1))
} // namespace vssapi::capi

using namespace vssapi::capi;

TEST_CASE("ABI sized structs: a v1-sized struct gets only its own fields read and written")
{
    unsigned char memory[sizeof(grown_test_struct) + 8];
    std::memset(memory, 0xAB, sizeof memory);
    auto *old = reinterpret_cast<grown_test_struct *>(memory); // a 1.0 caller's buffer, then its neighbour's bytes
    old->size = sizeof(grown_test_struct_v1);
    CHECK(check_sized("f", "out", old) == S_OK);

    grown_test_struct filled{};
    filled.size = sizeof filled;
    filled.a = 1;
    filled.b = 2;
    filled.added_in_v2 = 3;
    write_sized(*old, filled);
    CHECK(old->size == sizeof(grown_test_struct_v1)); // the caller's size stays
    CHECK(old->a == 1);
    CHECK(old->b == 2);
    for (std::size_t i = sizeof(grown_test_struct_v1); i < sizeof memory; ++i) {
        CHECK(memory[i] == 0xAB); // nothing after the caller's struct is written
    }

    const grown_test_struct read = read_sized(*old);
    CHECK(read.a == 1);
    CHECK(read.b == 2);
    CHECK(read.added_in_v2 == 0); // a field the caller lacks takes its default
    CHECK(VSSAPI_HAS_FIELD(old, b));
    CHECK_FALSE(VSSAPI_HAS_FIELD(old, added_in_v2));

    for (uint32_t bad : {0u, static_cast<uint32_t>(sizeof(grown_test_struct_v1) - 1),
                         static_cast<uint32_t>(sizeof(grown_test_struct) + 1)}) {
        old->size = bad;
        CHECK(check_sized("f", "out", old) == E_INVALIDARG);
        CHECK(std::string(vss_last_error_message()).find("out->size is " + std::to_string(bad)) != std::string::npos);
    }
    CHECK(check_sized<grown_test_struct>("f", "out", nullptr) == E_INVALIDARG);
}

// ---- every sized entry point with the frozen 1.0 layouts ---------------------

namespace {

const vss_guid kWriterClass = {0x5e1f0002, 0x1111, 0x2222, {0x80, 1, 2, 3, 4, 5, 6, 9}};

template <class V1, class Current>
Current *as_current(V1 &value)
{
    static_assert(sizeof(V1) <= sizeof(Current), "a later layout only appends");
    return reinterpret_cast<Current *>(&value);
}

int32_t VSS_CALL identify(void *, vss_writer *, vss_metadata *metadata)
{
    return vss_metadata_add_component(metadata, 1 /* VSS_CT_DATABASE */, nullptr, "db", "Database", 1) == S_OK;
}

// Sizes every entry point must refuse, given the struct's first and current size.
template <class V1, class Current>
uint32_t bad_sizes(int i)
{
    const uint32_t sizes[] = {0u, static_cast<uint32_t>(sizeof(V1) - 1), static_cast<uint32_t>(sizeof(Current) + 1)};
    return sizes[i];
}

} // namespace

TEST_CASE("ABI sized structs: a 1.0 program's structs work on every sized entry point; bad sizes change nothing")
{
    // vss_coordinator_create
    vss_coordinator_options_v1 options{};
    options.size = sizeof options;
    options.virtual_clock = VSS_CLOCK_SIMULATED;
    vss_coordinator *coordinator = nullptr;
    REQUIRE(vss_coordinator_create(as_current<vss_coordinator_options_v1, vss_coordinator_options>(options),
                                   &coordinator) == S_OK);
    for (int i = 0; i < 3; ++i) {
        options.size = bad_sizes<vss_coordinator_options_v1, vss_coordinator_options>(i);
        vss_coordinator *none = nullptr;
        CHECK(vss_coordinator_create(as_current<vss_coordinator_options_v1, vss_coordinator_options>(options),
                                     &none) == E_INVALIDARG);
        CHECK(none == nullptr);
    }

    // vss_writer_create: info and callbacks
    vss_writer_info_v1 info{};
    info.size = sizeof info;
    info.class_id = &kWriterClass;
    info.name = "V1 Writer";
    info.usage = 3;
    info.source = 1;
    vss_writer_callbacks_v1 callbacks{};
    callbacks.size = sizeof callbacks;
    callbacks.on_identify = identify;
    vss_writer *writer = nullptr;
    for (int i = 0; i < 3; ++i) {
        vss_writer_info_v1 bad_info = info;
        bad_info.size = bad_sizes<vss_writer_info_v1, vss_writer_info>(i);
        CHECK(vss_writer_create(coordinator, as_current<vss_writer_info_v1, vss_writer_info>(bad_info),
                                as_current<vss_writer_callbacks_v1, vss_writer_callbacks>(callbacks), nullptr,
                                &writer) == E_INVALIDARG);
        vss_writer_callbacks_v1 bad_callbacks = callbacks;
        bad_callbacks.size = bad_sizes<vss_writer_callbacks_v1, vss_writer_callbacks>(i);
        CHECK(vss_writer_create(coordinator, as_current<vss_writer_info_v1, vss_writer_info>(info),
                                as_current<vss_writer_callbacks_v1, vss_writer_callbacks>(bad_callbacks), nullptr,
                                &writer) == E_INVALIDARG);
        CHECK(writer == nullptr);
    }
    REQUIRE(vss_writer_create(coordinator, as_current<vss_writer_info_v1, vss_writer_info>(info),
                              as_current<vss_writer_callbacks_v1, vss_writer_callbacks>(callbacks), nullptr,
                              &writer) == S_OK);
    REQUIRE(vss_writer_subscribe(writer) == S_OK);

    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    REQUIRE(vss_requester_set_backup_state(requester, 1, 0, 1, 0) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    REQUIRE(vss_requester_add_all_components(requester) == S_OK);
    vss_guid set{}, snapshot{};
    REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
    REQUIRE(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);

    // Outputs: a bad size leaves every byte as the caller set it.
    SUBCASE("vss_requester_writer_identity")
    {
        vss_writer_identity_v1 out{};
        out.size = sizeof out;
        auto *current = as_current<vss_writer_identity_v1, vss_writer_identity>(out);
        REQUIRE(vss_requester_writer_identity(requester, 0, current) == S_OK);
        CHECK(std::string(out.name) == "V1 Writer");
        CHECK(out.component_count == 1);
        vss_writer_identity_clear(current);
        for (int i = 0; i < 3; ++i) {
            vss_writer_identity_v1 bad{};
            bad.size = bad_sizes<vss_writer_identity_v1, vss_writer_identity>(i);
            CHECK(vss_requester_writer_identity(requester, 0, as_current<vss_writer_identity_v1, vss_writer_identity>(bad)) ==
                  E_INVALIDARG);
            CHECK(bad.name == nullptr);
        }
    }
    SUBCASE("vss_requester_writer_component")
    {
        vss_component_info_v1 out{};
        out.size = sizeof out;
        auto *current = as_current<vss_component_info_v1, vss_component_info>(out);
        REQUIRE(vss_requester_writer_component(requester, 0, 0, current) == S_OK);
        CHECK(std::string(out.name) == "db");
        vss_component_info_clear(current);
        for (int i = 0; i < 3; ++i) {
            vss_component_info_v1 bad{};
            bad.size = bad_sizes<vss_component_info_v1, vss_component_info>(i);
            CHECK(vss_requester_writer_component(requester, 0, 0, as_current<vss_component_info_v1, vss_component_info>(bad)) ==
                  E_INVALIDARG);
            CHECK(bad.name == nullptr);
        }
    }
    SUBCASE("vss_requester_status")
    {
        vss_writer_status_v1 out{};
        out.size = sizeof out;
        auto *current = as_current<vss_writer_status_v1, vss_writer_status>(out);
        REQUIRE(vss_requester_status(requester, 0, current) == S_OK);
        CHECK(std::string(out.name) == "V1 Writer");
        CHECK(out.state == 5); // VSS_WS_WAITING_FOR_BACKUP_COMPLETE
        vss_writer_status_clear(current);
        for (int i = 0; i < 3; ++i) {
            vss_writer_status_v1 bad{};
            bad.size = bad_sizes<vss_writer_status_v1, vss_writer_status>(i);
            CHECK(vss_requester_status(requester, 0, as_current<vss_writer_status_v1, vss_writer_status>(bad)) ==
                  E_INVALIDARG);
            CHECK(bad.name == nullptr);
        }
    }
    SUBCASE("vss_requester_component_failure")
    {
        vss_component_failure_v1 out{};
        out.size = sizeof out;
        auto *current = as_current<vss_component_failure_v1, vss_component_failure>(out);
        REQUIRE(vss_requester_component_failure(requester, 0, current) == S_OK);
        CHECK(std::string(out.name) == "db");
        CHECK(out.hr == S_OK);
        vss_component_failure_clear(current);
        for (int i = 0; i < 3; ++i) {
            vss_component_failure_v1 bad{};
            bad.size = bad_sizes<vss_component_failure_v1, vss_component_failure>(i);
            CHECK(vss_requester_component_failure(requester, 0,
                                                  as_current<vss_component_failure_v1, vss_component_failure>(bad)) ==
                  E_INVALIDARG);
            CHECK(bad.name == nullptr);
        }
    }
    SUBCASE("vss_requester_snapshot_props")
    {
        vss_snapshot_props_v1 out{};
        out.size = sizeof out;
        auto *current = as_current<vss_snapshot_props_v1, vss_snapshot_props>(out);
        REQUIRE(vss_requester_snapshot_props(requester, &snapshot, current) == S_OK);
        CHECK(std::string(out.original_volume) == "C:\\");
        CHECK(out.snapshots_in_set == 1);
        vss_snapshot_props_clear(current);
        for (int i = 0; i < 3; ++i) {
            vss_snapshot_props_v1 bad{};
            bad.size = bad_sizes<vss_snapshot_props_v1, vss_snapshot_props>(i);
            CHECK(vss_requester_snapshot_props(requester, &snapshot,
                                               as_current<vss_snapshot_props_v1, vss_snapshot_props>(bad)) ==
                  E_INVALIDARG);
            CHECK(bad.original_volume == nullptr);
        }
    }
    SUBCASE("vss_retry_policy_default and vss_retry_run")
    {
        vss_retry_policy_v1 policy{};
        policy.size = sizeof policy;
        auto *current = as_current<vss_retry_policy_v1, vss_retry_policy>(policy);
        REQUIRE(vss_retry_policy_default(current) == S_OK);
        CHECK(policy.max_retries == 3);
        CHECK(policy.wait_ms == 600000);
        policy.max_retries = 0;
        int attempts = 0;
        CHECK(vss_retry_run(
                  coordinator, current,
                  [](void *user, vss_requester *, uint32_t) VSS_CALL -> vss_hresult {
                      ++*static_cast<int *>(user);
                      return VSS_E_WRITERERROR_RETRYABLE;
                  },
                  nullptr, &attempts) == VSS_E_WRITERERROR_RETRYABLE);
        CHECK(attempts == 1); // max_retries 0 read from the 1.0 struct: no retry
        for (int i = 0; i < 3; ++i) {
            vss_retry_policy_v1 bad{};
            bad.size = bad_sizes<vss_retry_policy_v1, vss_retry_policy>(i);
            CHECK(vss_retry_policy_default(as_current<vss_retry_policy_v1, vss_retry_policy>(bad)) == E_INVALIDARG);
            CHECK(bad.max_retries == 0);
            CHECK(vss_retry_run(coordinator, as_current<vss_retry_policy_v1, vss_retry_policy>(bad),
                                [](void *, vss_requester *, uint32_t) VSS_CALL -> vss_hresult { return S_OK; }, nullptr,
                                nullptr) == E_INVALIDARG);
        }
    }

    vss_requester_release(requester);
    vss_writer_release(writer);
    vss_coordinator_release(coordinator);
}

// ---- one place for each rule (issue 9) ------------------------------------------

TEST_CASE("flat API: vss_version is meson.build's version; vss_hresult_name's strings outlive later calls")
{
    CHECK(std::string(vss_version()) == OPENVSS_PROJECT_VERSION);
    const char *first = vss_hresult_name(static_cast<vss_hresult>(0x80001234));
    const char *second = vss_hresult_name(static_cast<vss_hresult>(0x80005678));
    CHECK(std::string(first) == "0x80001234"); // not overwritten by the second call
    CHECK(std::string(second) == "0x80005678");
    CHECK(vss_hresult_name(static_cast<vss_hresult>(0x80001234)) == first); // interned: the same storage
    CHECK(std::string(vss_hresult_name(VSS_E_BAD_STATE)) == "VSS_E_BAD_STATE");
    CHECK(vss_is_retryable(VSS_E_WRITERERROR_RETRYABLE) == VSS_RETRY_AFTER_WAIT);
    CHECK(vss_is_retryable(VSS_E_SNAPSHOT_SET_IN_PROGRESS) == VSS_RETRY_SHORT_BACK_OFF);
    CHECK(vss_is_retryable(E_INVALIDARG) == VSS_RETRY_NO);
}
