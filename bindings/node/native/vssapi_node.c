/*
 * vssapi_node.c - the one native piece of the Node.js binding.
 *
 * Node runs JavaScript on one thread only. The library calls a writer's
 * handlers on its own pool threads, so koffi queues each such call to the JS
 * thread and blocks the pool thread until it returns. That is enough for most
 * of the flat API, but vss_writer_set_failure(_ex) and vss_writer_session_id
 * work only on the handler's own thread (C-2.3): called from the JS thread
 * they return VSS_E_BAD_STATE.
 *
 * So each handler call goes through this file: the pool thread starts a helper
 * thread that calls the JS dispatcher (koffi queues it to the JS thread) and
 * meanwhile serves the JS thread's requests for those thread-bound calls, so
 * the JS handler gets their real HRESULT and message back at once. A handler
 * that returns a promise answers VSSNODE_PENDING and ends later with
 * vssnode_finish; the pool thread serves its requests until then.
 *
 * vssnode_requester_abort is vss_requester_abort plus a copy of its message,
 * for the binding runs it on a koffi worker thread (it waits for the writers'
 * OnAbort, which need the JS thread) whose thread-local message JS cannot read.
 *
 * Nothing here knows JavaScript; it is plain C over vssapi.h.
 */
#define _POSIX_C_SOURCE 200809L

#include <vssapi/vssapi.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define VSSNODE_EXPORT __attribute__((visibility("default")))
#else
#define VSSNODE_EXPORT
#endif

#define VSSNODE_E_INVALIDARG ((vss_hresult)0x80070057)
#define VSSNODE_E_OUTOFMEMORY ((vss_hresult)0x8007000E)

/* A dispatcher's answer for "the handler returned a promise": the JS side
 * calls vssnode_finish(call, result) when it settles, and until then the pool
 * thread waits and still serves the handler's requests. */
#define VSSNODE_PENDING 0x7FFF0001

/* The events, in the order of vss_writer_callbacks; bit (1 << event) of a
 * writer's mask says the JS writer handles it. */
enum {
    EVENT_IDENTIFY,
    EVENT_PREPARE_BACKUP,
    EVENT_PREPARE_SNAPSHOT,
    EVENT_FREEZE,
    EVENT_THAW,
    EVENT_ABORT,
    EVENT_POST_SNAPSHOT,
    EVENT_BACKUP_COMPLETE,
    EVENT_BACKUP_SHUTDOWN,
    EVENT_PRE_RESTORE,
    EVENT_POST_RESTORE,
    EVENT_COUNT
};

enum { OP_SET_FAILURE, OP_SET_FAILURE_EX, OP_SESSION_ID };
enum { STATE_JS, STATE_REQUEST, STATE_ANSWERED, STATE_FINISHED };

typedef struct vssnode_call vssnode_call;

/* The JS side: one registered koffi callback per writer. argument is the
 * vss_metadata (identify), the vss_components or NULL (component events), the
 * snapshot set id (shutdown) or NULL. */
typedef int32_t (*vssnode_dispatch)(int32_t event, vss_writer *writer, void *argument, vssnode_call *call);

typedef struct vssnode_writer {
    vss_writer *handle;
    vssnode_dispatch dispatch;
} vssnode_writer;

struct vssnode_call {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int state;
    /* the handler */
    vssnode_writer *owner;
    int32_t event;
    vss_writer *writer;
    void *argument;
    int32_t result;
    /* one request from the JS thread */
    int op;
    vss_hresult hr_writer;
    vss_hresult hr_application;
    const char *message;
    vss_guid guid;
    vss_hresult answer;
    char error[1024]; /* the pool thread's vss_last_error_message() after a failed request */
};

static void finish(vssnode_call *call, int32_t result)
{
    pthread_mutex_lock(&call->lock);
    call->result = result;
    call->state = STATE_FINISHED;
    pthread_cond_broadcast(&call->changed);
    pthread_mutex_unlock(&call->lock);
}

static void *call_javascript(void *argument)
{
    vssnode_call *call = argument;
    const int32_t result = call->owner->dispatch(call->event, call->writer, call->argument, call);
    if (result != VSSNODE_PENDING) {
        finish(call, result);
    }
    return NULL;
}

static void serve(vssnode_call *call)
{
    switch (call->op) {
    case OP_SET_FAILURE:
        call->answer = vss_writer_set_failure(call->writer, call->hr_writer);
        break;
    case OP_SET_FAILURE_EX:
        call->answer = vss_writer_set_failure_ex(call->writer, call->hr_writer, call->hr_application, call->message);
        break;
    case OP_SESSION_ID:
        call->answer = vss_writer_session_id(call->writer, &call->guid);
        break;
    default:
        call->answer = VSSNODE_E_INVALIDARG;
        break;
    }
    call->error[0] = '\0';
    if (call->answer < 0) {
        strncpy(call->error, vss_last_error_message(), sizeof call->error - 1);
        call->error[sizeof call->error - 1] = '\0';
    }
}

/* On the library's pool thread. */
static int32_t handle(void *user, vss_writer *writer, int32_t event, void *argument)
{
    vssnode_call *call = calloc(1, sizeof *call);
    if (call == NULL) {
        return -1;
    }
    call->owner = user;
    call->event = event;
    call->writer = writer;
    call->argument = argument;
    call->result = -1;
    call->state = STATE_JS;
    pthread_mutex_init(&call->lock, NULL);
    pthread_cond_init(&call->changed, NULL);
    pthread_t helper;
    int32_t result = -1;
    if (pthread_create(&helper, NULL, call_javascript, call) == 0) {
        pthread_mutex_lock(&call->lock);
        while (call->state != STATE_FINISHED) {
            if (call->state == STATE_REQUEST) {
                serve(call);
                call->state = STATE_ANSWERED;
                pthread_cond_broadcast(&call->changed);
            } else {
                pthread_cond_wait(&call->changed, &call->lock);
            }
        }
        result = call->result;
        pthread_mutex_unlock(&call->lock);
        pthread_join(helper, NULL);
    }
    pthread_cond_destroy(&call->changed);
    pthread_mutex_destroy(&call->lock);
    free(call);
    return result;
}

static int32_t on_identify(void *user, vss_writer *writer, vss_metadata *metadata)
{
    return handle(user, writer, EVENT_IDENTIFY, metadata);
}
#define COMPONENTS_HANDLER(name, event)                                                        \
    static int32_t name(void *user, vss_writer *writer, vss_components *components)            \
    {                                                                                          \
        return handle(user, writer, event, components);                                        \
    }
#define PLAIN_HANDLER(name, event)                                                             \
    static int32_t name(void *user, vss_writer *writer)                                        \
    {                                                                                          \
        return handle(user, writer, event, NULL);                                              \
    }
COMPONENTS_HANDLER(on_prepare_backup, EVENT_PREPARE_BACKUP)
PLAIN_HANDLER(on_prepare_snapshot, EVENT_PREPARE_SNAPSHOT)
PLAIN_HANDLER(on_freeze, EVENT_FREEZE)
PLAIN_HANDLER(on_thaw, EVENT_THAW)
PLAIN_HANDLER(on_abort, EVENT_ABORT)
COMPONENTS_HANDLER(on_post_snapshot, EVENT_POST_SNAPSHOT)
COMPONENTS_HANDLER(on_backup_complete, EVENT_BACKUP_COMPLETE)
COMPONENTS_HANDLER(on_pre_restore, EVENT_PRE_RESTORE)
COMPONENTS_HANDLER(on_post_restore, EVENT_POST_RESTORE)

static int32_t on_backup_shutdown(void *user, vss_writer *writer, const vss_guid *snapshot_set_id)
{
    return handle(user, writer, EVENT_BACKUP_SHUTDOWN, (void *)snapshot_set_id);
}

/* Asks the pool thread to run one thread-bound call; on the JS thread, inside a handler. */
static vss_hresult request(vssnode_call *call, int op, vss_hresult hr_writer, vss_hresult hr_application,
                           const char *message, vss_guid *guid)
{
    pthread_mutex_lock(&call->lock);
    call->op = op;
    call->hr_writer = hr_writer;
    call->hr_application = hr_application;
    call->message = message;
    call->state = STATE_REQUEST;
    pthread_cond_broadcast(&call->changed);
    while (call->state != STATE_ANSWERED) {
        pthread_cond_wait(&call->changed, &call->lock);
    }
    call->state = STATE_JS;
    const vss_hresult answer = call->answer;
    if (guid != NULL) {
        *guid = call->guid;
    }
    pthread_mutex_unlock(&call->lock);
    return answer;
}

VSSNODE_EXPORT int32_t vssnode_abi_version(void);
VSSNODE_EXPORT vss_hresult vssnode_writer_create(vss_coordinator *coordinator, const vss_writer_info *info,
                                                 uint32_t event_mask, vssnode_dispatch dispatch, vssnode_writer **out);
VSSNODE_EXPORT vss_writer *vssnode_writer_handle(vssnode_writer *writer);
VSSNODE_EXPORT void vssnode_writer_release(vssnode_writer *writer);
VSSNODE_EXPORT vss_hresult vssnode_set_failure(vssnode_call *call, vss_hresult hr_writer);
VSSNODE_EXPORT vss_hresult vssnode_set_failure_ex(vssnode_call *call, vss_hresult hr_writer,
                                                  vss_hresult hr_application, const char *message);
VSSNODE_EXPORT vss_hresult vssnode_session_id(vssnode_call *call, vss_guid *out);
VSSNODE_EXPORT const char *vssnode_call_error(vssnode_call *call);
VSSNODE_EXPORT void vssnode_finish(vssnode_call *call, int32_t result);
VSSNODE_EXPORT vss_hresult vssnode_requester_abort(vss_requester *requester, char *error, uint32_t capacity);

int32_t vssnode_abi_version(void)
{
    return 1;
}

/* vss_writer_create with the JS dispatcher behind the events of event_mask. */
vss_hresult vssnode_writer_create(vss_coordinator *coordinator, const vss_writer_info *info, uint32_t event_mask,
                                  vssnode_dispatch dispatch, vssnode_writer **out)
{
    if (out == NULL || (event_mask != 0 && dispatch == NULL)) {
        return VSSNODE_E_INVALIDARG;
    }
    *out = NULL;
    vssnode_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        return VSSNODE_E_OUTOFMEMORY;
    }
    writer->dispatch = dispatch;
    vss_writer_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.size = sizeof callbacks;
#define WANT(event, field, function)                                                           \
    if (event_mask & (1u << (event))) {                                                        \
        callbacks.field = function;                                                            \
    }
    WANT(EVENT_IDENTIFY, on_identify, on_identify)
    WANT(EVENT_PREPARE_BACKUP, on_prepare_backup, on_prepare_backup)
    WANT(EVENT_PREPARE_SNAPSHOT, on_prepare_snapshot, on_prepare_snapshot)
    WANT(EVENT_FREEZE, on_freeze, on_freeze)
    WANT(EVENT_THAW, on_thaw, on_thaw)
    WANT(EVENT_ABORT, on_abort, on_abort)
    WANT(EVENT_POST_SNAPSHOT, on_post_snapshot, on_post_snapshot)
    WANT(EVENT_BACKUP_COMPLETE, on_backup_complete, on_backup_complete)
    WANT(EVENT_BACKUP_SHUTDOWN, on_backup_shutdown, on_backup_shutdown)
    WANT(EVENT_PRE_RESTORE, on_pre_restore, on_pre_restore)
    WANT(EVENT_POST_RESTORE, on_post_restore, on_post_restore)
#undef WANT
    /* The library's own checks and message for the info. */
    const vss_hresult hr = vss_writer_create(coordinator, info, &callbacks, writer, &writer->handle);
    if (hr < 0) {
        free(writer);
        return hr;
    }
    *out = writer;
    return hr;
}

vss_writer *vssnode_writer_handle(vssnode_writer *writer)
{
    return writer != NULL ? writer->handle : NULL;
}

/* Waits for a running handler: never call it on the JS thread while one may run. */
void vssnode_writer_release(vssnode_writer *writer)
{
    if (writer != NULL) {
        vss_writer_release(writer->handle);
        free(writer);
    }
}

vss_hresult vssnode_set_failure(vssnode_call *call, vss_hresult hr_writer)
{
    return call != NULL ? request(call, OP_SET_FAILURE, hr_writer, 0, NULL, NULL) : VSSNODE_E_INVALIDARG;
}

vss_hresult vssnode_set_failure_ex(vssnode_call *call, vss_hresult hr_writer, vss_hresult hr_application,
                                   const char *message)
{
    return call != NULL ? request(call, OP_SET_FAILURE_EX, hr_writer, hr_application, message, NULL)
                        : VSSNODE_E_INVALIDARG;
}

vss_hresult vssnode_session_id(vssnode_call *call, vss_guid *out)
{
    if (call == NULL || out == NULL) {
        return VSSNODE_E_INVALIDARG;
    }
    return request(call, OP_SESSION_ID, 0, 0, NULL, out);
}

/* The message of the last failed request of this call ("" if none). */
const char *vssnode_call_error(vssnode_call *call)
{
    return call != NULL ? call->error : "";
}

/* Ends a handler whose dispatcher answered VSSNODE_PENDING; call is invalid afterwards. */
void vssnode_finish(vssnode_call *call, int32_t result)
{
    if (call != NULL) {
        finish(call, result);
    }
}

/* vss_requester_abort, which waits for the writers' OnAbort handlers, made to
 * run off the JS thread: it copies this thread's error message to error. */
vss_hresult vssnode_requester_abort(vss_requester *requester, char *error, uint32_t capacity)
{
    const vss_hresult hr = vss_requester_abort(requester);
    if (error != NULL && capacity > 0) {
        strncpy(error, hr < 0 ? vss_last_error_message() : "", capacity - 1);
        error[capacity - 1] = '\0';
    }
    return hr;
}
