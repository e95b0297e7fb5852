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
 * Providers (vssnode_provider_*): the library calls a provider's steps on its
 * own threads (the set's steps, delete_snapshot) or on the caller's thread
 * (is_volume_supported, inside vss_requester_add_to_snapshot_set_with, which
 * the JS thread makes). No provider call is bound to its thread, so each goes
 * straight to the JS dispatcher (koffi queues it to the JS thread when it comes
 * from another). The dispatcher is told whether the call came from another
 * thread: only then may it answer VSSNODE_PENDING (an async step) and end the
 * call later with vssnode_wait_finish, the library's thread waiting meanwhile.
 * On the JS thread itself nothing can wait for a promise.
 *
 * The retry helper (vssnode_retry_run): vss_retry_run runs every attempt on
 * its calling thread and waits there between them, so the binding runs it on
 * a koffi worker thread; each attempt goes to the JS dispatcher, which answers
 * VSSNODE_PENDING and ends it with vssnode_wait_finish once the JS attempt's
 * promise settles.
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
    return 2;
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

/* ---- waiting for a JS answer that comes later ------------------------------ */

/* One call from a library thread whose JS answer may come later (VSSNODE_PENDING
 * then vssnode_wait_finish). Lives on the waiting thread's stack. */
typedef struct vssnode_wait {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int finished;
    int32_t result;
    char *buffer; /* snapshot_device: where the device path goes */
    uint32_t size;
} vssnode_wait;

static void wait_init(vssnode_wait *wait, char *buffer, uint32_t size)
{
    memset(wait, 0, sizeof *wait);
    pthread_mutex_init(&wait->lock, NULL);
    pthread_cond_init(&wait->changed, NULL);
    wait->buffer = buffer;
    wait->size = size;
}

/* After the dispatcher answered: its result, or the one vssnode_wait_finish gives. */
static int32_t wait_result(vssnode_wait *wait, int32_t answer, int may_pend, int32_t refused)
{
    int32_t result = answer;
    if (answer == VSSNODE_PENDING) {
        if (may_pend) {
            pthread_mutex_lock(&wait->lock);
            while (!wait->finished) {
                pthread_cond_wait(&wait->changed, &wait->lock);
            }
            result = wait->result;
            pthread_mutex_unlock(&wait->lock);
        } else {
            result = refused; /* the JS side never does this: nothing could finish it */
        }
    }
    pthread_cond_destroy(&wait->changed);
    pthread_mutex_destroy(&wait->lock);
    return result;
}

VSSNODE_EXPORT void vssnode_wait_finish(vssnode_wait *wait, int32_t result);
VSSNODE_EXPORT vss_hresult vssnode_provider_set_device(vssnode_wait *wait, const char *device);

/* Ends a call whose dispatcher answered VSSNODE_PENDING; wait is invalid afterwards. */
void vssnode_wait_finish(vssnode_wait *wait, int32_t result)
{
    if (wait != NULL) {
        pthread_mutex_lock(&wait->lock);
        wait->result = result;
        wait->finished = 1;
        pthread_cond_broadcast(&wait->changed);
        pthread_mutex_unlock(&wait->lock);
    }
}

/* ---- providers --------------------------------------------------------------- */

#define VSSNODE_E_UNEXPECTED_PROVIDER_ERROR ((vss_hresult)0x8004230F)

/* The steps, in the order of vss_provider_callbacks; bit (1 << step) of a
 * provider's mask says the JS provider has it. */
enum {
    STEP_IS_VOLUME_SUPPORTED,
    STEP_PREPARE_FOR_SNAPSHOT,
    STEP_END_PREPARE_SNAPSHOTS,
    STEP_PRE_COMMIT_SNAPSHOTS,
    STEP_COMMIT_SNAPSHOTS,
    STEP_POST_COMMIT_SNAPSHOTS,
    STEP_PRE_FINAL_COMMIT_SNAPSHOTS,
    STEP_POST_FINAL_COMMIT_SNAPSHOTS,
    STEP_ABORT_SNAPSHOTS,
    STEP_SNAPSHOT_DEVICE,
    STEP_DELETE_SNAPSHOT,
    STEP_COUNT
};

/* The JS side: one registered koffi callback per provider. first is the
 * snapshot set id (the set's steps, prepare_for_snapshot) or the snapshot id
 * (snapshot_device, delete_snapshot); second the snapshot id of
 * prepare_for_snapshot; volume that of is_volume_supported and
 * prepare_for_snapshot; count that of post_commit_snapshots. may_pend: 1 when
 * the call came from another thread than the JS one (VSSNODE_PENDING allowed). */
typedef int32_t (*vssnode_provider_dispatch)(int32_t step, const vss_guid *first, const vss_guid *second,
                                             const char *volume, int32_t count, int32_t may_pend,
                                             vssnode_wait *wait);

typedef struct vssnode_provider {
    vssnode_provider_dispatch dispatch;
    pthread_t js_thread; /* the thread that registered it */
} vssnode_provider;

static vss_hresult provider_call(void *user, int32_t step, const vss_guid *first, const vss_guid *second,
                                 const char *volume, int32_t count, char *buffer, uint32_t size)
{
    vssnode_provider *provider = user;
    vssnode_wait wait;
    wait_init(&wait, buffer, size);
    const int may_pend = !pthread_equal(pthread_self(), provider->js_thread);
    const int32_t answer = provider->dispatch(step, first, second, volume, count, may_pend, &wait);
    return wait_result(&wait, answer, may_pend, VSSNODE_E_UNEXPECTED_PROVIDER_ERROR);
}

static vss_hresult VSS_CALL p_is_volume_supported(void *user, const char *volume)
{
    return provider_call(user, STEP_IS_VOLUME_SUPPORTED, NULL, NULL, volume, 0, NULL, 0);
}

static vss_hresult VSS_CALL p_prepare_for_snapshot(void *user, const vss_guid *set, const vss_guid *snapshot,
                                                   const char *volume)
{
    return provider_call(user, STEP_PREPARE_FOR_SNAPSHOT, set, snapshot, volume, 0, NULL, 0);
}

#define SET_STEP(name, step)                                                                     \
    static vss_hresult VSS_CALL name(void *user, const vss_guid *set)                            \
    {                                                                                            \
        return provider_call(user, step, set, NULL, NULL, 0, NULL, 0);                           \
    }
SET_STEP(p_end_prepare_snapshots, STEP_END_PREPARE_SNAPSHOTS)
SET_STEP(p_pre_commit_snapshots, STEP_PRE_COMMIT_SNAPSHOTS)
SET_STEP(p_commit_snapshots, STEP_COMMIT_SNAPSHOTS)
SET_STEP(p_pre_final_commit_snapshots, STEP_PRE_FINAL_COMMIT_SNAPSHOTS)
SET_STEP(p_post_final_commit_snapshots, STEP_POST_FINAL_COMMIT_SNAPSHOTS)
SET_STEP(p_abort_snapshots, STEP_ABORT_SNAPSHOTS)
#undef SET_STEP

static vss_hresult VSS_CALL p_post_commit_snapshots(void *user, const vss_guid *set, int32_t count)
{
    return provider_call(user, STEP_POST_COMMIT_SNAPSHOTS, set, NULL, NULL, count, NULL, 0);
}

static vss_hresult VSS_CALL p_snapshot_device(void *user, const vss_guid *snapshot, char *buffer, uint32_t size)
{
    return provider_call(user, STEP_SNAPSHOT_DEVICE, snapshot, NULL, NULL, 0, buffer, size);
}

static vss_hresult VSS_CALL p_delete_snapshot(void *user, const vss_guid *snapshot)
{
    return provider_call(user, STEP_DELETE_SNAPSHOT, snapshot, NULL, NULL, 0, NULL, 0);
}

VSSNODE_EXPORT vss_hresult vssnode_provider_register(vss_coordinator *coordinator, const vss_guid *id,
                                                     const char *name, const char *version, uint32_t step_mask,
                                                     vssnode_provider_dispatch dispatch, vssnode_provider **out);
VSSNODE_EXPORT vss_hresult vssnode_provider_unregister(vss_coordinator *coordinator, const vss_guid *id,
                                                       char *error, uint32_t capacity);
VSSNODE_EXPORT void vssnode_provider_free(vssnode_provider *provider);

/* vss_coordinator_register_provider with the JS dispatcher behind the steps of
 * step_mask; on the JS thread (its calls from there may not pend). */
vss_hresult vssnode_provider_register(vss_coordinator *coordinator, const vss_guid *id, const char *name,
                                      const char *version, uint32_t step_mask, vssnode_provider_dispatch dispatch,
                                      vssnode_provider **out)
{
    if (out == NULL || dispatch == NULL) {
        return VSSNODE_E_INVALIDARG;
    }
    *out = NULL;
    vssnode_provider *provider = calloc(1, sizeof *provider);
    if (provider == NULL) {
        return VSSNODE_E_OUTOFMEMORY;
    }
    provider->dispatch = dispatch;
    provider->js_thread = pthread_self();
    vss_provider_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.size = sizeof callbacks;
    if (id != NULL) {
        callbacks.id = *id; /* else all zero, which the library refuses with its own message */
    }
    callbacks.name = name;
    callbacks.version = version;
#define WANT(step, field, function)                                                              \
    if (step_mask & (1u << (step))) {                                                            \
        callbacks.field = function;                                                              \
    }
    WANT(STEP_IS_VOLUME_SUPPORTED, is_volume_supported, p_is_volume_supported)
    WANT(STEP_PREPARE_FOR_SNAPSHOT, prepare_for_snapshot, p_prepare_for_snapshot)
    WANT(STEP_END_PREPARE_SNAPSHOTS, end_prepare_snapshots, p_end_prepare_snapshots)
    WANT(STEP_PRE_COMMIT_SNAPSHOTS, pre_commit_snapshots, p_pre_commit_snapshots)
    WANT(STEP_COMMIT_SNAPSHOTS, commit_snapshots, p_commit_snapshots)
    WANT(STEP_POST_COMMIT_SNAPSHOTS, post_commit_snapshots, p_post_commit_snapshots)
    WANT(STEP_PRE_FINAL_COMMIT_SNAPSHOTS, pre_final_commit_snapshots, p_pre_final_commit_snapshots)
    WANT(STEP_POST_FINAL_COMMIT_SNAPSHOTS, post_final_commit_snapshots, p_post_final_commit_snapshots)
    WANT(STEP_ABORT_SNAPSHOTS, abort_snapshots, p_abort_snapshots)
    WANT(STEP_SNAPSHOT_DEVICE, snapshot_device, p_snapshot_device)
    WANT(STEP_DELETE_SNAPSHOT, delete_snapshot, p_delete_snapshot)
#undef WANT
    const vss_hresult hr = vss_coordinator_register_provider(coordinator, &callbacks, provider);
    if (hr < 0) {
        free(provider);
        return hr;
    }
    *out = provider;
    return hr;
}

/* vss_coordinator_unregister_provider, made to run off the JS thread (it waits
 * for the provider's running calls, which may need the JS thread): copies this
 * thread's error message to error. A JS provider is freed by
 * vssnode_provider_free once no call of it can come. */
vss_hresult vssnode_provider_unregister(vss_coordinator *coordinator, const vss_guid *id, char *error,
                                        uint32_t capacity)
{
    const vss_hresult hr = vss_coordinator_unregister_provider(coordinator, id);
    if (error != NULL && capacity > 0) {
        strncpy(error, hr < 0 ? vss_last_error_message() : "", capacity - 1);
        error[capacity - 1] = '\0';
    }
    return hr;
}

void vssnode_provider_free(vssnode_provider *provider)
{
    free(provider);
}

/* In snapshot_device: copies the device path (UTF-8) into the library's buffer.
 * E_INVALIDARG when it does not fit (with its NUL) or outside that step. */
vss_hresult vssnode_provider_set_device(vssnode_wait *wait, const char *device)
{
    if (wait == NULL || wait->buffer == NULL || device == NULL) {
        return VSSNODE_E_INVALIDARG;
    }
    const size_t length = strlen(device);
    if (length >= wait->size) {
        return VSSNODE_E_INVALIDARG;
    }
    memcpy(wait->buffer, device, length + 1);
    return 0;
}

/* ---- the retry helper ------------------------------------------------------------ */

/* The JS side of one run: attempt answers VSSNODE_PENDING (and ends with
 * vssnode_wait_finish); report is called once per attempt, and may be NULL. */
typedef int32_t (*vssnode_attempt_dispatch)(vss_requester *requester, uint32_t number, vssnode_wait *wait);
typedef void (*vssnode_report_dispatch)(const vss_retry_attempt *attempt);

typedef struct vssnode_retry {
    vssnode_attempt_dispatch attempt;
    vssnode_report_dispatch report;
} vssnode_retry;

static vss_hresult VSS_CALL retry_attempt(void *user, vss_requester *requester, uint32_t number)
{
    vssnode_retry *retry = user;
    vssnode_wait wait;
    wait_init(&wait, NULL, 0);
    const int32_t answer = retry->attempt(requester, number, &wait);
    return wait_result(&wait, answer, 1, (vss_hresult)0x8000FFFF /* E_UNEXPECTED */);
}

static void VSS_CALL retry_report(void *user, const vss_retry_attempt *attempt)
{
    vssnode_retry *retry = user;
    retry->report(attempt);
}

VSSNODE_EXPORT vss_hresult vssnode_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy,
                                             vssnode_attempt_dispatch attempt, vssnode_report_dispatch report,
                                             char *error, uint32_t capacity);

/* vss_retry_run with the JS dispatchers, on a koffi worker thread (never the JS
 * one: the attempts answer later); copies that thread's error message to error. */
vss_hresult vssnode_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy,
                              vssnode_attempt_dispatch attempt, vssnode_report_dispatch report, char *error,
                              uint32_t capacity)
{
    vssnode_retry retry = {attempt, report};
    const vss_hresult hr = vss_retry_run(coordinator, policy, attempt != NULL ? retry_attempt : NULL,
                                         report != NULL ? retry_report : NULL, &retry);
    if (error != NULL && capacity > 0) {
        strncpy(error, hr < 0 ? vss_last_error_message() : "", capacity - 1);
        error[capacity - 1] = '\0';
    }
    return hr;
}
