// A scenario: mock writers declared in a JSON file (abi/scenario.schema.json),
// what each does in each event, and how the snapshot provider commits.
// Plain data; parse.cpp reads it, mock_writer.cpp and load.cpp act on it.
#pragma once

#include "core/clock.h"
#include "core/metadata.h"
#include "core/state_machine.h"

#include <vss.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vssapi::scenario {

// How a handler ends once its actions ran.
enum class Ending {
    ReturnTrue,
    ReturnFalse,
    Throw,       // a C++ exception reaches the library (C-2.5 last row)
    NeverReturn, // blocks until the scenario is unloaded (C-4.4 hung writer)
};

struct WriterFailure {
    HRESULT hr_writer = S_OK;
    HRESULT hr_application = S_OK;
    std::u16string message;
};

struct ComponentFailureAction {
    std::u16string component; // "name" or "logical\\path\\name" as the writer declared it
    HRESULT hr = S_OK;
    HRESULT hr_application = S_OK;
    std::u16string message;
};

// What the writer does in one event, in this order: spend `take`, call
// SetWriterFailure or SetWriterFailureEx, fail components, then end.
struct EventAction {
    core::Duration take{0};
    std::optional<HRESULT> set_writer_failure;         // CVssWriter::SetWriterFailure
    std::optional<WriterFailure> set_writer_failure_ex; // CVssWriterEx2::SetWriterFailureEx
    std::vector<ComponentFailureAction> fail_components; // IVssComponentEx2::SetFailure
    Ending ending = Ending::ReturnTrue;
    // The action applies to the first `times` calls of this event on this
    // writer instance (0: every call); later calls just return true. Lets a
    // retried backup succeed on its second attempt.
    unsigned times = 0;
};

constexpr std::size_t kEventCount = static_cast<std::size_t>(core::Event::PostRestore) + 1;

struct MockWriter {
    core::WriterIdentity identity; // instance_id as given, or derived from class id and position
    core::WriterMetadata metadata; // what OnIdentify declares
    std::array<std::optional<EventAction>, kEventCount> on; // indexed by core::Event; none: return true
};

enum class CommitEnding { Succeed, Fail };

// Which provider a scenario's snapshots come from (C-5.5).
enum class ProviderName {
    Default,   // the coordinator's default
    Simulated, // device names that open nothing
    Live,      // the volume as it is now
    Copy,      // a copy of the volume's folder tree at commit
    Btrfs,     // a read-only btrfs snapshot (Linux)
    Reflink,   // a reflink copy (Linux, XFS or btrfs)
    Fsfreeze,  // a copy with the file system frozen (Linux)
};

struct ProviderBehaviour {
    ProviderName name = ProviderName::Default;
    core::Duration take{0};
    CommitEnding ending = CommitEnding::Succeed;
    HRESULT hr = S_OK; // Fail: the code commit returns (VSS_E_PROVIDER_VETO, ...)
};

enum class ClockKind {
    Simulated, // virtual time that moves on by itself when every task waits on it
    Real,
};

struct ServiceSettings {
    ClockKind clock = ClockKind::Simulated;
    core::Duration event_timeout = std::chrono::seconds(600); // C-4.4
    core::Duration commit_window = std::chrono::seconds(10);  // C-5.2
};

// What `vssctl run` asks for as a requester.
struct BackupSettings {
    VSS_BACKUP_TYPE type = VSS_BT_FULL;
    bool select_components = true; // component mode: every selectable component is added
};

// What `vssctl restore` selects in the saved document: components by full
// path ("logical\\path\\name", or the name alone); none listed: every one.
struct RestoreSettings {
    std::vector<std::u16string> select;
    // AddNewTarget: a component's files restored somewhere else.
    struct NewTarget {
        std::u16string component; // full path, as in `select`
        std::u16string path, filespec, alternate_path;
        bool recursive = false;
    };
    std::vector<NewTarget> new_targets;
};

struct Scenario {
    std::string source; // the file's path, or "<text>", for messages
    std::string description;
    ServiceSettings service;
    BackupSettings backup;
    RestoreSettings restore;
    ProviderBehaviour provider;
    std::vector<MockWriter> writers;
};

// A scenario file that could not be used: where and what. `line` and
// `column` are 1-based; 0 when the problem is not at one place (file missing).
struct ParseError {
    std::string source;
    unsigned line = 0;
    unsigned column = 0;
    std::string message; // "writers[0].on.OnFreeze.result: expected one of ..."

    // "source:line:column: message", the way compilers print.
    std::string to_string() const;
};

// Reads a scenario. Either the whole scenario or the first error; nothing
// half-read. `source` names the text in messages.
struct ParseResult {
    std::optional<Scenario> scenario;
    std::optional<ParseError> error;
};
ParseResult parse_scenario_text(std::string_view text, std::string source);
ParseResult parse_scenario_file(const std::string &path);

// Limits of a scenario file (clear errors beyond them).
inline constexpr std::size_t kMaxScenarioBytes = 4u << 20;
inline constexpr unsigned kMaxNesting = 32;
inline constexpr std::size_t kMaxWriters = 4096;
inline constexpr std::size_t kMaxRestoreSelection = 4096;

} // namespace vssapi::scenario
