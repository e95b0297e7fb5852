// What a writer declares in OnIdentify (writer metadata) and what a session
// keeps per selected component. Plain data in UTF-16; the COM objects of
// src/writer fill it and those of src/requester read it.
#pragma once

#include "core/state_machine.h"

#include <vsbackup.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace vssapi::core {

// Who a writer is: what Initialize(Ex) declared plus the instance id the
// library gave it.
struct WriterIdentity {
    GUID class_id{};
    GUID instance_id{};
    std::u16string name;
    std::u16string instance_name;
    VSS_USAGE_TYPE usage = VSS_UT_UNDEFINED;
    VSS_SOURCE_TYPE source = VSS_ST_UNDEFINED;
    VSS_APPLICATION_LEVEL level = VSS_APP_FRONT_END;
    DWORD version_major = 0;
    DWORD version_minor = 0;
    DWORD freeze_timeout_ms = 60000;
};

struct FileSpec {
    std::u16string path;
    std::u16string filespec;
    bool recursive = false;
    std::u16string alternate_location;
    DWORD backup_type_mask = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED;
};

struct Dependency {
    GUID writer_id{};
    std::u16string logical_path;
    std::u16string component_name;
};

struct ComponentDecl {
    VSS_COMPONENT_TYPE type = VSS_CT_UNDEFINED;
    std::u16string logical_path;
    std::u16string name;
    std::u16string caption;
    std::vector<std::uint8_t> icon;
    bool restore_metadata = false;
    bool notify_on_backup_complete = false;
    bool selectable = false;
    bool selectable_for_restore = false;
    DWORD flags = 0;
    std::vector<FileSpec> files;     // file group members
    std::vector<FileSpec> databases; // database files
    std::vector<FileSpec> logs;      // database log files
    std::vector<Dependency> dependencies;
};

struct WriterMetadata {
    std::vector<FileSpec> include_files;
    std::vector<FileSpec> exclude_files;
    std::vector<FileSpec> exclude_from_snapshot;
    std::vector<ComponentDecl> components;
    VSS_RESTOREMETHOD_ENUM restore_method = VSS_RME_UNDEFINED;
    std::u16string restore_service;
    std::u16string restore_user_procedure;
    VSS_WRITERRESTORE_ENUM writer_restore = VSS_WRE_UNDEFINED;
    bool reboot_required = false;
    std::vector<FileSpec> alternate_mappings;
    DWORD backup_schema = 0;
};

// A component failure set with IVssComponentEx2::SetFailure (C-2.7).
struct ComponentFailure {
    bool set = false;
    HRESULT hr = S_OK;
    HRESULT hr_application = S_OK;
    std::u16string message;
};

// A component the requester selected, with what both sides wrote on it.
struct SelectedComponent {
    VSS_COMPONENT_TYPE type = VSS_CT_UNDEFINED;
    std::u16string logical_path;
    std::u16string name;
    bool backup_succeeded = false;
    std::u16string backup_options;
    std::u16string previous_backup_stamp;
    std::u16string backup_metadata;
    bool backup_metadata_set = false;
    std::u16string backup_stamp;
    std::u16string prepare_for_backup_failure_msg;
    std::u16string post_snapshot_failure_msg;
    std::u16string pre_restore_failure_msg;
    std::u16string post_restore_failure_msg;
    struct PartialFile {
        std::u16string path, filename, ranges, metadata;
        std::u16string ranges_file; // SetRangesFilePath, in a restore
    };
    std::vector<PartialFile> partial_files;
    struct DifferencedFile {
        std::u16string path, filespec;
        bool recursive = false;
        std::u16string lsn;
        FILETIME last_modify{};
    };
    std::vector<DifferencedFile> differenced_files;
    ComponentFailure failure;
    // What the writer sets in OnPreRestore (IVssComponent restore setters).
    std::u16string restore_metadata;
    bool restore_metadata_set = false;
    VSS_RESTORE_TARGET restore_target = VSS_RT_UNDEFINED;
    struct DirectedTarget {
        std::u16string source_path, source_filename, source_ranges;
        std::u16string destination_path, destination_filename, destination_ranges;
    };
    std::vector<DirectedTarget> directed_targets;
    // What a restore requester decides (C-8.6); the writer reads it in
    // OnPreRestore and OnPostRestore.
    bool selected_for_restore = false;
    bool additional_restores = false;
    std::u16string restore_options;
    struct Subcomponent {
        std::u16string logical_path, name;
        bool repair = false;
    };
    std::vector<Subcomponent> restore_subcomponents;
    std::vector<FileSpec> new_targets;        // AddNewTarget: path, filespec, recursive, alternate_location
    std::vector<FileSpec> alternate_mappings; // AddAlternativeLocationMapping: the same fields
    VSS_FILE_RESTORE_STATUS file_restore_status = VSS_RS_UNDEFINED;
    bool authoritative_restore = false;
    VSS_ROLLFORWARD_TYPE roll_forward = VSS_RF_UNDEFINED;
    std::u16string roll_forward_point;
    std::u16string restore_name;
};

// The components one writer has in one session (its part of the Backup
// Components Document). Writer handlers and the requester reach it from
// different threads, so every access holds `lock`.
struct ComponentStore {
    std::mutex lock;
    GUID writer_class_id{};
    GUID writer_instance_id{};
    std::vector<SelectedComponent> components;
};

// The Backup Components Document as SaveAsXML writes it and
// InitializeForRestore / InitializeForBackup(xml) read it (C-8.1, C-8.2).
struct BackupDocument {
    bool select_components = false;
    bool bootable_system_state = false;
    VSS_BACKUP_TYPE backup_type = VSS_BT_FULL;
    bool partial_file_support = false;
    LONG context = VSS_CTX_BACKUP;
    GUID snapshot_set_id{};
    struct Writer {
        GUID class_id{};
        GUID instance_id{};
        std::vector<SelectedComponent> components;
    };
    std::vector<Writer> writers;
};

// Who is looking at a component and when: the SDK allows most setters only
// to the writer, and some only in one handler (vss-facts 5.2).
struct ComponentAccess {
    enum class Side { Writer, Requester };
    Side side = Side::Requester;
    Event event = Event::Identify; // the running handler's event (writer side)
    bool restore = false;          // the session is a restore
};

} // namespace vssapi::core
