// What the requester reads and sets between the steps: writer metadata, the
// components it selects, the snapshot set's volumes, the gathered status.
#include "core/session_parts.h"

#include "com/guid.h"

namespace vssapi::core {

namespace {

constexpr std::size_t kMaxVolumesPerSet = 64;

} // namespace

// ---- metadata ---------------------------------------------------------

HRESULT Session::writer_metadata_count(UINT &count)
{
    const Gate gate(*this, Call::GetWriterMetadataCount);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    count = 0;
    if (!metadata_freed_) {
        for (const auto &participant : participants_) {
            count += participant->identified ? 1 : 0;
        }
    }
    return S_OK;
}

HRESULT Session::writer_metadata(UINT index, MetadataEntry &out, Call call)
{
    const Gate gate(*this, call);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    UINT position = 0;
    for (const auto &participant : participants_) {
        if (!participant->identified) {
            continue;
        }
        if (position++ == index) {
            out.identity = participant->identity;
            out.metadata = participant->metadata;
            return S_OK;
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

HRESULT Session::free_writer_metadata()
{
    const Gate gate(*this, Call::FreeWriterMetadata);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    metadata_freed_ = true;
    return S_OK;
}

// ---- components -------------------------------------------------------

std::shared_ptr<ComponentStore> *Session::find_store(const ComponentKey &key, SelectedComponent *&component)
{
    component = nullptr;
    if (is_restore(phase_)) {
        return nullptr; // a restore names components through change_for_restore
    }
    for (const auto &participant : participants_) {
        if (!participant->identified || !IsEqualGUID(participant->identity->class_id, key.writer_class_id) ||
            (key.instance_id && !IsEqualGUID(participant->identity->instance_id, *key.instance_id))) {
            continue;
        }
        const std::lock_guard<std::mutex> hold(participant->components->lock);
        for (SelectedComponent &selected : participant->components->components) {
            if (selected.type == key.type && selected.logical_path == key.logical_path && selected.name == key.name) {
                component = &selected;
                return &participant->components;
            }
        }
    }
    return nullptr;
}

HRESULT Session::add_component(const ComponentKey &key)
{
    const Gate gate(*this, Call::AddComponent);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (key.name.empty() || (key.type != VSS_CT_DATABASE && key.type != VSS_CT_FILEGROUP)) {
        return E_INVALIDARG;
    }
    SelectedComponent *existing = nullptr;
    if (find_store(key, existing) != nullptr) {
        return VSS_E_OBJECT_ALREADY_EXISTS;
    }
    for (const auto &participant : participants_) {
        if (!participant->identified || !IsEqualGUID(participant->identity->class_id, key.writer_class_id) ||
            !IsEqualGUID(participant->identity->instance_id, key.instance_id.value_or(GUID_NULL))) {
            continue;
        }
        for (const ComponentDecl &declared : participant->metadata->components) {
            if (declared.type == key.type && declared.logical_path == key.logical_path && declared.name == key.name) {
                SelectedComponent selected;
                selected.type = key.type;
                selected.logical_path = key.logical_path;
                selected.name = key.name;
                const std::lock_guard<std::mutex> store_hold(participant->components->lock);
                participant->components->components.push_back(std::move(selected));
                return S_OK;
            }
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

namespace {
template <class Change>
HRESULT change_component(std::shared_ptr<ComponentStore> *store, SelectedComponent *component, Change change)
{
    // find_store sets both or neither; testing both also keeps GCC 12's
    // -Warray-bounds quiet at -O3 (it cannot see that and warns on *component).
    if (store == nullptr || component == nullptr) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    const std::lock_guard<std::mutex> hold((*store)->lock);
    change(*component);
    return S_OK;
}
} // namespace

HRESULT Session::set_backup_succeeded(const ComponentKey &key, bool succeeded)
{
    const Gate gate(*this, Call::SetBackupSucceeded);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    SelectedComponent *component = nullptr;
    auto *store = find_store(key, component); // sets `component`: call it first
    return change_component(store, component,
                            [&](SelectedComponent &selected) { selected.backup_succeeded = succeeded; });
}

HRESULT Session::set_backup_options(const ComponentKey &key, std::u16string options)
{
    const Gate gate(*this, Call::SetBackupOptions);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    SelectedComponent *component = nullptr;
    auto *store = find_store(key, component); // sets `component`: call it first
    return change_component(store, component,
                            [&](SelectedComponent &selected) { selected.backup_options = std::move(options); });
}

HRESULT Session::set_previous_backup_stamp(const ComponentKey &key, std::u16string stamp)
{
    const Gate gate(*this, Call::SetPreviousBackupStamp);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    SelectedComponent *component = nullptr;
    auto *store = find_store(key, component); // sets `component`: call it first
    return change_component(store, component,
                            [&](SelectedComponent &selected) { selected.previous_backup_stamp = std::move(stamp); });
}

HRESULT Session::writer_components_count(UINT &count)
{
    const Gate gate(*this, Call::GetWriterComponentsCount);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    count = 0;
    if (is_restore(phase_)) {
        count = gsl::narrow<UINT>(document_stores_.size()); // every writer of the document, running or not
        return S_OK;
    }
    for (const auto &participant : participants_) {
        const std::lock_guard<std::mutex> store_hold(participant->components->lock);
        count += participant->identified && !participant->components->components.empty() ? 1 : 0;
    }
    return S_OK;
}

HRESULT Session::writer_components(UINT index, std::shared_ptr<ComponentStore> &out)
{
    const Gate gate(*this, Call::GetWriterComponents);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (is_restore(phase_)) {
        if (index >= document_stores_.size()) {
            return VSS_E_OBJECT_NOT_FOUND;
        }
        out = document_stores_[index];
        return S_OK;
    }
    UINT position = 0;
    for (const auto &participant : participants_) {
        bool has_components = false;
        {
            const std::lock_guard<std::mutex> store_hold(participant->components->lock);
            has_components = participant->identified && !participant->components->components.empty();
        }
        if (has_components && position++ == index) {
            out = participant->components;
            return S_OK;
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

// ---- snapshot set -----------------------------------------------------

HRESULT Session::start_snapshot_set(GUID &snapshot_set_id)
{
    const Gate gate(*this, Call::StartSnapshotSet);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    const GUID candidate = com::new_guid();
    if (!coordinator_->begin_snapshot_set(candidate)) {
        return VSS_E_SNAPSHOT_SET_IN_PROGRESS; // C-4.6
    }
    set_started_ = true;
    set_in_creation_ = true;
    snapshot_set_id_ = candidate;
    snapshot_set_id = candidate;
    trace("StartSnapshotSet");
    return S_OK;
}

HRESULT Session::add_to_snapshot_set(std::u16string volume, const GUID &provider_id, GUID &snapshot_id)
{
    const Gate gate(*this, Call::AddToSnapshotSet);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (volume.empty()) {
        return E_INVALIDARG;
    }
    const std::shared_ptr<SnapshotProvider> provider = coordinator_->find_provider(provider_id);
    if (!provider) {
        return VSS_E_PROVIDER_NOT_REGISTERED;
    }
    // C-5.4: the provider says whether the volume exists and what its unique name is.
    VolumeName resolved_name;
    const HRESULT resolved = provider->resolve_volume(volume, resolved_name);
    if (resolved != S_OK) {
        note_refusal("AddToSnapshotSet", resolved,
                     resolved == VSS_E_OBJECT_NOT_FOUND ? "refused: no such volume"
                                                        : "refused: the provider cannot snapshot this volume");
        return FAILED(resolved) ? resolved : VSS_E_VOLUME_NOT_SUPPORTED;
    }
    if ((context_ != VSS_CTX_ALL && (context_ & kRequesterAttributes & ~provider->context_attributes()) != 0)) {
        note_refusal("AddToSnapshotSet", VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER,
                     "refused: the provider cannot make snapshots with the context's attributes (C-5.3)");
        return VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER;
    }
    volume = resolved_name.unique;
    for (const SnapshotRecord &pending : pending_snapshots_) {
        if (pending.original_volume == volume) {
            return VSS_E_OBJECT_ALREADY_EXISTS;
        }
    }
    if (pending_snapshots_.size() == kMaxVolumesPerSet) {
        return VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED;
    }
    SnapshotRecord record;
    record.snapshot_id = com::new_guid();
    record.snapshot_set_id = snapshot_set_id_;
    record.provider_id = provider->id();
    record.original_volume = std::move(volume);
    record.volume_path = std::move(resolved_name.path);
    record.originating_machine = u"localhost";
    record.service_machine = u"localhost";
    record.attributes = context_ == VSS_CTX_ALL ? 0 : context_;
    record.session_id = id_;
    pending_snapshots_.push_back(std::move(record));
    snapshot_id = pending_snapshots_.back().snapshot_id;
    return S_OK;
}

// ---- status -----------------------------------------------------------

HRESULT Session::writer_status_count(UINT &count)
{
    const Gate gate(*this, Call::GetWriterStatusCount);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    count = gsl::narrow<UINT>(gathered_status_.size());
    return S_OK;
}

HRESULT Session::writer_status(UINT index, StatusEntry &out, Call call)
{
    const Gate gate(*this, call);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (index >= gathered_status_.size()) {
        return VSS_E_OBJECT_NOT_FOUND; // C-3.9
    }
    out = gathered_status_[index];
    return S_OK;
}

HRESULT Session::free_writer_status()
{
    const Gate gate(*this, Call::FreeWriterStatus);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    gathered_status_.clear();
    status_gathered_ = false;
    return S_OK;
}

} // namespace vssapi::core
