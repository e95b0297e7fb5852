#include "shim.h"

#include "_cgo_export.h"

/* ---- writers: each trampoline passes its event and argument to vssgoDispatch (writer.go) ---- */
static int32_t VSS_CALL on_identify(void *user, vss_writer *writer, vss_metadata *metadata)
{
    return vssgoDispatch((uintptr_t)user, VSSGO_IDENTIFY, writer, metadata);
}

#define VSSGO_HANDLER(name, event)                                                       \
    static int32_t VSS_CALL name(void *user, vss_writer *writer)                         \
    {                                                                                    \
        return vssgoDispatch((uintptr_t)user, event, writer, NULL);                      \
    }
#define VSSGO_COMPONENTS_HANDLER(name, event)                                            \
    static int32_t VSS_CALL name(void *user, vss_writer *writer, vss_components *components) \
    {                                                                                    \
        return vssgoDispatch((uintptr_t)user, event, writer, components);                \
    }
VSSGO_COMPONENTS_HANDLER(on_prepare_backup, VSSGO_PREPARE_BACKUP)
VSSGO_HANDLER(on_prepare_snapshot, VSSGO_PREPARE_SNAPSHOT)
VSSGO_HANDLER(on_freeze, VSSGO_FREEZE)
VSSGO_HANDLER(on_thaw, VSSGO_THAW)
VSSGO_HANDLER(on_abort, VSSGO_ABORT)
VSSGO_COMPONENTS_HANDLER(on_post_snapshot, VSSGO_POST_SNAPSHOT)
VSSGO_COMPONENTS_HANDLER(on_backup_complete, VSSGO_BACKUP_COMPLETE)
VSSGO_COMPONENTS_HANDLER(on_pre_restore, VSSGO_PRE_RESTORE)
VSSGO_COMPONENTS_HANDLER(on_post_restore, VSSGO_POST_RESTORE)

static int32_t VSS_CALL on_backup_shutdown(void *user, vss_writer *writer, const vss_guid *snapshot_set_id)
{
    return vssgoDispatch((uintptr_t)user, VSSGO_BACKUP_SHUTDOWN, writer, (void *)snapshot_set_id);
}

vss_hresult vssgo_writer_create(vss_coordinator *coordinator, const vss_guid *class_id, const char *name,
                                const char *instance_name, int32_t usage, int32_t source, int32_t level,
                                uint32_t freeze_timeout_ms, uint32_t version_major, uint32_t version_minor,
                                uintptr_t user, vss_writer **out)
{
    vss_writer_info info = {0};
    info.size = sizeof info;
    info.class_id = class_id;
    info.name = name;
    info.instance_name = instance_name;
    info.usage = usage;
    info.source = source;
    info.level = level;
    info.freeze_timeout_ms = freeze_timeout_ms;
    info.version_major = version_major;
    info.version_minor = version_minor;

    vss_writer_callbacks callbacks = {0};
    callbacks.size = sizeof callbacks;
    callbacks.on_identify = on_identify;
    callbacks.on_prepare_backup = on_prepare_backup;
    callbacks.on_prepare_snapshot = on_prepare_snapshot;
    callbacks.on_freeze = on_freeze;
    callbacks.on_thaw = on_thaw;
    callbacks.on_abort = on_abort;
    callbacks.on_post_snapshot = on_post_snapshot;
    callbacks.on_backup_complete = on_backup_complete;
    callbacks.on_backup_shutdown = on_backup_shutdown;
    callbacks.on_pre_restore = on_pre_restore;
    callbacks.on_post_restore = on_post_restore;
    return vss_writer_create(coordinator, &info, &callbacks, (void *)user, out);
}

/* ---- providers: each step goes to vssgoProviderStep (provider.go) ---- */

/* Which Go provider's step runs on this thread: UnregisterProvider refuses to
 * unregister a provider from inside its own step (the library would wait for it). */
static _Thread_local uintptr_t running_provider;

uintptr_t vssgo_provider_running(void)
{
    return running_provider;
}

static vss_hresult provider_step(void *user, int step, const vss_guid *set, const vss_guid *snapshot,
                                 const char *volume, int32_t count, char *buffer, uint32_t size)
{
    const uintptr_t outer = running_provider;
    running_provider = (uintptr_t)user;
    const vss_hresult hr = vssgoProviderStep((uintptr_t)user, step, (vss_guid *)set, (vss_guid *)snapshot,
                                             (char *)volume, count, buffer, size);
    running_provider = outer;
    return hr;
}

static vss_hresult VSS_CALL is_volume_supported(void *user, const char *volume)
{
    return provider_step(user, VSSGO_IS_VOLUME_SUPPORTED, NULL, NULL, volume, 0, NULL, 0);
}

static vss_hresult VSS_CALL prepare_for_snapshot(void *user, const vss_guid *set, const vss_guid *snapshot,
                                                 const char *volume)
{
    return provider_step(user, VSSGO_PREPARE_FOR_SNAPSHOT, set, snapshot, volume, 0, NULL, 0);
}

#define VSSGO_SET_STEP(name, step)                                                       \
    static vss_hresult VSS_CALL name(void *user, const vss_guid *set)                    \
    {                                                                                    \
        return provider_step(user, step, set, NULL, NULL, 0, NULL, 0);                   \
    }
VSSGO_SET_STEP(end_prepare_snapshots, VSSGO_END_PREPARE_SNAPSHOTS)
VSSGO_SET_STEP(pre_commit_snapshots, VSSGO_PRE_COMMIT_SNAPSHOTS)
VSSGO_SET_STEP(commit_snapshots, VSSGO_COMMIT_SNAPSHOTS)
VSSGO_SET_STEP(pre_final_commit_snapshots, VSSGO_PRE_FINAL_COMMIT_SNAPSHOTS)
VSSGO_SET_STEP(post_final_commit_snapshots, VSSGO_POST_FINAL_COMMIT_SNAPSHOTS)
VSSGO_SET_STEP(abort_snapshots, VSSGO_ABORT_SNAPSHOTS)

static vss_hresult VSS_CALL post_commit_snapshots(void *user, const vss_guid *set, int32_t count)
{
    return provider_step(user, VSSGO_POST_COMMIT_SNAPSHOTS, set, NULL, NULL, count, NULL, 0);
}

static vss_hresult VSS_CALL snapshot_device(void *user, const vss_guid *snapshot, char *buffer, uint32_t size)
{
    return provider_step(user, VSSGO_SNAPSHOT_DEVICE, NULL, snapshot, NULL, 0, buffer, size);
}

static vss_hresult VSS_CALL delete_snapshot(void *user, const vss_guid *snapshot)
{
    return provider_step(user, VSSGO_DELETE_SNAPSHOT, NULL, snapshot, NULL, 0, NULL, 0);
}

vss_hresult vssgo_provider_register(vss_coordinator *coordinator, const vss_guid *id, const char *name,
                                    const char *version, int32_t check_volumes, uintptr_t user)
{
    vss_provider_callbacks callbacks = {0};
    callbacks.size = sizeof callbacks;
    callbacks.id = *id;
    callbacks.name = name;
    callbacks.version = version;
    callbacks.is_volume_supported = check_volumes ? is_volume_supported : NULL;
    callbacks.prepare_for_snapshot = prepare_for_snapshot;
    callbacks.end_prepare_snapshots = end_prepare_snapshots;
    callbacks.pre_commit_snapshots = pre_commit_snapshots;
    callbacks.commit_snapshots = commit_snapshots;
    callbacks.post_commit_snapshots = post_commit_snapshots;
    callbacks.pre_final_commit_snapshots = pre_final_commit_snapshots;
    callbacks.post_final_commit_snapshots = post_final_commit_snapshots;
    callbacks.abort_snapshots = abort_snapshots;
    callbacks.snapshot_device = snapshot_device;
    callbacks.delete_snapshot = delete_snapshot;
    return vss_coordinator_register_provider(coordinator, &callbacks, (void *)user);
}

void vssgo_provider_ids(vss_guid out[VSSGO_PROVIDER_IDS])
{
    static const vss_guid ids[VSSGO_PROVIDER_IDS] = {VSS_PROVIDER_SIMULATED_ID, VSS_PROVIDER_LIVE_ID,
                                                     VSS_PROVIDER_COPY_ID,      VSS_PROVIDER_BTRFS_ID,
                                                     VSS_PROVIDER_REFLINK_ID,   VSS_PROVIDER_FSFREEZE_ID};
    for (int i = 0; i < VSSGO_PROVIDER_IDS; ++i) {
        out[i] = ids[i];
    }
}

/* ---- the retry helper: attempts and reports go to retry.go ---- */

static vss_hresult VSS_CALL retry_attempt(void *user, vss_requester *requester, uint32_t attempt)
{
    return vssgoRetryAttempt((uintptr_t)user, requester, attempt);
}

static void VSS_CALL retry_report(void *user, const vss_retry_attempt *attempt)
{
    vssgoRetryReport((uintptr_t)user, (vss_retry_attempt *)attempt);
}

vss_hresult vssgo_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy, int32_t with_report,
                            uintptr_t user)
{
    return vss_retry_run(coordinator, policy, retry_attempt, with_report ? retry_report : NULL, (void *)user);
}
