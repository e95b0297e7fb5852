/*
 * flat_api: the flat C API alone (vssapi/vssapi.h), as another language
 * would call it: a writer that vetoes OnFreeze, a requester that reads why.
 */
#include <vssapi/vssapi.h>

#include <stdio.h>
#include <string.h>

static int32_t VSS_CALL on_freeze(void *user, vss_writer *writer)
{
    (void)user;
    vss_writer_set_failure_ex(writer, (vss_hresult)0x800423F3 /* VSS_E_WRITERERROR_RETRYABLE */,
                              (vss_hresult)0x80070020, "database file in use – réessayez");
    return 0; /* a veto */
}

int main(void)
{
    static const vss_guid writer_class = {0x1c0ffee1, 0x2, 0x3, {0x80, 0, 0, 0, 0, 0, 0, 1}};
    vss_writer_info info = {sizeof(vss_writer_info), &writer_class, "Flat Writer", NULL, 2, 1, 0, 0, 1, 0};
    vss_writer_callbacks callbacks;
    vss_writer *writer = NULL;
    vss_requester *requester = NULL;
    vss_writer_status status;
    vss_guid set_id, snapshot_id;
    uint32_t count = 0, i;


    memset(&callbacks, 0, sizeof callbacks);
    callbacks.size = sizeof callbacks;
    callbacks.on_freeze = on_freeze; /* handlers left NULL return true */
    memset(&status, 0, sizeof status);
    status.size = sizeof status;
    if (vss_writer_create(NULL, &info, &callbacks, NULL, &writer) != 0 || vss_writer_subscribe(writer) != 0 ||
        vss_requester_create(NULL, &requester) != 0) {
        fprintf(stderr, "set-up failed: %s\n", vss_last_error_message());
        return 1;
    }
    if (vss_requester_initialize_for_backup(requester) != 0 ||
        vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA) != 0 ||
        vss_requester_start_snapshot_set(requester, &set_id) != 0 ||
        vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot_id) != 0 ||
        vss_requester_run(requester, VSS_STEP_PREPARE_FOR_BACKUP) != 0 ||
        vss_requester_run(requester, VSS_STEP_DO_SNAPSHOT_SET) != 0 ||
        vss_requester_run(requester, VSS_STEP_GATHER_WRITER_STATUS) != 0 ||
        vss_requester_status_count(requester, &count) != 0) {
        fprintf(stderr, "backup failed: %s\n", vss_last_error_message());
        return 1;
    }
    for (i = 0; i < count; ++i) {
        if (vss_requester_status(requester, i, &status) == 0) {
            printf("%s: %s, %s, application 0x%08X, \"%s\"\n", status.name, vss_writer_state_name(status.state),
                   vss_hresult_name(status.hr_failure_writer), (unsigned)status.hr_application,
                   status.message != NULL ? status.message : "");
            vss_writer_status_clear(&status);
        }
    }
    {
        const vss_hresult bad = vss_requester_run(NULL, VSS_STEP_DO_SNAPSHOT_SET);
        printf("bad argument: 0x%08X %s: %s\n", (unsigned)bad, vss_hresult_name(bad), vss_last_error_message());
    }
    vss_requester_release(requester);
    vss_writer_release(writer);
    return count == 1 ? 0 : 1;
}
