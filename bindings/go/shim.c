#include "shim.h"

#include "_cgo_export.h"

/* Each trampoline passes its event and argument to vssgoDispatch (writer.go). */
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
