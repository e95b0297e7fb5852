// core::Session's refusals reach the three places C-3.8's diagnostics promise:
// the calling thread (for vss_last_error_message), and the coordinator's trace
// (vssctl --json); an admitted call leaves no stale reason behind.
#include "core/diagnostics.h"
#include "core/session.h"

#include <vsserror.h>

#include <doctest/doctest.h>

#include <mutex>
#include <vector>

using namespace vssapi::core;

TEST_CASE("C-3.8 a refused session call leaves its reason on the thread and in the trace")
{
    auto entries = std::make_shared<std::vector<TraceEntry>>();
    auto lock = std::make_shared<std::mutex>();
    CoordinatorOptions options;
    options.trace = [entries, lock](const TraceEntry &entry) {
        const std::lock_guard<std::mutex> hold(*lock);
        entries->push_back(entry);
    };
    Session session(Coordinator::create(options));

    CHECK(session.set_context(VSS_CTX_BACKUP) == VSS_E_BAD_STATE); // before InitializeForBackup
    const std::string reason = "SetContext before InitializeForBackup (admitted only after InitializeForBackup)";
    {
        const std::lock_guard<std::mutex> hold(*lock);
        REQUIRE(entries->size() == 1);
        CHECK(entries->front().kind == TraceEntry::Kind::Refusal);
        CHECK(entries->front().call == Call::SetContext);
        CHECK(entries->front().result == VSS_E_BAD_STATE);
        CHECK(entries->front().reason == reason);
    }
    CHECK(take_refusal_reason(E_INVALIDARG).empty()); // another code: not this reason, and cleared
    CHECK(take_refusal_reason(VSS_E_BAD_STATE).empty());

    CHECK(session.set_context(VSS_CTX_BACKUP) == VSS_E_BAD_STATE);
    CHECK(take_refusal_reason(VSS_E_BAD_STATE) == reason);
    CHECK(take_refusal_reason(VSS_E_BAD_STATE).empty()); // taken once

    CHECK(session.set_context(VSS_CTX_BACKUP) == VSS_E_BAD_STATE);
    CHECK(session.initialize_for_backup() == S_OK); // admitted: the earlier reason is gone
    CHECK(take_refusal_reason(VSS_E_BAD_STATE).empty());
    CHECK(session.phase() == Phase::Initialized);
    CHECK(session.set_context(VSS_CTX_BACKUP) == S_OK);
}
