// Fault injection (C-6.2: a call that cannot finish says so and changes
// nothing else). The N-th allocation fails, for N = 1, 2, ... until a whole
// sequence runs without reaching it: every call returns S_OK or E_OUTOFMEMORY,
// nothing crashes, leaks (the sanitizer builds run this too) or hangs, and
// the coordinator serves a whole backup afterwards. Also thread creation
// failing, and writers whose every handler throws.
#include "allocation_faults.h"

#include "core/threads.h"

#include <vsserror.h>
#include <vssapi/vssapi.h>
#include <vswriter.h>
#include <vsbackup.h>

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

namespace {

const vss_guid kWriterClass = {0xfa017000, 0x1111, 0x2222, {0x80, 1, 2, 3, 4, 5, 6, 7}};

const char kScenario[] = R"({
  "writers": [
    {"name": "SQL Mock", "class_id": "{fa017002-1111-2222-8001-020304050607}",
     "components": [{"name": "db", "type": "database", "databases": [{"path": "C:\\db", "filespec": "*.mdf"}]}],
     "on": {"OnFreeze": {"set_writer_failure_ex": {"hr_writer": "VSS_E_WRITERERROR_RETRYABLE",
                                                    "hr_application": "0x80070020", "message": "locked"},
                         "result": "false", "times": 1}}},
    {"name": "Files Mock", "class_id": "{fa017003-1111-2222-8001-020304050607}"}
  ]
})";

struct Outcome {
    std::set<std::string> unexpected; // "call: code" other than S_OK and E_OUTOFMEMORY
    bool failed = false;              // some call said E_OUTOFMEMORY
};

std::string hex(vss_hresult hr)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(hr));
    return text;
}

// Records one call's result; false ends the sequence.
bool note_call(Outcome &outcome, const char *call, vss_hresult hr)
{
    if (hr == S_OK) {
        return true;
    }
    if (hr == E_OUTOFMEMORY) {
        outcome.failed = true;
    } else {
        outcome.unexpected.insert(std::string(call) + ": " + hex(hr) + " " + vss_hresult_name(hr));
    }
    return false;
}
#define note(outcome, call) note_call(outcome, #call, call)

int32_t VSS_CALL identify(void *, vss_writer *, vss_metadata *metadata)
{
    // The documented answers only: a writer may see E_OUTOFMEMORY here too.
    const vss_hresult added = vss_metadata_add_component(metadata, 2, nullptr, "data", "Data", 1);
    if (added == S_OK) {
        (void)vss_metadata_add_files(metadata, 0, nullptr, "data", "C:\\data", "*", 1);
    }
    return 1;
}

vss_writer_callbacks writer_callbacks()
{
    vss_writer_callbacks callbacks{};
    callbacks.size = sizeof callbacks;
    callbacks.on_identify = identify;
    return callbacks;
}

// A whole flat-API backup on `coordinator`, stopping at the first failure.
void back_up(vss_coordinator *coordinator, Outcome &outcome)
{
    vss_requester *requester = nullptr;
    if (!note(outcome, vss_requester_create(coordinator, &requester))) {
        return;
    }
    vss_guid set{}, snapshot{};
    char *xml = nullptr;
    uint32_t count = 0;
    const bool done = note(outcome, vss_requester_initialize_for_backup(requester)) &&
                      note(outcome, vss_requester_set_backup_state(requester, 1, 0, 1, 0)) &&
                      note(outcome, vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA)) &&
                      note(outcome, vss_requester_add_all_components(requester)) &&
                      note(outcome, vss_requester_start_snapshot_set(requester, &set)) &&
                      note(outcome, vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot)) &&
                      note(outcome, vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP)) &&
                      note(outcome, vss_requester_save_document(requester, &xml));
    vss_free(xml);
    if (done) {
        const vss_hresult snapshot_result = vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET);
        // A writer's refusal is an answer, not a failure of the call's own making.
        if (snapshot_result != VSS_E_WRITERERROR_RETRYABLE && note_call(outcome, "DoSnapshotSet", snapshot_result)) {
            (void)note(outcome, vss_requester_run(requester, VSS_STEP_BACKUP_COMPLETE));
        }
        if (note(outcome, vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS)) &&
            note(outcome, vss_requester_status_count(requester, &count))) {
            for (uint32_t i = 0; i < count; ++i) {
                vss_writer_status status{};
                status.size = sizeof status;
                if (!note(outcome, vss_requester_status(requester, i, &status))) {
                    break;
                }
                vss_writer_status_clear(&status);
            }
        }
    }
    vss_requester_release(requester);
}

// Coordinator, a C writer, a scenario's mock writers, a backup, release.
// Returns the coordinator if it was made (the caller checks it still works).
vss_coordinator *whole_sequence(Outcome &outcome, vss_writer *&writer, vss_scenario *&scenario)
{
    vss_coordinator_options options{};
    options.size = sizeof options;
    options.virtual_clock = VSS_CLOCK_SIMULATED;
    options.workers = 4;
    vss_coordinator *coordinator = nullptr;
    if (!note(outcome, vss_coordinator_create(&options, &coordinator))) {
        return nullptr;
    }
    vss_writer_info info{};
    info.size = sizeof info;
    info.class_id = &kWriterClass;
    info.name = "Fault Writer";
    info.usage = 3;
    info.source = 1;
    const vss_writer_callbacks callbacks = writer_callbacks();
    if (note(outcome, vss_writer_create(coordinator, &info, &callbacks, nullptr, &writer)) &&
        note(outcome, vss_writer_subscribe(writer))) {
        vss_hresult loaded = S_OK;
        {
            // Not counted: nlohmann::json's destructor allocates (json_value::destroy
            // flattens the tree into a std::vector), so a failed allocation while a
            // parsed or half-parsed document goes away ends the process in any
            // program that uses it. A limit of the JSON library, noted in the README.
            const faults::Paused paused;
            loaded = vss_scenario_load_text(coordinator, kScenario, &scenario);
        }
        if (note_call(outcome, "vss_scenario_load_text", loaded)) {
            back_up(coordinator, outcome);
        }
    }
    return coordinator;
}

} // namespace

TEST_CASE("C-6.2 the N-th allocation fails, for every N: each call says S_OK or E_OUTOFMEMORY and the coordinator works afterwards")
{
    // OPENVSS_FAULTS_FROM=N starts at N (to look at one failure with VSSAPI_TRACE=1).
    const char *from = std::getenv("OPENVSS_FAULTS_FROM");
    long n = from != nullptr ? std::max(1L, std::atol(from)) : 1;
    long reached = 0;
    for (;; ++n) {
        Outcome outcome;
        vss_writer *writer = nullptr;
        vss_scenario *scenario = nullptr;
        faults::arm(n);
        vss_coordinator *coordinator = whole_sequence(outcome, writer, scenario);
        const bool fired = faults::fired();
        faults::arm(0);
        INFO("allocation " << n << " failed");
        for (const std::string &what : outcome.unexpected) {
            FAIL_CHECK("unexpected " << what);
        }
        if (coordinator != nullptr) {
            Outcome after; // the same coordinator, nothing failing now
            back_up(coordinator, after);
            CHECK_MESSAGE(!after.failed, "a backup after the failure still fails");
            for (const std::string &what : after.unexpected) {
                FAIL_CHECK("afterwards: " << what);
            }
        }
        vss_scenario_release(scenario);
        vss_writer_release(writer);
        vss_coordinator_release(coordinator);
        if (!fired) {
            reached = n;
            break; // the whole sequence ran without reaching the N-th allocation
        }
        REQUIRE(n < 200000);
    }
    MESSAGE("a whole sequence takes " << reached - 1 << " allocations; each one failed once");
    CHECK(reached > 100);
}

TEST_CASE("C-6.2 thread creation fails: the call says E_OUTOFMEMORY, and the next one works")
{
    vss_coordinator_options options{};
    options.size = sizeof options;
    options.virtual_clock = VSS_CLOCK_SIMULATED;
    options.workers = 4;
    vss_coordinator *coordinator = nullptr;
    // The dispatcher's third worker cannot start: no coordinator, no thread left behind.
    vssapi::core::testing::failing_thread_starts = 1;
    CHECK(vss_coordinator_create(&options, &coordinator) == E_OUTOFMEMORY);
    CHECK(coordinator == nullptr);
    vssapi::core::testing::failing_thread_starts = 0;
    REQUIRE(vss_coordinator_create(&options, &coordinator) == S_OK);

    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator, &requester) == S_OK);
    REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
    // The operation's own thread cannot start: the step is refused, nothing changed.
    vssapi::core::testing::failing_thread_starts = 1;
    vss_async *async = nullptr;
    CHECK(vss_requester_start(requester, VSS_STEP_GATHER_WRITER_METADATA, &async) == E_OUTOFMEMORY);
    CHECK(async == nullptr);
    CHECK(vssapi::core::testing::failing_thread_starts == 0);
    CHECK(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    vss_requester_release(requester);

    Outcome outcome;
    back_up(coordinator, outcome);
    CHECK(!outcome.failed);
    CHECK(outcome.unexpected.size() == 0);
    vss_coordinator_release(coordinator);
}

namespace {
// Every handler throws (a C++ exception, or with a writer that has a bug).
class ThrowingWriter final : public CVssWriterEx2 {
public:
    // identify: whether OnIdentify throws too (then the writer is not listed, C-3.3).
    ThrowingWriter(const char16_t *name, unsigned char id, bool identify) : identify_(identify)
    {
        const GUID klass = {0xfa017001, 0x1111, 0x2222, {0x80, 1, 2, 3, 4, 5, 6, id}};
        REQUIRE(Initialize(klass, reinterpret_cast<LPCWSTR>(name), VSS_UT_USERDATA, VSS_ST_OTHER) == S_OK);
        REQUIRE(Subscribe() == S_OK);
    }
    ~ThrowingWriter() override
    {
        if (m_pWriterImpl != nullptr) {
            m_pWriterImpl->Uninitialize();
        }
    }
    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *) override
    {
        if (identify_) {
            throw std::runtime_error("identify");
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *) override { throw std::bad_alloc(); }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { throw std::runtime_error("prepare"); }
    bool STDMETHODCALLTYPE OnFreeze() override { throw 42; }
    bool STDMETHODCALLTYPE OnThaw() override { throw std::runtime_error("thaw"); }
    bool STDMETHODCALLTYPE OnAbort() override { throw std::runtime_error("abort"); }
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *) override { throw std::runtime_error("post"); }
    bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *) override { throw std::runtime_error("done"); }
    bool STDMETHODCALLTYPE OnBackupShutdown(VSS_ID) override { throw std::runtime_error("shutdown"); }

private:
    const bool identify_;
};
} // namespace

TEST_CASE("C-6.2 writers whose handlers throw: the backup goes on, each is reported failed (or, failing Identify, not listed)")
{
    // The COM writer subscribes to the process's coordinator; the flat requester (NULL) uses it too.
    {
        ThrowingWriter everything(u"Throwing Writer", 8, true);
        ThrowingWriter after_identify(u"Throwing After Identify", 9, false);
        for (int round = 0; round < 2; ++round) {
            vss_requester *requester = nullptr;
            REQUIRE(vss_requester_create(nullptr, &requester) == S_OK);
            REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
            CHECK(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
            vss_guid set{}, snapshot{};
            REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
            REQUIRE(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot) == S_OK);
            const vss_hresult prepared = vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP);
            CHECK((prepared == S_OK || prepared == VSS_E_WRITERERROR_OUTOFRESOURCES || prepared == VSS_E_WRITERERROR_NONRETRYABLE));
            if (prepared == S_OK) {
                (void)vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET);
            }
            CHECK(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
            uint32_t count = 0;
            REQUIRE(vss_requester_status_count(requester, &count) == S_OK);
            bool reported = false, listed_anyway = false;
            for (uint32_t i = 0; i < count; ++i) {
                vss_writer_status status{};
                status.size = sizeof status;
                REQUIRE(vss_requester_status(requester, i, &status) == S_OK);
                if (std::string(status.name) == "Throwing After Identify") {
                    reported = true;
                    CHECK(status.hr_failure_writer != S_OK); // the throw counts as the handler failing
                    CHECK(status.state != VSS_WS_STABLE);
                }
                listed_anyway = listed_anyway || std::string(status.name) == "Throwing Writer";
                vss_writer_status_clear(&status);
            }
            CHECK(reported);
            CHECK(!listed_anyway); // C-3.3
            vss_requester_release(requester);
        }
    }
}
