// One requester session: the life of one IVssBackupComponents object, step
// by step (contract C-3). A reader can follow a backup here event by event:
// gather_metadata → prepare_for_backup → do_snapshot_set (PrepareSnapshot,
// Freeze by level, commit, Thaw in reverse, PostSnapshot) → backup_complete
// → shutdown (OnBackupShutdown); and a restore: initialize_for_restore (a
// saved document) → gather_metadata → pre_restore → post_restore. Every change of the requester's phase goes
// through transition() and every change of a writer's status through
// record(); both log when VSSAPI_TRACE=1.
//
// Public methods validate synchronously and return an HRESULT; the steps
// that the SDK runs asynchronously return an Operation.
#pragma once

#include "core/coordinator.h"
#include "core/metadata.h"
#include "core/operation.h"
#include "core/state_machine.h"
#include "core/writer.h"

#include <gsl/gsl>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vssapi::core {


// One row of GetWriterStatus(Ex), as gathered.
struct StatusEntry {
    std::shared_ptr<const WriterIdentity> identity;
    WriterStatus status;
};

// One row of GetWriterMetadata(Ex).
struct MetadataEntry {
    std::shared_ptr<const WriterIdentity> identity;
    std::shared_ptr<const WriterMetadata> metadata;
};

// Which component a requester call names.
struct ComponentKey {
    GUID writer_class_id{};
    std::optional<GUID> instance_id; // when the call gives one
    VSS_COMPONENT_TYPE type = VSS_CT_UNDEFINED;
    std::u16string logical_path;
    std::u16string name;
};

class Session {
public:
    explicit Session(std::shared_ptr<Coordinator> coordinator);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    const GUID &id() const noexcept { return id_; }
    Coordinator &coordinator() noexcept { return *coordinator_; }

    HRESULT initialize_for_backup();
    HRESULT set_context(LONG context);
    HRESULT set_backup_state(bool select_components, bool bootable_system_state, std::int32_t type,
                             bool partial_file_support);
    HRESULT disable_writer_classes(gsl::span<const GUID> class_ids);
    HRESULT enable_writer_classes(gsl::span<const GUID> class_ids);
    HRESULT disable_writer_instances(gsl::span<const GUID> instance_ids);

    // Asynchronous steps.
    HRESULT gather_writer_metadata(std::shared_ptr<Operation> &out);
    HRESULT prepare_for_backup(std::shared_ptr<Operation> &out);
    HRESULT do_snapshot_set(std::shared_ptr<Operation> &out);
    HRESULT backup_complete(std::shared_ptr<Operation> &out);
    HRESULT gather_writer_status(std::shared_ptr<Operation> &out);

    // Metadata.
    HRESULT writer_metadata_count(UINT &count);
    HRESULT writer_metadata(UINT index, MetadataEntry &out, Call call = Call::GetWriterMetadataEx);
    HRESULT free_writer_metadata();

    // Components (the Backup Components Document).
    HRESULT add_component(const ComponentKey &key);
    HRESULT set_backup_succeeded(const ComponentKey &key, bool succeeded);
    HRESULT set_backup_options(const ComponentKey &key, std::u16string options);
    HRESULT set_previous_backup_stamp(const ComponentKey &key, std::u16string stamp);
    HRESULT writer_components_count(UINT &count);
    HRESULT writer_components(UINT index, std::shared_ptr<ComponentStore> &out);

    // Snapshot set.
    HRESULT start_snapshot_set(GUID &snapshot_set_id);
    HRESULT add_to_snapshot_set(std::u16string volume, const GUID &provider_id, GUID &snapshot_id);

    // Status (C-3.9): what the last GatherWriterStatus gathered.
    HRESULT writer_status_count(UINT &count);
    HRESULT writer_status(UINT index, StatusEntry &out, Call call = Call::GetWriterStatusEx);
    HRESULT free_writer_status();

    HRESULT abort_backup();

    // The Backup Components Document and the restore (C-8; session_restore.cpp).
    HRESULT save_document(BackupDocument &out);
    HRESULT initialize_for_backup(BackupDocument document); // resumes a saved backup
    HRESULT initialize_for_restore(BackupDocument document);
    HRESULT set_restore_state(std::int32_t type); // the raw value a caller passed; checked here
    // One restore setter (`call`) on one component of the document (C-8.6):
    // refused out of order, VSS_E_OBJECT_NOT_FOUND for an unknown component,
    // else what `change` answers, with the component's store locked.
    HRESULT change_for_restore(Call call, const ComponentKey &key,
                               const std::function<HRESULT(SelectedComponent &)> &change);
    HRESULT pre_restore(std::shared_ptr<Operation> &out);
    HRESULT post_restore(std::shared_ptr<Operation> &out);
    // ImportSnapshots: only a backup resumed from a document has a set to import.
    HRESULT import_snapshots(std::shared_ptr<Operation> &out);

    // The end of the object's life: waits for running work, OnBackupShutdown
    // to every writer of the session, frees its session slots and releases
    // its non-persistent snapshots.
    void shutdown() noexcept;

    Phase phase() const;

private:
    struct Participant;
    class Gate;

    // What the state machine reads; lock_ held.
    SessionFacts facts() const noexcept;
    // A refused call: its reason to this thread, the diagnostic log and the trace.
    void refused(Call call, const Admission &admission) const noexcept;
    // The one place the requester's phase changes: where `call` leads (lock_ held).
    void transition(Call call, bool succeeded);
    // The one place a writer's status changes.
    void record(Participant &participant, const WriterStatus &status, Event event, const char *why);

    HRESULT begin_operation(std::shared_ptr<Operation> &out, Call call, HRESULT (Session::*job)(Operation &));
    HRESULT run_gather_metadata(Operation &operation);
    HRESULT run_prepare_for_backup(Operation &operation);
    HRESULT run_do_snapshot_set(Operation &operation);
    HRESULT run_backup_complete(Operation &operation);
    HRESULT run_gather_status(Operation &operation);
    HRESULT run_pre_restore(Operation &operation);
    HRESULT run_post_restore(Operation &operation);
    HRESULT run_import_snapshots(Operation &operation);
    // The writers of a restore event: active, with a component selected for restore (C-8.7).
    std::vector<Participant *> restore_participants();
    // The document's state and components become the session's (lock_ held).
    void adopt_document(BackupDocument document);
    // Gives each identified writer its components from the document, if any.
    void attach_document_stores();

    // Sends `event` to `targets` in parallel and applies C-2.5 to each.
    std::vector<TraceEntry> send(Event event, const std::vector<Participant *> &targets,
                                 VSS_APPLICATION_LEVEL level = VSS_APP_AUTO);
    void emit(const TraceEntry &entry) const; // to the coordinator's trace sink, if any
    void emit(TraceEntry &entry, const WriterStatus &status_after) const;
    // OnAbort to `targets`; statuses as C-3.6 says.
    void send_abort(const std::vector<Participant *> &targets, bool by_requester);
    HRESULT commit_snapshot_set();

    std::vector<Participant *> active_participants(); // identified, not failed, not hung
    std::vector<Participant *> abortable_participants();
    std::shared_ptr<const SessionView> make_view(VSS_APPLICATION_LEVEL level) const;
    bool writers_take_part() const noexcept;
    std::shared_ptr<ComponentStore> *find_store(const ComponentKey &key, SelectedComponent *&component);
    void trace(const char *format, ...) const;

    const std::shared_ptr<Coordinator> coordinator_;
    const GUID id_;
    mutable std::mutex lock_;
    Phase phase_ = Phase::Created;
    std::optional<Call> running_; // the asynchronous step under way
    std::vector<std::shared_ptr<Operation>> operations_;
    std::vector<std::unique_ptr<Participant>> participants_;

    LONG context_ = VSS_CTX_BACKUP;
    bool select_components_ = false;
    bool bootable_system_state_ = false;
    VSS_BACKUP_TYPE backup_type_ = VSS_BT_FULL;
    bool partial_file_support_ = false;
    std::vector<GUID> disabled_classes_;
    std::vector<GUID> enabled_classes_; // when set, only these take part
    std::vector<GUID> disabled_instances_;

    bool metadata_freed_ = false;
    bool status_gathered_ = false;
    std::vector<StatusEntry> gathered_status_;

    bool set_started_ = false;
    bool set_in_creation_ = false; // holds the coordinator's one slot (C-4.6)
    GUID snapshot_set_id_{};
    std::vector<SnapshotRecord> pending_snapshots_;
    bool shut_down_ = false;

    // From InitializeForRestore or InitializeForBackup(xml): the document's
    // writers, each one's components; a running writer gets its own at
    // GatherWriterMetadata.
    std::vector<std::shared_ptr<ComponentStore>> document_stores_;
    VSS_RESTORE_TYPE restore_type_ = VSS_RTYPE_BY_COPY;
    bool resumed_ = false; // InitializeForBackup(xml)
};

} // namespace vssapi::core
