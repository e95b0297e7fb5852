// Snapshot providers (contract C-5). The coordinator asks a provider to commit
// a snapshot set between the last OnFreeze and the first OnThaw; the records
// of committed snapshots are kept by the coordinator's SnapshotStore, so
// GetSnapshotProperties, Query and DeleteSnapshots behave as on Windows.
#pragma once

#include <vss.h>

#include <functional>
#include <mutex>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

namespace vssapi::core {

// One snapshot of one volume, as VSS_SNAPSHOT_PROP describes it.
struct SnapshotRecord {
    GUID snapshot_id{};
    GUID snapshot_set_id{};
    GUID provider_id{};
    LONG snapshots_in_set = 0;
    std::u16string original_volume;
    std::u16string device_name;
    std::u16string originating_machine;
    std::u16string service_machine;
    LONG attributes = 0;
    VSS_TIMESTAMP creation_time = 0;
    VSS_SNAPSHOT_STATE state = VSS_SS_CREATED;
    GUID session_id{}; // the requester session that made it (auto-release)
    std::u16string exposed_name; // ExposeSnapshot: the drive, folder or share
    std::u16string exposed_path; // ... and, exposed remotely, the path from the root
};

// A set the requester asks to commit: one record per AddToSnapshotSet, whose
// device names and creation time the provider fills.
struct SnapshotSetRequest {
    GUID snapshot_set_id{};
    LONG context = VSS_CTX_BACKUP;
    std::vector<SnapshotRecord> snapshots;
};

class SnapshotProvider {
public:
    virtual ~SnapshotProvider() = default;
    virtual GUID id() const = 0;
    // Commits the set; S_OK, or the refusal (VSS_E_PROVIDER_VETO,
    // VSS_E_UNEXPECTED_PROVIDER_ERROR, ...). May take time: the coordinator
    // gives it the flush-and-hold window (C-5.2).
    virtual HRESULT commit(SnapshotSetRequest &request) = 0;
    // The VSS_VOLSNAP_ATTR_* bits a requester may ask of this provider in
    // SetContext (C-5.3). The default is a software provider's: differential
    // copies, no auto-recovery, rollback and TxF recovery; no transportable
    // or plex snapshots, which take hardware (non-server Windows refuses
    // those contexts the same way).
    virtual LONG context_attributes() const
    {
        return VSS_VOLSNAP_ATTR_NO_AUTORECOVERY | VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY |
               VSS_VOLSNAP_ATTR_TXF_RECOVERY;
    }
};

// The default: commits at once, device names in the Windows style.
class InMemoryProvider final : public SnapshotProvider {
public:
    GUID id() const override;
    HRESULT commit(SnapshotSetRequest &request) override;

private:
    std::mutex lock_;
    unsigned next_device_ = 1;
};

// The id of the default provider: the one of Microsoft's software provider,
// which is what requesters see on a stock Windows.
extern const GUID kInMemoryProviderId;

// A volume name as VSS keeps it: with its trailing separator ("C:\\"), so
// "C:" and "C:\\" name the same volume.
std::u16string volume_name(std::u16string_view given);

// The records of committed snapshots of one coordinator.
class SnapshotStore {
public:
    void add(const std::vector<SnapshotRecord> &records);
    std::optional<SnapshotRecord> find(const GUID &snapshot_id) const;
    std::vector<SnapshotRecord> all() const;
    // Runs change(record) on one snapshot under the store's lock; false when there is none.
    bool change(const GUID &snapshot_id, const std::function<HRESULT(SnapshotRecord &)> &change, HRESULT &result);
    bool has_set(const GUID &snapshot_set_id) const;
    bool has_volume(std::u16string_view volume) const; // any spelling volume_name() accepts
    // Deletes one snapshot or a whole set; returns how many went.
    LONG remove_snapshot(const GUID &snapshot_id);
    LONG remove_set(const GUID &snapshot_set_id);
    // Snapshots of `session_id` that are not persistent (auto-release).
    LONG release_session(const GUID &session_id);

private:
    mutable std::mutex lock_;
    std::vector<SnapshotRecord> records_;
};

} // namespace vssapi::core
