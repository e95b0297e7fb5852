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
    std::u16string original_volume; // its unique name (C-5.4)
    std::u16string volume_path;     // the path its provider reads it by
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

// What Query(VSS_OBJECT_PROVIDER) lists of a provider (VSS_PROVIDER_PROP).
struct ProviderInfo {
    GUID id{};
    std::u16string name;
    VSS_PROVIDER_TYPE type = VSS_PROV_SOFTWARE;
    std::u16string version;
    GUID version_id{};
    GUID class_id{};
};

// The attribute bits a requester may OR into a context (C-5.3): the
// VSS_VOLUME_SNAPSHOT_ATTRIBUTES page lets requesters set these; the others
// are VSS's or the provider's to set ("should not be used explicitly").
inline constexpr LONG kRequesterAttributes = VSS_VOLSNAP_ATTR_NO_AUTORECOVERY | VSS_VOLSNAP_ATTR_TRANSPORTABLE |
                                             VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_PLEX |
                                             VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY | VSS_VOLSNAP_ATTR_TXF_RECOVERY;

// A volume as a provider resolved it (C-5.4): its unique name, which
// GetSnapshotProperties reports, and the path the provider reads it by.
struct VolumeName {
    std::u16string unique;
    std::u16string path;
};

class SnapshotProvider {
public:
    virtual ~SnapshotProvider() = default;
    virtual GUID id() const = 0;
    virtual ProviderInfo info() const;
    // C-5.4: whether `volume` exists and this provider can snapshot it. S_OK
    // with its names; VSS_E_OBJECT_NOT_FOUND when there is no such volume;
    // VSS_E_VOLUME_NOT_SUPPORTED when it cannot snapshot it. The default is
    // the simulated machine's (simulated_volume).
    virtual HRESULT resolve_volume(std::u16string_view volume, VolumeName &name) const;
    // Commits the set: fills each record's device name and creation time.
    // S_OK, or the refusal (VSS_E_PROVIDER_VETO, VSS_E_UNEXPECTED_PROVIDER_ERROR,
    // ...), having undone whatever it made (C-5.6). May take time: the
    // coordinator gives it the flush-and-hold window (C-5.2).
    virtual HRESULT commit(SnapshotSetRequest &request) = 0;
    // Undoes committed snapshots: deleted, released with their session, or
    // committed too late (C-5.6). Must not throw.
    virtual void discard(const std::vector<SnapshotRecord> &snapshots) noexcept { (void)snapshots; }
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

// The default of a coordinator: the volumes of a simulated Windows machine
// (every drive letter), committed at once, device names in the Windows style
// that no file API opens. Point-in-time providers that can be read through
// are in src/providers/.
class InMemoryProvider final : public SnapshotProvider {
public:
    GUID id() const override;
    ProviderInfo info() const override;
    HRESULT resolve_volume(std::u16string_view volume, VolumeName &name) const override;
    HRESULT commit(SnapshotSetRequest &request) override;

private:
    std::mutex lock_;
    unsigned next_device_ = 1;
};

// The id of the default provider: the one of Microsoft's software provider,
// which is what requesters see on a stock Windows.
extern const GUID kInMemoryProviderId;

// A snapshot's creation time: FILETIME units (100 ns since 1601-01-01) of the
// wall clock. A date, not a timeout, so it does not go through core::Clock.
VSS_TIMESTAMP filetime_now();

// The volumes of the simulated Windows machine: one on every drive letter
// ("C:", "c:\\"), and no other (C-5.4).
HRESULT simulated_volume(std::u16string_view volume, VolumeName &name);

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
    // Deletes one snapshot or a whole set; returns the records that went
    // (their providers must discard them).
    std::vector<SnapshotRecord> remove_snapshot(const GUID &snapshot_id);
    std::vector<SnapshotRecord> remove_set(const GUID &snapshot_set_id);
    // Snapshots of `session_id` that are not persistent (auto-release).
    std::vector<SnapshotRecord> release_session(const GUID &session_id);
    std::vector<SnapshotRecord> remove_all();

private:
    std::vector<SnapshotRecord> take(const std::function<bool(const SnapshotRecord &)> &which);

    mutable std::mutex lock_;
    std::vector<SnapshotRecord> records_;
};

} // namespace vssapi::core
