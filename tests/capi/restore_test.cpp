// The flat C API's restore and document section (vssapi/vssapi.h, C-8), used
// as another language would: a backup saves its document as UTF-8 XML, a
// second coordinator (a new process) restores from it, the writer reads its
// own backup data in OnPreRestore and fails OnPostRestore.
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

const vss_guid kClass = {0x5e1f0042, 0x1111, 0x2222, {0x80, 1, 2, 3, 4, 5, 6, 8}};

struct Coordinator {
    vss_coordinator *handle = nullptr;
    Coordinator()
    {
        vss_coordinator_options options{};
        options.size = sizeof options;
        REQUIRE(vss_coordinator_create(&options, &handle) == S_OK);
    }
    ~Coordinator() { vss_coordinator_release(handle); }
};

struct Seen {
    std::string metadata, stamp, options;
    int32_t selected = -1;
    int32_t file_status = -1;
};

std::string take(char *text)
{
    std::string out = text != nullptr ? text : "";
    vss_free(text);
    return out;
}

vss_writer *make_writer(vss_coordinator *coordinator, const vss_writer_callbacks &callbacks, void *user)
{
    vss_writer_info info{};
    info.size = sizeof info;
    info.class_id = &kClass;
    info.name = "Restore Writer";
    info.usage = 3;
    info.source = 1;
    vss_writer *writer = nullptr;
    REQUIRE(vss_writer_create(coordinator, &info, &callbacks, user, &writer) == S_OK);
    REQUIRE(vss_writer_subscribe(writer) == S_OK);
    return writer;
}

int32_t VSS_CALL declare_orders(void *, vss_writer *, vss_metadata *metadata)
{
    // A handler answers 1 (true) or 0 (false, a veto).
    return vss_metadata_add_component(metadata, 2 /* VSS_CT_FILEGROUP */, "Data", "Orders", nullptr, 1) == S_OK ? 1
                                                                                                            : 0;
}

} // namespace

TEST_CASE("C-8.2 flat API: save the document after a backup, restore from it in a new coordinator")
{
    std::string xml;
    {
        Coordinator coordinator;
        vss_writer_callbacks callbacks{};
        callbacks.size = sizeof callbacks;
        callbacks.on_identify = &declare_orders;
        callbacks.on_prepare_backup = [](void *, vss_writer *, vss_components *components) VSS_CALL -> int32_t {
            const bool ok = vss_components_set_text(components, 0, VSS_TEXT_BACKUP_METADATA, "lsn=42 ✓") == S_OK &&
                            vss_components_set_text(components, 0, VSS_TEXT_BACKUP_STAMP, "stamp-1") == S_OK &&
                            vss_components_set_text(components, 0, VSS_TEXT_PREVIOUS_BACKUP_STAMP, "x") ==
                                E_INVALIDARG; // read only
            return ok ? 1 : 0;
        };
        vss_writer *writer = make_writer(coordinator.handle, callbacks, nullptr);
        vss_requester *requester = nullptr;
        REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
        REQUIRE(vss_requester_initialize_for_backup(requester) == S_OK);
        REQUIRE(vss_requester_set_backup_state(requester, 1, 0, 1, 0) == S_OK);
        REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
        REQUIRE(vss_requester_add_all_components(requester) == S_OK);
        char *text = nullptr;
        CHECK(vss_requester_save_document(requester, &text) == VSS_E_BAD_STATE); // before PrepareForBackup
        CHECK(text == nullptr);
        CHECK(std::string(vss_last_error_message()).find("SaveAsXML before PrepareForBackup completed") !=
              std::string::npos);
        vss_guid set{}, snapshot{};
        REQUIRE(vss_requester_start_snapshot_set(requester, &set) == S_OK);
        REQUIRE(vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot) == S_OK);
        REQUIRE(vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) == S_OK);
        REQUIRE(vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) == S_OK);
        REQUIRE(vss_requester_save_document(requester, &text) == S_OK);
        xml = take(text);
        REQUIRE(vss_requester_run(requester, VSS_STEP_BACKUP_COMPLETE) == S_OK);
        vss_requester_release(requester);
        vss_writer_release(writer);
    }
    CHECK(xml.find("<BACKUP_METADATA metadata=\"lsn=42 ✓\"") != std::string::npos);

    Coordinator coordinator;
    Seen seen;
    vss_writer_callbacks callbacks{};
    callbacks.size = sizeof callbacks;
    callbacks.on_identify = &declare_orders;
    callbacks.on_pre_restore = [](void *user, vss_writer *, vss_components *components) VSS_CALL -> int32_t {
        Seen &s = *static_cast<Seen *>(user);
        char *text = nullptr;
        if (vss_components_get_text(components, 0, VSS_TEXT_BACKUP_METADATA, &text) == S_OK) {
            s.metadata = take(text);
        }
        if (vss_components_get_text(components, 0, VSS_TEXT_BACKUP_STAMP, &text) == S_OK) {
            s.stamp = take(text);
        }
        if (vss_components_get_text(components, 0, VSS_TEXT_RESTORE_OPTIONS, &text) == S_OK) {
            s.options = take(text);
        }
        vss_components_selected_for_restore(components, 0, &s.selected);
        return vss_components_set_text(components, 0, VSS_TEXT_RESTORE_METADATA, "restored") == S_OK ? 1 : 0;
    };
    callbacks.on_post_restore = [](void *user, vss_writer *writer, vss_components *components) VSS_CALL -> int32_t {
        Seen &s = *static_cast<Seen *>(user);
        vss_components_file_restore_status(components, 0, &s.file_status);
        vss_components_set_text(components, 0, VSS_TEXT_POST_RESTORE_FAILURE_MSG, "replay stopped at log 9");
        vss_writer_set_failure_ex(writer, VSS_E_WRITERERROR_NONRETRYABLE, 0x81, "log 9 is damaged");
        return 0;
    };
    vss_writer *writer = make_writer(coordinator.handle, callbacks, &seen);
    vss_requester *requester = nullptr;
    REQUIRE(vss_requester_create(coordinator.handle, &requester) == S_OK);
    CHECK(vss_requester_initialize_for_restore(requester, "<not a document") == VSS_E_INVALID_XML_DOCUMENT);
    CHECK(std::string(vss_last_error_message()).find("not XML") != std::string::npos);
    REQUIRE(vss_requester_initialize_for_restore(requester, xml.c_str()) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) == S_OK);
    CHECK(vss_requester_select_for_restore(requester, &kClass, 2, "Data", "Nope", 1) == VSS_E_OBJECT_NOT_FOUND);
    REQUIRE(vss_requester_select_for_restore(requester, &kClass, 2, "Data", "Orders", 1) == S_OK);
    REQUIRE(vss_requester_set_restore_options(requester, &kClass, 2, "Data", "Orders", "replace") == S_OK);
    REQUIRE(vss_requester_set_restore_state(requester, 1 /* VSS_RTYPE_BY_COPY */) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_PRE_RESTORE) == S_OK);
    REQUIRE(vss_requester_set_file_restore_status(requester, &kClass, 2, "Data", "Orders", 2 /* VSS_RS_ALL */) == S_OK);
    REQUIRE(vss_requester_run(requester, VSS_STEP_POST_RESTORE) == S_OK);
    CHECK(seen.metadata == "lsn=42 ✓");
    CHECK(seen.stamp == "stamp-1");
    CHECK(seen.options == "replace");
    CHECK(seen.selected == 1);
    CHECK(seen.file_status == 2);

    REQUIRE(vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) == S_OK);
    vss_writer_status status{};
    status.size = sizeof status;
    REQUIRE(vss_requester_status(requester, 0, &status) == S_OK);
    CHECK(std::string(vss_writer_state_name(status.state)) == "FAILED_AT_POST_RESTORE");
    CHECK(status.hr_failure_writer == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(status.hr_application == 0x81);
    CHECK(std::string(status.message) == "log 9 is damaged");
    vss_writer_status_clear(&status);
    vss_requester_release(requester);
    vss_writer_release(writer);
}

TEST_CASE("C-6.2 flat API restore section: NULL arguments and unknown texts are E_INVALIDARG")
{
    char *text = reinterpret_cast<char *>(0x1);
    CHECK(vss_requester_save_document(nullptr, &text) == E_INVALIDARG);
    CHECK(vss_requester_initialize_for_restore(nullptr, "x") == E_INVALIDARG);
    CHECK(vss_requester_resume_backup(nullptr, "x") == E_INVALIDARG);
    CHECK(vss_requester_select_for_restore(nullptr, &kClass, 2, nullptr, "n", 1) == E_INVALIDARG);
    CHECK(vss_components_get_text(nullptr, 0, VSS_TEXT_BACKUP_STAMP, &text) == E_INVALIDARG);
    CHECK(text == nullptr);
    CHECK(vss_components_set_text(nullptr, 0, 99, "x") == E_INVALIDARG);
    int32_t value = 5;
    CHECK(vss_components_selected_for_restore(nullptr, 0, &value) == E_INVALIDARG);
    CHECK(value == 0);
}
