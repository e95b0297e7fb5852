/* C glue between the flat C API and the Go handlers: the callback table the
 * library calls, whose trampolines forward to one exported Go function. */
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

#endif
