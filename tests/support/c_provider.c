#include "c_provider.h"

#include <stdio.h>
#include <string.h>

const vss_guid c_provider_id = {0xc0ffee00, 0x0000, 0x4000, {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

static void note(void *user, const char *step)
{
    c_provider *provider = (c_provider *)user;
    size_t used = strlen(provider->steps);
    snprintf(provider->steps + used, sizeof provider->steps - used, "%s%s", used ? " " : "", step);
}

static vss_hresult VSS_CALL is_volume_supported(void *user, const char *volume)
{
    (void)user;
    if (strcmp(volume, "Z:\\data") == 0 || strcmp(volume, "Z:\\logs") == 0) {
        return 0;
    }
    return (vss_hresult)0x80042308; /* VSS_E_OBJECT_NOT_FOUND */
}

static vss_hresult VSS_CALL prepare_for_snapshot(void *user, const vss_guid *set, const vss_guid *snapshot,
                                                 const char *volume)
{
    (void)set;
    (void)snapshot;
    (void)volume;
    ((c_provider *)user)->prepared++;
    note(user, "prepare");
    return 0;
}

#define STEP(name)                                                                                \
    static vss_hresult VSS_CALL name(void *user, const vss_guid *set)                            \
    {                                                                                             \
        (void)set;                                                                                \
        note(user, #name);                                                                        \
        return 0;                                                                                 \
    }
STEP(end_prepare_snapshots)
STEP(pre_commit_snapshots)
STEP(pre_final_commit_snapshots)
STEP(post_final_commit_snapshots)
STEP(abort_snapshots)

static vss_hresult VSS_CALL commit_snapshots(void *user, const vss_guid *set)
{
    (void)set;
    note(user, "commit_snapshots");
    return ((c_provider *)user)->fail_commit;
}

static vss_hresult VSS_CALL post_commit_snapshots(void *user, const vss_guid *set, int32_t count)
{
    char step[64];
    (void)set;
    snprintf(step, sizeof step, "post_commit_snapshots(%d)", (int)count);
    note(user, step);
    return 0;
}

static vss_hresult VSS_CALL snapshot_device(void *user, const vss_guid *snapshot, char *buffer, uint32_t size)
{
    c_provider *provider = (c_provider *)user;
    note(user, "snapshot_device");
    snprintf(buffer, size, "Z:\\snapshots\\%08x", (unsigned)snapshot->data1);
    (void)provider;
    return 0;
}

static vss_hresult VSS_CALL delete_snapshot(void *user, const vss_guid *snapshot)
{
    (void)snapshot;
    ((c_provider *)user)->deleted++;
    note(user, "delete_snapshot");
    return 0;
}

void c_provider_callbacks(vss_provider_callbacks *callbacks)
{
    memset(callbacks, 0, sizeof *callbacks);
    callbacks->size = sizeof *callbacks;
    callbacks->id = c_provider_id;
    callbacks->name = "C test provider";
    callbacks->version = "2.1";
    callbacks->is_volume_supported = is_volume_supported;
    callbacks->prepare_for_snapshot = prepare_for_snapshot;
    callbacks->end_prepare_snapshots = end_prepare_snapshots;
    callbacks->pre_commit_snapshots = pre_commit_snapshots;
    callbacks->commit_snapshots = commit_snapshots;
    callbacks->post_commit_snapshots = post_commit_snapshots;
    callbacks->pre_final_commit_snapshots = pre_final_commit_snapshots;
    callbacks->post_final_commit_snapshots = post_final_commit_snapshots;
    callbacks->abort_snapshots = abort_snapshots;
    callbacks->snapshot_device = snapshot_device;
    callbacks->delete_snapshot = delete_snapshot;
}
