// What every conformance test stands on: an isolated coordinator, a writer
// whose handlers a test scripts, and a requester that runs the SDK's steps.
// The tests use only the SDK-shaped API (CVssWriterEx2, IVssBackupComponents*);
// the coordinator hook is the one non-SDK thing, so that each case is alone.
#pragma once

#include "core/clock.h"
#include "core/coordinator.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace conformance {

using vssapi::core::Coordinator;
using vssapi::core::CoordinatorOptions;
using vssapi::core::VirtualClock;

// Makes a fresh coordinator current for the lifetime of the object.
class Isolated {
public:
    explicit Isolated(CoordinatorOptions options = {})
        : coordinator_(Coordinator::create(std::move(options))), previous_(Coordinator::set_current(coordinator_))
    {
    }
    ~Isolated() { Coordinator::set_current(previous_); }
    Isolated(const Isolated &) = delete;
    Isolated &operator=(const Isolated &) = delete;

    Coordinator &coordinator() { return *coordinator_; }

private:
    std::shared_ptr<Coordinator> coordinator_;
    std::shared_ptr<Coordinator> previous_;
};

// Options with a virtual clock the test drives.
inline CoordinatorOptions virtual_time(const std::shared_ptr<VirtualClock> &clock)
{
    CoordinatorOptions options;
    options.clock = clock;
    return options;
}

enum class On {
    Identify,
    PrepareBackup,
    PrepareSnapshot,
    Freeze,
    Thaw,
    Abort,
    PostSnapshot,
    BackupComplete,
    BackupShutdown,
    PreRestore,
    PostRestore,
};

const char *on_name(On event);

struct Delivery {
    On event;
    std::thread::id thread;
    GUID argument; // OnBackupShutdown's snapshot set id
};

// A writer whose handlers a test scripts: by default every handler returns
// true; on(event, action) replaces one. Every delivery is recorded.
class TestWriter : public CVssWriterEx2 {
public:
    using Action = std::function<bool(TestWriter &, IVssWriterComponents *)>;
    using IdentifyAction = std::function<bool(TestWriter &, IVssCreateWriterMetadataEx *)>;

    TestWriter(const char16_t *name, const GUID &class_id, VSS_APPLICATION_LEVEL level = VSS_APP_FRONT_END,
               DWORD freeze_timeout_ms = 60000, const char16_t *instance_name = nullptr);
    ~TestWriter() override;

    void on(On event, Action action);
    void on_identify(IdentifyAction action);

    std::vector<Delivery> deliveries() const;
    std::vector<On> events() const;
    int count(On event) const;
    bool overlapped() const { return overlapped_; }
    const std::u16string &name() const { return name_; }

    // The protected getters, for handlers written as lambdas.
    using CVssWriter::AreComponentsSelected;
    using CVssWriter::GetBackupType;
    using CVssWriter::GetContext;
    using CVssWriter::IsBootableSystemStateBackedUp;
    using CVssWriter::IsPartialFileSupportEnabled;
    using CVssWriter::GetCurrentLevel;
    using CVssWriter::GetCurrentSnapshotSetId;
    using CVssWriter::GetCurrentVolumeArray;
    using CVssWriter::GetCurrentVolumeCount;
    using CVssWriter::GetSnapshotDeviceName;
    using CVssWriter::IsPathAffected;
    using CVssWriter::SetWriterFailure;
    using CVssWriterEx::GetIdentifyInformation;

    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override;
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *components) override;
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override;
    bool STDMETHODCALLTYPE OnFreeze() override;
    bool STDMETHODCALLTYPE OnThaw() override;
    bool STDMETHODCALLTYPE OnAbort() override;
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *components) override;
    bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *components) override;
    bool STDMETHODCALLTYPE OnBackupShutdown(VSS_ID snapshot_set_id) override;
    bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *components) override;
    bool STDMETHODCALLTYPE OnPostRestore(IVssWriterComponents *components) override;
    using CVssWriter::GetRestoreType;

private:
    bool deliver(On event, IVssWriterComponents *components, GUID argument = GUID_NULL);

    std::u16string name_;
    mutable std::mutex lock_;
    std::map<On, Action> actions_;
    IdentifyAction identify_;
    std::vector<Delivery> deliveries_;
    std::atomic<int> running_{0};
    std::atomic<bool> overlapped_{false};
};

// One row of GetWriterStatusEx, owned.
struct StatusRow {
    VSS_ID instance{};
    VSS_ID writer{};
    std::u16string name;
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT hr_writer = E_FAIL;
    HRESULT hr_application = E_FAIL;
    bool message_is_null = true;
    std::u16string message;
};

// A requester: one IVssBackupComponentsEx3, the SDK's steps, waits included.
class Requester {
public:
    Requester();
    ~Requester();
    Requester(const Requester &) = delete;
    Requester &operator=(const Requester &) = delete;

    IVssBackupComponentsEx3 *operator->() const { return components_; }
    IVssBackupComponentsEx3 *get() const { return components_; }

    // Starts `step`, waits, and returns QueryStatus's result (or the start's failure).
    HRESULT run(HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*step)(IVssAsync **));

    // InitializeForBackup + SetBackupState(component mode) + GatherWriterMetadata.
    void gather(bool select_components = true);
    // StartSnapshotSet + AddToSnapshotSet(volume, provider) + PrepareForBackup.
    void prepare(const char16_t *volume = u"C:\\", const GUID &provider = GUID_NULL);
    // gather + prepare + DoSnapshotSet; returns DoSnapshotSet's async result.
    HRESULT snapshot();
    // Selects every declared component of every writer (AddComponent).
    void select_all_components();

    // SaveAsXML's document (failing the test if it is refused).
    std::u16string save_document();
    // InitializeForRestore(xml) + GatherWriterMetadata.
    void begin_restore(const std::u16string &xml);

    std::vector<StatusRow> status();
    StatusRow status_of(const std::u16string &writer_name);
    // Releases the object now (OnBackupShutdown).
    void release();

    VSS_ID snapshot_set_id{};
    VSS_ID snapshot_id{};

private:
    IVssBackupComponentsEx3 *components_ = nullptr;
};

// Polls until `done()` (real time), failing the test after 10 s.
void wait_until(const std::function<bool()> &done);

// A UTF-16 literal as the SDK's LPCWSTR (wchar_t on Windows, char16_t elsewhere).
inline LPCWSTR W(const char16_t *text)
{
    return reinterpret_cast<LPCWSTR>(text);
}

// GUIDs for test writers.
GUID test_guid(unsigned n);

std::string narrow(const std::u16string &text);

} // namespace conformance

namespace doctest {
template <>
struct StringMaker<std::u16string> {
    static String convert(const std::u16string &value) { return conformance::narrow(value).c_str(); }
};
} // namespace doctest
