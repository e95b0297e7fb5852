/*
 * vssapi/vssapi.h - the flat C API, made for FFI (Python, Rust, Node, Go, C#).
 *
 * The same objects as the COM interfaces of <vsbackup.h> and <vswriter.h>,
 * without their traps for other languages:
 *   - strings are UTF-8 `const char *` (invalid UTF-16 becomes U+FFFD);
 *   - GUIDs travel by pointer, never by value;
 *   - booleans are int32_t (0 false, anything else true);
 *   - structs that may grow start with a `size` field (see "Structs that grow" below);
 *   - memory the library allocates is freed with vss_free (or the typed
 *     *_clear / *_release functions named next to it);
 *   - every function returns an HRESULT (vss_hresult); on failure a readable
 *     message for this thread is left in vss_last_error_message().
 * Each handle is the same reference-counted object the COM layer uses.
 *
 * Structs that grow (libgit2's version-check model). Every struct with a `size`
 * field has the size of its first published layout here, VSS_<NAME>_SIZE_V1 (the
 * 1.0 layouts). A caller sets `size` to sizeof the struct it was compiled with; the
 * library accepts any size from VSS_<NAME>_SIZE_V1 up to its own sizeof, and reads
 * and writes only the fields that size holds (a field is held when it ends at or
 * before `size`); fields the caller's struct lacks take their defaults. A size below
 * the first layout or above the library's own is refused with E_INVALIDARG and
 * nothing is read or changed. Later layouts only append fields, and a new field
 * starts at or after the previous layout's SIZE (never in its tail padding). The
 * library fills vss_retry_attempt itself and sets its size to its own sizeof: read
 * only the fields your size holds.
 *
 * Include it alone: it needs nothing but <stdint.h>.
 */
#ifndef VSSAPI_FLAT_H
#define VSSAPI_FLAT_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"

/* The ABI version of this header; vss_abi_version() returns the library's. */
#define VSSAPI_ABI_VERSION 1

/* For the VSS_*_SIZE_V1 values: the end of a layout's last field, rounded up to the
 * layout's alignment (that of its widest member type, named with each value). */
#if defined(__cplusplus)
#define VSS_ALIGNOF_(type) alignof(type)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define VSS_ALIGNOF_(type) _Alignof(type)
#elif defined(_MSC_VER)
#define VSS_ALIGNOF_(type) __alignof(type)
#else
#define VSS_ALIGNOF_(type) offsetof(struct { char c_; type m_; }, m_)
#endif
#define VSS_MAX_(a, b) ((a) > (b) ? (a) : (b))
#define VSS_LAYOUT_SIZE_(type, last, align)                                                         \
    ((offsetof(type, last) + sizeof(((type *)0)->last) + (align) - 1) / (align) * (align))

#if defined(_WIN32) && !defined(_WIN64)
#define VSS_CALL __stdcall
#else
#define VSS_CALL
#endif

VSSAPI_BEGIN_DECLS

typedef int32_t vss_hresult;

/* The layout of a Windows GUID (16 bytes, Data1 little-endian on every platform here). */
typedef struct vss_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
} vss_guid;

typedef struct vss_coordinator vss_coordinator; /* the embedded VSS service */
typedef struct vss_requester vss_requester;     /* one IVssBackupComponents session */
typedef struct vss_writer vss_writer;           /* one writer instance */
typedef struct vss_async vss_async;             /* one IVssAsync */
typedef struct vss_metadata vss_metadata;       /* IVssCreateWriterMetadataEx, in on_identify */
typedef struct vss_components vss_components;   /* IVssWriterComponents, in component handlers */

/* ---- library --------------------------------------------------------- */

VSSAPI_EXPORT const char *VSS_CALL vss_version(void) VSSAPI_NOTHROW;          /* meson.build's version, "0.1.0" */
VSSAPI_EXPORT int32_t VSS_CALL vss_abi_version(void) VSSAPI_NOTHROW;          /* VSSAPI_ABI_VERSION */
/* This thread's message about its last failed call ("" if none); valid until its next failed call. */
VSSAPI_EXPORT const char *VSS_CALL vss_last_error_message(void) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_free(void *memory) VSSAPI_NOTHROW;

/* HRESULT helpers (contract C-7): the symbolic name ("VSS_E_WRITERERROR_RETRYABLE"; for an
 * unknown code "0x12345678"), a one-line meaning, and the retry class. Every string returned
 * stays valid and unchanged for the life of the process, on any thread: known names and
 * meanings are static; the first 1024 distinct unknown codes get an interned "0x..." name,
 * later ones the static name "unknown" (bounded memory). */
VSSAPI_EXPORT const char *VSS_CALL vss_hresult_name(vss_hresult hr) VSSAPI_NOTHROW;
VSSAPI_EXPORT const char *VSS_CALL vss_hresult_meaning(vss_hresult hr) VSSAPI_NOTHROW;
VSSAPI_EXPORT const char *VSS_CALL vss_writer_state_name(int32_t state) VSSAPI_NOTHROW;
/* What vss_is_retryable answers (and vss_retry_attempt.retry_class holds). Passed as int32_t:
 * C leaves an enum's size to the compiler. */
typedef enum vss_retry_class {
    VSS_RETRY_NO = 0,             /* do not retry */
    VSS_RETRY_AFTER_WAIT = 1,     /* retry after the long wait (writer and commit codes of C-7.1) */
    VSS_RETRY_SHORT_BACK_OFF = 2  /* retry on the short back-off (VSS_E_SNAPSHOT_SET_IN_PROGRESS) */
} vss_retry_class;

/* One of vss_retry_class. */
VSSAPI_EXPORT int32_t VSS_CALL vss_is_retryable(vss_hresult hr) VSSAPI_NOTHROW;

/* ---- coordinator ----------------------------------------------------- */

typedef struct vss_coordinator_options {
    uint32_t size;              /* sizeof(vss_coordinator_options), set by the caller (VSS_*_SIZE_V1 up to it) */
    uint32_t workers;           /* handler threads; 0: two per core, at least 4 */
    uint32_t event_timeout_ms;  /* 0: 600,000 (C-4.4) */
    uint32_t commit_window_ms;  /* 0: 10,000 (C-5.2) */
    uint32_t session_limit;     /* 0: 64 (C-4.7) */
    int32_t virtual_clock;      /* one of vss_clock_kind */
} vss_coordinator_options;
/* The 1.0 layout's size: accepted as options->size (see "Structs that grow"). */
#define VSS_COORDINATOR_OPTIONS_SIZE_V1 VSS_LAYOUT_SIZE_(vss_coordinator_options, virtual_clock, VSS_ALIGNOF_(uint32_t))

/* The clock every timeout of a coordinator goes through (contract C-4.5). */
typedef enum vss_clock_kind {
    VSS_CLOCK_REAL = 0,      /* steady real time */
    VSS_CLOCK_MANUAL = 1,    /* virtual; moves only with vss_coordinator_advance_clock */
    VSS_CLOCK_SIMULATED = 2  /* virtual; jumps to the next deadline once all the library's work waits on it,
                              * so a 10-minute timeout passes at once and every run gives the same times */
} vss_clock_kind;

/* The process's default coordinator (one more reference). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_default(vss_coordinator **out) VSSAPI_NOTHROW;
/* A new, isolated coordinator; options may be NULL for the defaults. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_create(const vss_coordinator_options *options,
                                                          vss_coordinator **out) VSSAPI_NOTHROW;
/* Moves a VSS_CLOCK_MANUAL clock on; VSS_E_BAD_STATE for a real or simulated one. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_advance_clock(vss_coordinator *coordinator,
                                                                 uint64_t milliseconds) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_coordinator_release(vss_coordinator *coordinator) VSSAPI_NOTHROW;

/* ---- writer ---------------------------------------------------------- */

typedef struct vss_writer_info {
    uint32_t size;             /* sizeof(vss_writer_info), set by the caller (VSS_*_SIZE_V1 up to it) */
    const vss_guid *class_id;  /* required */
    const char *name;          /* required, UTF-8 */
    const char *instance_name; /* may be NULL */
    int32_t usage;             /* VSS_USAGE_TYPE */
    int32_t source;            /* VSS_SOURCE_TYPE */
    int32_t level;             /* VSS_APPLICATION_LEVEL; 0: front end */
    uint32_t freeze_timeout_ms; /* 0: 60,000 */
    uint32_t version_major;
    uint32_t version_minor;
} vss_writer_info;
#define VSS_WRITER_INFO_SIZE_V1 VSS_LAYOUT_SIZE_(vss_writer_info, version_minor, VSS_ALIGNOF_(const char *))

/* What a handler returns: 1 true, 0 false (a veto), negative: it failed unexpectedly. */
typedef int32_t(VSS_CALL *vss_handler)(void *user, vss_writer *writer);
typedef int32_t(VSS_CALL *vss_components_handler)(void *user, vss_writer *writer, vss_components *components);

/* NULL handlers return true. components may be NULL (requester not in component mode). */
typedef struct vss_writer_callbacks {
    uint32_t size; /* sizeof(vss_writer_callbacks), set by the caller (VSS_*_SIZE_V1 up to it) */
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
} vss_writer_callbacks;
#define VSS_WRITER_CALLBACKS_SIZE_V1 VSS_LAYOUT_SIZE_(vss_writer_callbacks, on_post_restore, VSS_ALIGNOF_(vss_handler))

/* coordinator NULL: the default one. The callbacks are copied; user is passed back. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_create(vss_coordinator *coordinator, const vss_writer_info *info,
                                                     const vss_writer_callbacks *callbacks, void *user,
                                                     vss_writer **out) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_subscribe(vss_writer *writer) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_unsubscribe(vss_writer *writer) VSSAPI_NOTHROW;
/* Stops the writer (no handler runs after it returns) and drops the reference. Not from
 * inside one of its own handlers: that is reported as a caller bug and does nothing. */
VSSAPI_EXPORT void VSS_CALL vss_writer_release(vss_writer *writer) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_instance_id(vss_writer *writer, vss_guid *out) VSSAPI_NOTHROW;

/* Inside a handler, on its thread (C-2.3). message may be NULL. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_set_failure_ex(vss_writer *writer, vss_hresult hr_writer,
                                                             vss_hresult hr_application,
                                                             const char *message) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_set_failure(vss_writer *writer, vss_hresult hr_writer) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_writer_session_id(vss_writer *writer, vss_guid *out) VSSAPI_NOTHROW;

/* In on_identify: declare components and files (IVssCreateWriterMetadata). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_component(vss_metadata *metadata, int32_t type,
                                                              const char *logical_path, const char *name,
                                                              const char *caption,
                                                              int32_t selectable) VSSAPI_NOTHROW;
/* What vss_metadata_add_files declares (its int32_t kind is one of these). */
typedef enum vss_file_kind {
    VSS_FILES_FILE_GROUP = 0,   /* AddFilesToFileGroup */
    VSS_FILES_DATABASE = 1,     /* AddDatabaseFiles */
    VSS_FILES_DATABASE_LOG = 2  /* AddDatabaseLogFiles; recursive is ignored for databases and logs */
} vss_file_kind;

/* kind: one of vss_file_kind; anything else is E_INVALIDARG. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_files(vss_metadata *metadata, int32_t kind,
                                                          const char *logical_path, const char *component_name,
                                                          const char *path, const char *filespec,
                                                          int32_t recursive) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_include_files(vss_metadata *metadata, const char *path,
                                                                  const char *filespec,
                                                                  int32_t recursive) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_metadata_add_exclude_files(vss_metadata *metadata, const char *path,
                                                                  const char *filespec,
                                                                  int32_t recursive) VSSAPI_NOTHROW;

/* In component handlers: the session's components of this writer. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_count(vss_components *components, uint32_t *count) VSSAPI_NOTHROW;
/* *logical_path and *name are allocated (vss_free); either pointer may be NULL. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_get(vss_components *components, uint32_t index,
                                                      char **logical_path, char **name) VSSAPI_NOTHROW;
/* IVssComponentEx2::SetFailure on one component (C-2.7). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_set_failure(vss_components *components, uint32_t index,
                                                              vss_hresult hr, vss_hresult hr_application,
                                                              const char *message) VSSAPI_NOTHROW;

/* ---- requester ------------------------------------------------------- */

/* The asynchronous steps of a backup. */
typedef enum vss_step {
    VSS_STEP_GATHER_WRITER_METADATA = 0,
    VSS_STEP_PREPARE_FOR_BACKUP = 1,
    VSS_STEP_DO_SNAPSHOT_SET = 2,
    VSS_STEP_BACKUP_COMPLETE = 3,
    VSS_STEP_GATHER_WRITER_STATUS = 4,
    /* Added in 1.1: the restore (contract C-3.2). */
    VSS_STEP_PRE_RESTORE = 5,
    VSS_STEP_POST_RESTORE = 6
} vss_step;

/* coordinator NULL: the default one. Release sends OnBackupShutdown. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_create(vss_coordinator *coordinator,
                                                        vss_requester **out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_requester_release(vss_requester *requester) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_session_id(vss_requester *requester, vss_guid *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_initialize_for_backup(vss_requester *requester) VSSAPI_NOTHROW;
/* A VSS_CTX_* value, alone or OR-ed with the VSS_VOLSNAP_ATTR_* bits a requester may add (C-5.3);
 * VSS_E_UNSUPPORTED_CONTEXT for bits the provider cannot honour (TRANSPORTABLE, PLEX). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_context(vss_requester *requester, int32_t context) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_backup_state(vss_requester *requester,
                                                                  int32_t select_components,
                                                                  int32_t bootable_system_state,
                                                                  int32_t backup_type,
                                                                  int32_t partial_file_support) VSSAPI_NOTHROW;

/* Blocking: runs the step and returns its result: S_OK when it finished, VSS_S_ASYNC_CANCELLED
 * (a success code) when it was cancelled, else its failure. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_run(vss_requester *requester, vss_step step) VSSAPI_NOTHROW;
/* Non-blocking: the same step as an async handle. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_start(vss_requester *requester, vss_step step,
                                                       vss_async **out) VSSAPI_NOTHROW;
/* S_OK when the step finished or the time ran out (then ask vss_async_status). The time is the
 * coordinator's clock: on a virtual clock a finite wait ends only when the clock is advanced. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_wait(vss_async *async, uint32_t milliseconds) VSSAPI_NOTHROW;
/* *status: VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED or the failure. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_status(vss_async *async, vss_hresult *status) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_async_cancel(vss_async *async) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_async_release(vss_async *async) VSSAPI_NOTHROW;

/* Writer metadata, after GatherWriterMetadata. */
typedef struct vss_writer_identity {
    uint32_t size; /* sizeof(vss_writer_identity), set by the caller (VSS_*_SIZE_V1 up to it) */
    vss_guid instance_id;
    vss_guid class_id;
    char *name;          /* allocated; vss_writer_identity_clear frees */
    char *instance_name; /* allocated or NULL */
    int32_t usage;
    int32_t source;
    uint32_t component_count;
} vss_writer_identity;
#define VSS_WRITER_IDENTITY_SIZE_V1 VSS_LAYOUT_SIZE_(vss_writer_identity, component_count, VSS_ALIGNOF_(char *))

typedef struct vss_component_info {
    uint32_t size; /* sizeof(vss_component_info), set by the caller (VSS_*_SIZE_V1 up to it) */
    int32_t type;  /* VSS_COMPONENT_TYPE */
    char *logical_path; /* allocated or NULL */
    char *name;         /* allocated */
    char *caption;      /* allocated or NULL */
    int32_t selectable;
    uint32_t file_count;
    uint32_t database_count;
    uint32_t log_count;
} vss_component_info;
#define VSS_COMPONENT_INFO_SIZE_V1 VSS_LAYOUT_SIZE_(vss_component_info, log_count, VSS_ALIGNOF_(char *))

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_count(vss_requester *requester, uint32_t *count) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_identity(vss_requester *requester, uint32_t index,
                                                                 vss_writer_identity *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_writer_identity_clear(vss_writer_identity *identity) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_writer_component(vss_requester *requester, uint32_t writer_index,
                                                                  uint32_t component_index,
                                                                  vss_component_info *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_component_info_clear(vss_component_info *info) VSSAPI_NOTHROW;

/* Component selection (AddComponent); logical_path may be NULL. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_component(vss_requester *requester,
                                                               const vss_guid *instance_id,
                                                               const vss_guid *class_id, int32_t type,
                                                               const char *logical_path,
                                                               const char *name) VSSAPI_NOTHROW;
/* Component mode's selection, the same as vssctl's (the SDK's rule for requesters): for every
 * writer listed by GatherWriterMetadata, every selectable component, and every non-selectable
 * component with no selectable ancestor (by logical path). A non-selectable component under a
 * selectable one is included implicitly with it and is not added. Already added: fine. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_all_components(vss_requester *requester) VSSAPI_NOTHROW;

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_start_snapshot_set(vss_requester *requester,
                                                                    vss_guid *snapshot_set_id) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_to_snapshot_set(vss_requester *requester, const char *volume,
                                                                     vss_guid *snapshot_id) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_abort(vss_requester *requester) VSSAPI_NOTHROW;

/* Writer status with the Ex fields, after GatherWriterStatus (C-3.9). */
typedef struct vss_writer_status {
    uint32_t size; /* sizeof(vss_writer_status), set by the caller (VSS_*_SIZE_V1 up to it) */
    vss_guid instance_id;
    vss_guid class_id;
    char *name;  /* allocated */
    int32_t state; /* VSS_WRITER_STATE */
    vss_hresult hr_failure_writer;
    vss_hresult hr_application;
    char *message; /* allocated, or NULL when the writer gave none */
} vss_writer_status;
#define VSS_WRITER_STATUS_SIZE_V1 VSS_LAYOUT_SIZE_(vss_writer_status, message, VSS_ALIGNOF_(char *))

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_status_count(vss_requester *requester, uint32_t *count) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_status(vss_requester *requester, uint32_t index,
                                                        vss_writer_status *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_writer_status_clear(vss_writer_status *status) VSSAPI_NOTHROW;

/* Component failures (IVssComponentEx2::GetFailure) of the writers with selected components. */
typedef struct vss_component_failure {
    uint32_t size; /* sizeof(vss_component_failure), set by the caller (VSS_*_SIZE_V1 up to it) */
    vss_guid instance_id;
    vss_guid class_id;
    char *logical_path; /* allocated or NULL */
    char *name;         /* allocated */
    vss_hresult hr;     /* S_OK: the component did not fail */
    vss_hresult hr_application;
    char *message;      /* allocated or NULL */
} vss_component_failure;
#define VSS_COMPONENT_FAILURE_SIZE_V1 VSS_LAYOUT_SIZE_(vss_component_failure, message, VSS_ALIGNOF_(char *))

/* Counts every selected component of every writer, in order. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_component_count(vss_requester *requester,
                                                                 uint32_t *count) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_component_failure(vss_requester *requester, uint32_t index,
                                                                   vss_component_failure *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_component_failure_clear(vss_component_failure *failure) VSSAPI_NOTHROW;

typedef struct vss_snapshot_props {
    uint32_t size; /* sizeof(vss_snapshot_props), set by the caller (VSS_*_SIZE_V1 up to it) */
    vss_guid snapshot_id;
    vss_guid snapshot_set_id;
    vss_guid provider_id;
    int32_t snapshots_in_set;
    char *original_volume; /* allocated */
    char *device_name;     /* allocated */
    int32_t attributes;
    int64_t creation_time; /* FILETIME units */
} vss_snapshot_props;
#define VSS_SNAPSHOT_PROPS_SIZE_V1                                                                   \
    VSS_LAYOUT_SIZE_(vss_snapshot_props, creation_time, VSS_MAX_(VSS_ALIGNOF_(char *), VSS_ALIGNOF_(int64_t)))

VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_snapshot_props(vss_requester *requester,
                                                                const vss_guid *snapshot_id,
                                                                vss_snapshot_props *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_snapshot_props_clear(vss_snapshot_props *props) VSSAPI_NOTHROW;

/* ---- snapshot providers (contract C-5.4 to C-5.6), 1.1 ----
 * Every coordinator has the simulated provider (its default: device names that open nothing)
 * and, made by vss_coordinator_create or for a program, the built-in providers below; a
 * requester chooses one by id, never by a silent fallback. Volumes of the live, copy, btrfs and
 * reflink providers are folders that exist; a snapshot's device_name + separator + a path
 * relative to the volume opens the file (C-5.5). */
#define VSS_PROVIDER_SIMULATED_ID { 0xb5946137, 0x7b9f, 0x4925, { 0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5 } }
#define VSS_PROVIDER_LIVE_ID { 0x6f70656e, 0x7673, 0x4c69, { 0x76, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } }
#define VSS_PROVIDER_COPY_ID { 0x6f70656e, 0x7673, 0x436f, { 0x70, 0x79, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } }
#define VSS_PROVIDER_BTRFS_ID { 0x6f70656e, 0x7673, 0x4274, { 0x72, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } }   /* Linux */
#define VSS_PROVIDER_REFLINK_ID { 0x6f70656e, 0x7673, 0x5266, { 0x6c, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } } /* Linux */
#define VSS_PROVIDER_FSFREEZE_ID { 0x6f70656e, 0x7673, 0x4672, { 0x7a, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } } /* Linux */

/* provider_id NULL or all zero: the coordinator's default. VSS_E_PROVIDER_NOT_REGISTERED for an
 * id no provider has; VSS_E_OBJECT_NOT_FOUND for a volume that does not exist;
 * VSS_E_VOLUME_NOT_SUPPORTED for one the provider cannot snapshot. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_add_to_snapshot_set_with(vss_requester *requester,
                                                                          const char *volume,
                                                                          const vss_guid *provider_id,
                                                                          vss_guid *snapshot_id) VSSAPI_NOTHROW;

typedef struct vss_provider_info {
    uint32_t size; /* sizeof(vss_provider_info), set by the caller (VSS_*_SIZE_V1 up to it) */
    vss_guid id;
    char *name;    /* allocated */
    int32_t type;  /* VSS_PROVIDER_TYPE: 2 software */
    char *version; /* allocated */
} vss_provider_info;
#define VSS_PROVIDER_INFO_SIZE_V1 VSS_LAYOUT_SIZE_(vss_provider_info, version, VSS_ALIGNOF_(char *))

/* coordinator NULL: the default one. Index 0 is the default provider. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_provider_count(vss_coordinator *coordinator,
                                                                  uint32_t *count) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_provider(vss_coordinator *coordinator, uint32_t index,
                                                            vss_provider_info *out) VSSAPI_NOTHROW;
VSSAPI_EXPORT void VSS_CALL vss_provider_info_clear(vss_provider_info *info) VSSAPI_NOTHROW;

/* A provider written by the user: the steps of the SDK's IVssProviderCreateSnapshotSet, called
 * in this order for one snapshot set, on a thread of the library, between the writers' last
 * OnFreeze and first OnThaw (DoSnapshotSet is pending meanwhile), all within the commit window
 * (C-5.2): prepare_for_snapshot once per volume, then end_prepare_snapshots, pre_commit_snapshots,
 * commit_snapshots, post_commit_snapshots, pre_final_commit_snapshots,
 * post_final_commit_snapshots, then snapshot_device once per snapshot. A step that fails (any
 * failed vss_hresult; VSS_E_PROVIDER_VETO and VSS_E_UNEXPECTED_PROVIDER_ERROR are the usual)
 * ends the set: abort_snapshots is called and no snapshot is made (C-5.6). delete_snapshot is
 * called for a snapshot that is deleted, released with its requester, or that a commit
 * finished too late made. NULL callbacks are skipped, except commit_snapshots. The library keeps
 * the snapshot records (Query, GetSnapshotProperties). */
typedef struct vss_provider_callbacks {
    uint32_t size; /* sizeof(vss_provider_callbacks), set by the caller (VSS_*_SIZE_V1 up to it) */
    vss_guid id;          /* not all zero, not a registered provider's */
    const char *name;     /* copied */
    const char *version;  /* copied; NULL: "1.0" */
    /* S_OK, VSS_E_OBJECT_NOT_FOUND or VSS_E_VOLUME_NOT_SUPPORTED (C-5.4). NULL: the volume must be
     * a folder that exists. */
    vss_hresult(VSS_CALL *is_volume_supported)(void *user, const char *volume);
    vss_hresult(VSS_CALL *prepare_for_snapshot)(void *user, const vss_guid *snapshot_set_id,
                                                const vss_guid *snapshot_id, const char *volume);
    vss_hresult(VSS_CALL *end_prepare_snapshots)(void *user, const vss_guid *snapshot_set_id);
    vss_hresult(VSS_CALL *pre_commit_snapshots)(void *user, const vss_guid *snapshot_set_id);
    vss_hresult(VSS_CALL *commit_snapshots)(void *user, const vss_guid *snapshot_set_id);
    vss_hresult(VSS_CALL *post_commit_snapshots)(void *user, const vss_guid *snapshot_set_id, int32_t count);
    vss_hresult(VSS_CALL *pre_final_commit_snapshots)(void *user, const vss_guid *snapshot_set_id);
    vss_hresult(VSS_CALL *post_final_commit_snapshots)(void *user, const vss_guid *snapshot_set_id);
    vss_hresult(VSS_CALL *abort_snapshots)(void *user, const vss_guid *snapshot_set_id);
    /* Writes the snapshot's device path (UTF-8, NUL-terminated) into buffer; S_OK, or
     * E_NOT_SUFFICIENT_BUFFER-style failures end the set. */
    vss_hresult(VSS_CALL *snapshot_device)(void *user, const vss_guid *snapshot_id, char *buffer, uint32_t size);
    vss_hresult(VSS_CALL *delete_snapshot)(void *user, const vss_guid *snapshot_id);
} vss_provider_callbacks;
#define VSS_PROVIDER_CALLBACKS_SIZE_V1                                                               \
    VSS_LAYOUT_SIZE_(vss_provider_callbacks, delete_snapshot, VSS_ALIGNOF_(const char *))

/* coordinator NULL: the default one. The callbacks are copied; user is passed back to each.
 * E_INVALIDARG for a missing id or commit_snapshots; VSS_E_PROVIDER_ALREADY_REGISTERED. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_register_provider(vss_coordinator *coordinator,
                                                                     const vss_provider_callbacks *callbacks,
                                                                     void *user) VSSAPI_NOTHROW;
/* No callback runs after it returns. VSS_E_PROVIDER_IN_USE for the default provider. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_unregister_provider(vss_coordinator *coordinator,
                                                                       const vss_guid *id) VSSAPI_NOTHROW;

/* A provider written in C++ against vsprov.h: `provider` is its IUnknown *, an object that
 * implements IVssSoftwareSnapshotProvider and IVssProviderCreateSnapshotSet (E_NOINTERFACE
 * otherwise) and may implement IVssProviderNotifications. info names it (id not all zero,
 * name, version; type VSS_PROV_SOFTWARE); the object is held (AddRef) until
 * vss_coordinator_unregister_provider or the coordinator's release, told OnLoad(NULL) now and
 * OnUnload(TRUE) then. The coordinator calls SetContext, BeginPrepareSnapshot per volume, the
 * seven steps of IVssProviderCreateSnapshotSet in order (AbortSnapshots when one fails),
 * GetSnapshotProperties for each snapshot's m_pwszSnapshotDeviceObject (strings from
 * CoTaskMemAlloc, freed by the library), IsVolumeSupported and DeleteSnapshots; never the
 * others. VSS_E_PROVIDER_ALREADY_REGISTERED for an id in use. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_register_com_provider(vss_coordinator *coordinator,
                                                                         const vss_provider_info *info,
                                                                         void *provider) VSSAPI_NOTHROW;

/* ---- the Backup Components Document and the restore (contract C-8), 1.1 ---- */

/* SaveAsXML: the document as UTF-8 XML (vss_free), from PrepareForBackup's end on. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_save_document(vss_requester *requester, char **xml) VSSAPI_NOTHROW;
/* InitializeForRestore with a saved document; then GATHER_WRITER_METADATA, the
 * selection below, PRE_RESTORE, vss_requester_set_file_restore_status, POST_RESTORE.
 * A document that cannot be read: VSS_E_INVALID_XML_DOCUMENT, nothing changed. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_initialize_for_restore(vss_requester *requester,
                                                                        const char *xml) VSSAPI_NOTHROW;
/* InitializeForBackup with a saved document: the backup resumes its components. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_resume_backup(vss_requester *requester,
                                                               const char *xml) VSSAPI_NOTHROW;
/* restore_type: a VSS_RESTORE_TYPE (1 by copy, 2 import, 3 other). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_restore_state(vss_requester *requester,
                                                                   int32_t restore_type) VSSAPI_NOTHROW;
/* The component of the document a call names: its writer's class, its type
 * (VSS_CT_DATABASE 1, VSS_CT_FILEGROUP 2), logical path (NULL or "" for none)
 * and name. Unknown: VSS_E_OBJECT_NOT_FOUND; outside a restore or after
 * PRE_RESTORE: VSS_E_BAD_STATE (C-8.6). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_select_for_restore(vss_requester *requester,
                                                                    const vss_guid *writer_class, int32_t type,
                                                                    const char *logical_path, const char *name,
                                                                    int32_t selected) VSSAPI_NOTHROW;
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_restore_options(vss_requester *requester,
                                                                     const vss_guid *writer_class, int32_t type,
                                                                     const char *logical_path, const char *name,
                                                                     const char *options) VSSAPI_NOTHROW;
/* Between PRE_RESTORE and POST_RESTORE; status: VSS_RS_NONE 1, VSS_RS_ALL 2, VSS_RS_FAILED 3. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_requester_set_file_restore_status(vss_requester *requester,
                                                                         const vss_guid *writer_class, int32_t type,
                                                                         const char *logical_path, const char *name,
                                                                         int32_t status) VSSAPI_NOTHROW;

/* In component handlers: the texts of one component (IVssComponent). */
typedef enum vss_component_text {
    VSS_TEXT_BACKUP_METADATA = 0,          /* set in backup handlers, once; read in the restore */
    VSS_TEXT_BACKUP_STAMP = 1,             /* set in backup handlers */
    VSS_TEXT_PREVIOUS_BACKUP_STAMP = 2,    /* read only: what the requester set */
    VSS_TEXT_BACKUP_OPTIONS = 3,           /* read only */
    VSS_TEXT_RESTORE_OPTIONS = 4,          /* read only */
    VSS_TEXT_RESTORE_METADATA = 5,         /* set in OnPreRestore, once */
    VSS_TEXT_PRE_RESTORE_FAILURE_MSG = 6,  /* set in restore handlers */
    VSS_TEXT_POST_RESTORE_FAILURE_MSG = 7, /* set in restore handlers */
    VSS_TEXT_PREPARE_FOR_BACKUP_FAILURE_MSG = 8, /* set in OnPrepareBackup */
    VSS_TEXT_POST_SNAPSHOT_FAILURE_MSG = 9       /* set in OnPostSnapshot */
} vss_component_text;
/* *text: the value (vss_free), or NULL with S_FALSE when it was never set. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_get_text(vss_components *components, uint32_t index,
                                                           int32_t which, char **text) VSSAPI_NOTHROW;
/* A read-only text, or a handler that may not set it: VSS_E_BAD_STATE or E_INVALIDARG as the SDK says. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_set_text(vss_components *components, uint32_t index,
                                                           int32_t which, const char *text) VSSAPI_NOTHROW;
/* In OnPreRestore and OnPostRestore: what the requester chose (C-8.2). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_selected_for_restore(vss_components *components, uint32_t index,
                                                                       int32_t *selected) VSSAPI_NOTHROW;
/* In OnPostRestore: VSS_RS_* (0 undefined, 1 none, 2 all, 3 failed). */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_components_file_restore_status(vss_components *components, uint32_t index,
                                                                      int32_t *status) VSSAPI_NOTHROW;

/* ---- retry helper (contract C-7.2) ------------------------------------ */

/* The largest values vss_retry_run accepts; beyond them it returns E_INVALIDARG. */
#define VSS_RETRY_MAX_RETRIES 100u         /* for max_retries and in_progress_max_retries */
#define VSS_RETRY_MAX_WAIT_MS 86400000u    /* 24 hours, for wait_ms and in_progress_wait_ms */

/* Every number is a setting. vss_retry_policy_default fills Microsoft's guidance for the
 * retryable writer and commit codes (at most 3 retries, 10 minutes apart) and, for
 * VSS_E_SNAPSHOT_SET_IN_PROGRESS, its own budget: 5 retries 30 s apart. */
typedef struct vss_retry_policy {
    uint32_t size;                    /* sizeof(vss_retry_policy), set by the caller (VSS_*_SIZE_V1 up to it) */
    uint32_t max_retries;             /* retries after a VSS_RETRY_AFTER_WAIT failure */
    uint64_t wait_ms;                 /* wait before each of them */
    uint32_t in_progress_max_retries; /* retries after VSS_RETRY_SHORT_BACK_OFF */
    uint32_t reserved;                /* 0: the same layout on 32-bit and 64-bit machines */
    uint64_t in_progress_wait_ms;     /* wait before each of them */
} vss_retry_policy;
#define VSS_RETRY_POLICY_SIZE_V1 VSS_LAYOUT_SIZE_(vss_retry_policy, in_progress_wait_ms, VSS_ALIGNOF_(uint64_t))

/* One attempt, reported once its outcome and the wait after it are known (before that wait). */
typedef struct vss_retry_attempt {
    uint32_t size;        /* the library's sizeof(vss_retry_attempt), set by the library */
    uint32_t number;      /* 1 for the first attempt */
    vss_hresult result;   /* what the attempt returned */
    int32_t retry_class;  /* of result: one of vss_retry_class, as vss_is_retryable */
    uint64_t start_ms;    /* the coordinator's clock when the attempt began (real clock: */
    uint64_t end_ms;      /*   only differences mean something; virtual clock: from 0) */
    uint64_t wait_ms;     /* the wait before the next attempt; 0 if none follows */
} vss_retry_attempt;
#define VSS_RETRY_ATTEMPT_SIZE_V1 VSS_LAYOUT_SIZE_(vss_retry_attempt, wait_ms, VSS_ALIGNOF_(uint64_t))

/* One attempt: run the backup on `requester` and return S_OK, or the HRESULT that made the
 * attempt fail: a step's failure (e.g. VSS_E_SNAPSHOT_SET_IN_PROGRESS from StartSnapshotSet),
 * or the hr_failure_writer of a writer it found failed in the writer status (e.g.
 * VSS_E_WRITERERROR_RETRYABLE), since a writer's failure does not fail DoSnapshotSet (C-3.7).
 * The requester is fresh for every attempt and released by the helper right after the
 * callback returns (OnBackupShutdown); do not release it yourself. */
typedef vss_hresult(VSS_CALL *vss_retry_attempt_fn)(void *user, vss_requester *requester, uint32_t attempt);
/* Called once per attempt, the last included; attempt is valid during the call only. */
typedef void(VSS_CALL *vss_retry_report_fn)(void *user, const vss_retry_attempt *attempt);

/* Fills *policy (whose size the caller set) with the defaults above. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_retry_policy_default(vss_retry_policy *policy) VSSAPI_NOTHROW;

/* Runs attempt 1; while it fails with a retryable code (vss_is_retryable) whose budget is not
 * spent, waits that class's wait on the coordinator's clock (a virtual clock waits for
 * vss_coordinator_advance_clock) and runs the next attempt with a FRESH requester made on
 * `coordinator`. The two budgets are counted separately; a success code or a non-retryable
 * failure ends the run at once. Everything runs on the calling thread, which blocks during
 * the waits. Returns the last attempt's result (its message in vss_last_error_message).
 * coordinator NULL: the default one; policy NULL: the defaults; report may be NULL.
 * E_INVALIDARG, with nothing run, for a NULL attempt, a policy->size outside
 * VSS_RETRY_POLICY_SIZE_V1 .. sizeof(vss_retry_policy), more than VSS_RETRY_MAX_RETRIES retries or a wait longer than
 * VSS_RETRY_MAX_WAIT_MS. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy,
                                                 vss_retry_attempt_fn attempt, vss_retry_report_fn report,
                                                 void *user) VSSAPI_NOTHROW;

/* ---- scenarios: mock writers from a JSON file (abi/scenario.schema.json) ---- */

typedef struct vss_scenario vss_scenario; /* the loaded mock writers of one scenario */

/* Loads the scenario file at `path` (UTF-8) into `coordinator` (NULL: the default one): its mock
 * writers subscribe and its provider behaviour applies until vss_scenario_release. A file that
 * cannot be used changes nothing: E_INVALIDARG, and vss_last_error_message() says
 * "file:line:column: what was expected". The file's "service" settings (clock, timeouts) apply
 * where a coordinator is made for the scenario: VSSAPI_SCENARIO=path and vssctl. */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_scenario_load(vss_coordinator *coordinator, const char *path,
                                                     vss_scenario **out) VSSAPI_NOTHROW;
/* The same from JSON text (UTF-8, NUL-terminated); messages name it "<text>". */
VSSAPI_EXPORT vss_hresult VSS_CALL vss_scenario_load_text(vss_coordinator *coordinator, const char *json,
                                                          vss_scenario **out) VSSAPI_NOTHROW;
/* Unsubscribes the mock writers (handlers that never return are let go) and restores the provider. */
VSSAPI_EXPORT void VSS_CALL vss_scenario_release(vss_scenario *scenario) VSSAPI_NOTHROW;

VSSAPI_END_DECLS

#endif /* VSSAPI_FLAT_H */
