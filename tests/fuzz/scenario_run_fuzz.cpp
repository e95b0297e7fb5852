// A scenario that loads, then a whole backup against its mock writers, the
// document saved, and a restore from it: whatever the writers are told to do
// (fail, throw, hang), every call returns and the next session works
// (C-3, C-4.8, C-8).
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void require(bool ok)
{
    if (!ok) {
        std::abort();
    }
}

// One backup; returns the saved document (empty if none).
std::string back_up(vss_coordinator *coordinator)
{
    vss_requester *requester = nullptr;
    require(vss_requester_create(coordinator, &requester) == S_OK);
    std::string document;
    if (vss_requester_initialize_for_backup(requester) == S_OK &&
        vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK) {
        (void)vss_requester_add_all_components(requester);
        vss_guid set{}, snapshot{};
        if (vss_requester_start_snapshot_set(requester, &set) == S_OK) {
            (void)vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot);
        }
        if (vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK) {
            char *xml = nullptr;
            if (vss_requester_save_document(requester, &xml) == S_OK) {
                document = xml;
                vss_free(xml);
            }
            if (vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) == S_OK) {
                (void)vss_requester_run(requester, VSS_STEP_BACKUP_COMPLETE);
            } else {
                (void)vss_requester_abort(requester);
            }
        }
        (void)vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS);
        uint32_t count = 0;
        if (vss_requester_status_count(requester, &count) == S_OK) {
            for (uint32_t i = 0; i < count; ++i) {
                vss_writer_status status{};
                status.size = sizeof status;
                require(vss_requester_status(requester, i, &status) == S_OK);
                vss_writer_status_clear(&status);
            }
        }
    }
    vss_requester_release(requester);
    return document;
}

void restore(vss_coordinator *coordinator, const std::string &document)
{
    vss_requester *requester = nullptr;
    require(vss_requester_create(coordinator, &requester) == S_OK);
    if (vss_requester_initialize_for_restore(requester, document.c_str()) == S_OK &&
        vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK &&
        vss_requester_run(requester, VSS_STEP_PRE_RESTORE) == S_OK) {
        (void)vss_requester_run(requester, VSS_STEP_POST_RESTORE);
    }
    vss_requester_release(requester);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    // One coordinator per input: a hung writer of one input must not be met by the next.
    vss_coordinator_options options{};
    options.size = sizeof options;
    options.virtual_clock = VSS_CLOCK_SIMULATED;
    vss_coordinator *coordinator = nullptr;
    require(vss_coordinator_create(&options, &coordinator) == S_OK);
    const std::string text(reinterpret_cast<const char *>(data), size);
    vss_scenario *scenario = nullptr;
    if (vss_scenario_load_text(coordinator, text.c_str(), &scenario) == S_OK) {
        const std::string document = back_up(coordinator);
        (void)back_up(coordinator); // C-4.8: a second session in the same process
        if (!document.empty()) {
            restore(coordinator, document);
        }
        vss_scenario_release(scenario);
    }
    vss_coordinator_release(coordinator);
    return 0;
}
