/* C glue between the flat C API and the Go handlers: the callback tables the
 * library calls (writers, providers, the retry helper), whose trampolines
 * forward to one exported Go function each. */
#ifndef VSSAPI_GO_SHIM_H
#define VSSAPI_GO_SHIM_H

#include <stdint.h>
#include <vssapi/vssapi.h>

enum vssgo_event {
    VSSGO_IDENTIFY = 0,
    VSSGO_PREPARE_BACKUP,
    VSSGO_PREPARE_SNAPSHOT,
    VSSGO_FREEZE,
    VSSGO_THAW,
    VSSGO_ABORT,
    VSSGO_POST_SNAPSHOT,
    VSSGO_BACKUP_COMPLETE,
    VSSGO_BACKUP_SHUTDOWN,
    VSSGO_PRE_RESTORE,
    VSSGO_POST_RESTORE
};

/* vss_writer_create with every handler routed to the Go writer whose
 * runtime/cgo.Handle is `user`. */
vss_hresult vssgo_writer_create(vss_coordinator *coordinator, const vss_guid *class_id, const char *name,
                                const char *instance_name, int32_t usage, int32_t source, int32_t level,
                                uint32_t freeze_timeout_ms, uint32_t version_major, uint32_t version_minor,
                                uintptr_t user, vss_writer **out);

/* The steps of a provider (vss_provider_callbacks), as vssgoProviderStep gets them. */
enum vssgo_provider_step {
    VSSGO_IS_VOLUME_SUPPORTED = 0,
    VSSGO_PREPARE_FOR_SNAPSHOT,
    VSSGO_END_PREPARE_SNAPSHOTS,
    VSSGO_PRE_COMMIT_SNAPSHOTS,
    VSSGO_COMMIT_SNAPSHOTS,
    VSSGO_POST_COMMIT_SNAPSHOTS,
    VSSGO_PRE_FINAL_COMMIT_SNAPSHOTS,
    VSSGO_POST_FINAL_COMMIT_SNAPSHOTS,
    VSSGO_ABORT_SNAPSHOTS,
    VSSGO_SNAPSHOT_DEVICE,
    VSSGO_DELETE_SNAPSHOT
};

/* vss_coordinator_register_provider with every step routed to the Go provider
 * whose runtime/cgo.Handle is `user`; is_volume_supported only when
 * check_volumes is not 0 (else the library's own check: a folder that exists). */
vss_hresult vssgo_provider_register(vss_coordinator *coordinator, const vss_guid *id, const char *name,
                                    const char *version, int32_t check_volumes, uintptr_t user);

/* The `user` of the provider step running on this thread, 0 if none. */
uintptr_t vssgo_provider_running(void);

/* The VSS_PROVIDER_*_ID values, in this order: simulated, live, copy, btrfs, reflink, fsfreeze. */
#define VSSGO_PROVIDER_IDS 6
void vssgo_provider_ids(vss_guid out[VSSGO_PROVIDER_IDS]);

/* vss_retry_run with its attempt (and, if with_report is not 0, its report)
 * routed to the Go run whose runtime/cgo.Handle is `user`. */
vss_hresult vssgo_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy, int32_t with_report,
                            uintptr_t user);

#endif
