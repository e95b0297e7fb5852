/*
 * c_writer: a writer and a requester in plain C, through the C ABI only.
 *
 * The library calls writers through a table of C callbacks (vssapi/
 * writer_callbacks.h), never through a C++ vtable, so a writer written in C
 * (or built by another compiler, or bound from another language) works the
 * same as a CVssWriterEx2 subclass. This one vetoes OnFreeze with
 * SetWriterFailureEx called through IVssWriterImpl's C vtable, and the C
 * requester reads the failure back through GetWriterStatusEx.
 */
#include <vsbackup.h>
#include <vswriter.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct writer_state {
    IVssWriterImpl *impl;
    int freezes;
    int shutdowns;
};

static const WCHAR kName[] = {'C', ' ', 'W', 'r', 'i', 't', 'e', 'r', 0};
static const WCHAR kMessage[] = {'l', 'o', 'c', 'k', 'e', 'd', ' ', 0x00E9, 0xD83D, 0xDE00, 0};
static const WCHAR kVolume[] = {'C', ':', '\\', 0};

static int32_t STDMETHODCALLTYPE on_freeze(void *context)
{
    struct writer_state *state = (struct writer_state *)context;
    ++state->freezes;
    /* On the handler's thread, inside the handler: accepted (C-2.3). */
    if (state->impl->lpVtbl->SetWriterFailureEx(state->impl, VSS_E_WRITERERROR_RETRYABLE, (HRESULT)0x80070020,
                                                kMessage) != S_OK) {
        return VSSAPI_HANDLER_THREW;
    }
    return VSSAPI_HANDLER_FALSE;
}

static int32_t STDMETHODCALLTYPE on_backup_shutdown(void *context, const VSS_ID *snapshot_set_id)
{
    (void)snapshot_set_id;
    ++((struct writer_state *)context)->shutdowns;
    return VSSAPI_HANDLER_TRUE;
}

static HRESULT finish(IVssAsync *async)
{
    HRESULT result = E_FAIL;
    async->lpVtbl->Wait(async, INFINITE);
    async->lpVtbl->QueryStatus(async, &result, NULL);
    async->lpVtbl->Release(async);
    return result;
}

static int failures = 0;

static void check(const char *what, HRESULT got, HRESULT expected)
{
    printf("%-34s 0x%08lX%s\n", what, (unsigned long)(uint32_t)got, got == expected ? "" : "   <-- unexpected");
    failures += got != expected;
}

int main(void)
{
    static const VSS_ID writer_id = {0x1c0ffee0, 0x1234, 0x4abc, {0x80, 0, 1, 2, 3, 4, 5, 6}};
    struct writer_state state = {NULL, 0, 0};
    VSSAPI_WRITER_CALLBACKS callbacks;
    IVssBackupComponents *backup = NULL;
    IVssBackupComponentsEx3 *ex3 = NULL;
    IVssAsync *async = NULL;
    VSS_ID set_id, snapshot_id, instance, klass;
    BSTR name = NULL, message = NULL;
    VSS_WRITER_STATE writer_state = VSS_WS_UNKNOWN;
    HRESULT hr_writer = S_OK, hr_application = S_OK;

    memset(&callbacks, 0, sizeof callbacks);
    callbacks.cbSize = sizeof callbacks;
    callbacks.pContext = &state;
    callbacks.OnFreeze = on_freeze; /* NULL handlers behave as CVssWriter's base: true */
    callbacks.OnBackupShutdown = on_backup_shutdown;

    puts("openvss: a writer and a requester in C");
    check("vssapi_create_writer_impl", vssapi_create_writer_impl(&callbacks, &state.impl), S_OK);
    if (state.impl == NULL) {
        return 1;
    }
    check("IVssWriterImpl::Initialize",
          state.impl->lpVtbl->Initialize(state.impl, writer_id, kName, NULL, 1, 0, VSS_UT_USERDATA, VSS_ST_OTHER,
                                         VSS_APP_FRONT_END, 60000, VSS_AWS_NO_ALTERNATE_WRITER, false),
          S_OK);
    check("IVssWriterImpl::Subscribe", state.impl->lpVtbl->Subscribe(state.impl, 0, VSS_SM_ALL_FLAGS), S_OK);
    check("SetWriterFailureEx outside a handler",
          state.impl->lpVtbl->SetWriterFailureEx(state.impl, VSS_E_WRITERERROR_RETRYABLE, S_OK, NULL),
          VSS_E_BAD_STATE);

    check("CreateVssBackupComponents", CreateVssBackupComponents(&backup), S_OK);
    if (backup == NULL) {
        return 1;
    }
    check("QueryInterface(Ex3)",
          backup->lpVtbl->QueryInterface(backup, &IID_IVssBackupComponentsEx3, (void **)&ex3), S_OK);
    check("InitializeForBackup", backup->lpVtbl->InitializeForBackup(backup, NULL), S_OK);
    check("GatherWriterMetadata", backup->lpVtbl->GatherWriterMetadata(backup, &async), S_OK);
    check("  result", finish(async), VSS_S_ASYNC_FINISHED);
    check("StartSnapshotSet", backup->lpVtbl->StartSnapshotSet(backup, &set_id), S_OK);
    check("AddToSnapshotSet", backup->lpVtbl->AddToSnapshotSet(backup, (VSS_PWSZ)kVolume, GUID_NULL, &snapshot_id),
          S_OK);
    check("PrepareForBackup", backup->lpVtbl->PrepareForBackup(backup, &async), S_OK);
    check("  result", finish(async), VSS_S_ASYNC_FINISHED);
    check("DoSnapshotSet", backup->lpVtbl->DoSnapshotSet(backup, &async), S_OK);
    check("  result (a veto does not fail it)", finish(async), VSS_S_ASYNC_FINISHED);
    check("GatherWriterStatus", backup->lpVtbl->GatherWriterStatus(backup, &async), S_OK);
    check("  result", finish(async), VSS_S_ASYNC_FINISHED);
    check("GetWriterStatusEx(0)",
          ex3->lpVtbl->GetWriterStatusEx(ex3, 0, &instance, &klass, &name, &writer_state, &hr_writer,
                                         &hr_application, &message),
          S_OK);
    check("  state is FAILED_AT_FREEZE", (HRESULT)writer_state, (HRESULT)VSS_WS_FAILED_AT_FREEZE);
    check("  hrFailureWriter", hr_writer, VSS_E_WRITERERROR_RETRYABLE);
    check("  hrApplication", hr_application, (HRESULT)0x80070020);
    check("  message unchanged",
          (HRESULT)(SysStringLen(message) == 10 && memcmp(message, kMessage, sizeof kMessage) == 0), 1);
    SysFreeString(name);
    SysFreeString(message);
    ex3->lpVtbl->Release(ex3);
    backup->lpVtbl->Release(backup); /* OnBackupShutdown */
    check("OnFreeze calls", state.freezes, 1);
    check("OnBackupShutdown calls", state.shutdowns, 1);

    state.impl->lpVtbl->Uninitialize(state.impl);
    state.impl->lpVtbl->Release(state.impl);
    printf("%s\n", failures == 0 ? "every result as expected" : "some results were unexpected");
    return failures == 0 ? 0 : 1;
}
