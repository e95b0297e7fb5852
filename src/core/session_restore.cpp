// The Backup Components Document and the restore sequence (contract C-3.2,
// C-8): what SaveAsXML saves, what InitializeForRestore and
// InitializeForBackup(xml) take back, the requester's restore decisions, and
// PreRestore / PostRestore. The XML itself is src/documents'; here the
// document is plain data.
#include "core/session_parts.h"

#include <algorithm>

namespace vssapi::core {

HRESULT Session::save_document(BackupDocument &out)
{
    const Gate gate(*this, Call::SaveAsXML);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    BackupDocument document;
    document.select_components = select_components_;
    document.bootable_system_state = bootable_system_state_;
    document.backup_type = backup_type_;
    document.partial_file_support = partial_file_support_;
    document.context = context_;
    document.snapshot_set_id = snapshot_set_id_;
    for (const auto &participant : participants_) {
        const std::lock_guard<std::mutex> store_hold(participant->components->lock);
        if (participant->identified && !participant->components->components.empty()) {
            document.writers.push_back({participant->identity->class_id, participant->identity->instance_id,
                                        participant->components->components});
        }
    }
    out = std::move(document);
    return S_OK;
}

void Session::adopt_document(BackupDocument document)
{
    select_components_ = document.select_components;
    bootable_system_state_ = document.bootable_system_state;
    backup_type_ = document.backup_type;
    partial_file_support_ = document.partial_file_support;
    context_ = document.context;
    document_stores_.clear();
    for (BackupDocument::Writer &writer : document.writers) {
        auto store = std::make_shared<ComponentStore>();
        store->writer_class_id = writer.class_id;
        store->writer_instance_id = writer.instance_id;
        store->components = std::move(writer.components);
        document_stores_.push_back(std::move(store));
    }
}

HRESULT Session::initialize_for_backup(BackupDocument document)
{
    const Gate gate(*this, Call::InitializeForBackup);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    adopt_document(std::move(document));
    resumed_ = true;
    transition(Call::InitializeForBackup, true);
    return S_OK;
}

HRESULT Session::initialize_for_restore(BackupDocument document)
{
    const Gate gate(*this, Call::InitializeForRestore);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    adopt_document(std::move(document));
    transition(Call::InitializeForRestore, true);
    return S_OK;
}

// A running writer takes the document's store of its own instance, else one
// of its class that no instance took (a writer whose instance id changed
// since the backup, as a restarted service's does).
void Session::attach_document_stores()
{
    const std::lock_guard<std::mutex> hold(lock_);
    std::vector<bool> taken(document_stores_.size(), false);
    auto claim = [&](Participant &participant, bool same_instance) {
        for (std::size_t i = 0; i < document_stores_.size(); ++i) {
            const ComponentStore &store = *document_stores_[i];
            if (!taken[i] && IsEqualGUID(store.writer_class_id, participant.identity->class_id) &&
                (!same_instance || IsEqualGUID(store.writer_instance_id, participant.identity->instance_id))) {
                taken[i] = true;
                participant.components = document_stores_[i];
                return true;
            }
        }
        return false;
    };
    std::vector<Participant *> unmatched;
    for (const auto &participant : participants_) {
        if (participant->identified && !claim(*participant, true)) {
            unmatched.push_back(participant.get());
        }
    }
    for (Participant *participant : unmatched) {
        claim(*participant, false);
    }
}

HRESULT Session::set_restore_state(std::int32_t type)
{
    const Gate gate(*this, Call::SetRestoreState);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (type != VSS_RTYPE_BY_COPY && type != VSS_RTYPE_IMPORT && type != VSS_RTYPE_OTHER) {
        return E_INVALIDARG;
    }
    restore_type_ = static_cast<VSS_RESTORE_TYPE>(type);
    return S_OK;
}

HRESULT Session::change_for_restore(Call call, const ComponentKey &key,
                                    const std::function<HRESULT(SelectedComponent &)> &change)
{
    const Gate gate(*this, call);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    for (const auto &store : document_stores_) {
        if (!IsEqualGUID(store->writer_class_id, key.writer_class_id) ||
            (key.instance_id && !IsEqualGUID(store->writer_instance_id, *key.instance_id))) {
            continue;
        }
        const std::lock_guard<std::mutex> store_hold(store->lock);
        for (SelectedComponent &component : store->components) {
            if (component.type == key.type && component.logical_path == key.logical_path &&
                component.name == key.name) {
                return change(component);
            }
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

std::vector<Session::Participant *> Session::restore_participants()
{
    std::vector<Participant *> targets;
    for (Participant *participant : active_participants()) {
        const std::lock_guard<std::mutex> store_hold(participant->components->lock);
        const auto &components = participant->components->components;
        if (std::any_of(components.begin(), components.end(),
                        [](const SelectedComponent &component) { return component.selected_for_restore; })) {
            targets.push_back(participant);
        }
    }
    return targets;
}

HRESULT Session::pre_restore(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::PreRestore, &Session::run_pre_restore);
}

HRESULT Session::post_restore(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::PostRestore, &Session::run_post_restore);
}

HRESULT Session::run_pre_restore(Operation & /*operation*/)
{
    send(Event::PreRestore, restore_participants());
    return S_OK;
}

// C-8.7: a writer that failed OnPreRestore is not active, so it gets no OnPostRestore.
HRESULT Session::run_post_restore(Operation & /*operation*/)
{
    send(Event::PostRestore, restore_participants());
    return S_OK;
}

HRESULT Session::import_snapshots(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::ImportSnapshots, &Session::run_import_snapshots);
}

// The in-memory provider makes no transportable snapshots, so a saved
// document never holds one to import.
HRESULT Session::run_import_snapshots(Operation & /*operation*/)
{
    return VSS_E_NO_SNAPSHOTS_IMPORTED;
}

} // namespace vssapi::core
