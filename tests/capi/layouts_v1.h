// The 1.0 layouts of every sized struct of abi/vssapi/vssapi.h, frozen: a
// program compiled against 1.0 passes exactly these. When a later version
// appends fields to a struct in vssapi.h, these stay as they are, so
// sized_test.cpp keeps proving that 1.0 programs work with the new library.
// Never edit a layout here; add a _v2 copy when a version adds one.
#pragma once

#include <vssapi/vssapi.h>

typedef struct vss_coordinator_options_v1 {
    uint32_t size;
    uint32_t workers;
    uint32_t event_timeout_ms;
    uint32_t commit_window_ms;
    uint32_t session_limit;
    int32_t virtual_clock;
} vss_coordinator_options_v1;

static_assert(sizeof(vss_coordinator_options_v1) == VSS_COORDINATOR_OPTIONS_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_writer_info_v1 {
    uint32_t size;
    const vss_guid *class_id;
    const char *name;
    const char *instance_name;
    int32_t usage;
    int32_t source;
    int32_t level;
    uint32_t freeze_timeout_ms;
    uint32_t version_major;
    uint32_t version_minor;
} vss_writer_info_v1;

static_assert(sizeof(vss_writer_info_v1) == VSS_WRITER_INFO_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_writer_callbacks_v1 {
    uint32_t size;
    int32_t(VSS_CALL *on_identify)(void *user, vss_writer *writer, vss_metadata *metadata);
    vss_components_handler on_prepare_backup;
    vss_handler on_prepare_snapshot;
    vss_handler on_freeze;
    vss_handler on_thaw;
    vss_handler on_abort;
    vss_components_handler on_post_snapshot;
    vss_components_handler on_backup_complete;
    int32_t(VSS_CALL *on_backup_shutdown)(void *user, vss_writer *writer, const vss_guid *snapshot_set_id);
    vss_components_handler on_pre_restore;
    vss_components_handler on_post_restore;
} vss_writer_callbacks_v1;

static_assert(sizeof(vss_writer_callbacks_v1) == VSS_WRITER_CALLBACKS_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_writer_identity_v1 {
    uint32_t size;
    vss_guid instance_id;
    vss_guid class_id;
    char *name;
    char *instance_name;
    int32_t usage;
    int32_t source;
    uint32_t component_count;
} vss_writer_identity_v1;

static_assert(sizeof(vss_writer_identity_v1) == VSS_WRITER_IDENTITY_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_component_info_v1 {
    uint32_t size;
    int32_t type;
    char *logical_path;
    char *name;
    char *caption;
    int32_t selectable;
    uint32_t file_count;
    uint32_t database_count;
    uint32_t log_count;
} vss_component_info_v1;

static_assert(sizeof(vss_component_info_v1) == VSS_COMPONENT_INFO_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_writer_status_v1 {
    uint32_t size;
    vss_guid instance_id;
    vss_guid class_id;
    char *name;
    int32_t state;
    vss_hresult hr_failure_writer;
    vss_hresult hr_application;
    char *message;
} vss_writer_status_v1;

static_assert(sizeof(vss_writer_status_v1) == VSS_WRITER_STATUS_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_component_failure_v1 {
    uint32_t size;
    vss_guid instance_id;
    vss_guid class_id;
    char *logical_path;
    char *name;
    vss_hresult hr;
    vss_hresult hr_application;
    char *message;
} vss_component_failure_v1;

static_assert(sizeof(vss_component_failure_v1) == VSS_COMPONENT_FAILURE_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_snapshot_props_v1 {
    uint32_t size;
    vss_guid snapshot_id;
    vss_guid snapshot_set_id;
    vss_guid provider_id;
    int32_t snapshots_in_set;
    char *original_volume;
    char *device_name;
    int32_t attributes;
    int64_t creation_time;
} vss_snapshot_props_v1;

static_assert(sizeof(vss_snapshot_props_v1) == VSS_SNAPSHOT_PROPS_SIZE_V1, "the frozen copy is the first layout");

typedef struct vss_retry_policy_v1 {
    uint32_t size;
    uint32_t max_retries;
    uint64_t wait_ms;
    uint32_t in_progress_max_retries;
    uint32_t reserved;
    uint64_t in_progress_wait_ms;
} vss_retry_policy_v1;

static_assert(sizeof(vss_retry_policy_v1) == VSS_RETRY_POLICY_SIZE_V1, "the frozen copy is the first layout");
