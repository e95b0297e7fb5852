// Putting a scenario to work: its mock writers subscribed to a coordinator,
// its provider behaviour in place; and the process's default coordinator
// made from the file VSSAPI_SCENARIO names, so that an unmodified requester
// program sees the mock writers.
#pragma once

#include "core/coordinator.h"
#include "scenario/mock_writer.h"
#include "scenario/scenario.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vssapi::scenario {

// The options of a coordinator made for `scenario`: its clock (simulated
// unless the file or `real_time` says real) and its timeouts.
core::CoordinatorOptions coordinator_options(const Scenario &scenario, bool real_time);
// The options of a coordinator made for a program: the built-in providers
// (live, copy) beside the simulated default.
core::CoordinatorOptions program_options();

class LoadedScenario {
public:
    // Subscribes every mock writer and installs the provider behaviour; on a
    // failure nothing stays subscribed. `error` says what failed.
    static HRESULT load(std::shared_ptr<core::Coordinator> coordinator, const Scenario &scenario,
                        std::unique_ptr<LoadedScenario> &out, std::string &error);
    // Lets hung handlers go, unsubscribes the writers, puts the provider back.
    ~LoadedScenario();
    LoadedScenario(const LoadedScenario &) = delete;
    LoadedScenario &operator=(const LoadedScenario &) = delete;

    const Scenario &scenario() const noexcept { return scenario_; }
    const std::shared_ptr<core::Coordinator> &coordinator() const noexcept { return coordinator_; }

private:
    LoadedScenario(std::shared_ptr<core::Coordinator> coordinator, const Scenario &scenario);

    const Scenario scenario_;
    const std::shared_ptr<core::Coordinator> coordinator_;
    const std::shared_ptr<HangRelease> release_;
    std::shared_ptr<core::SnapshotProvider> previous_provider_;
    std::vector<std::unique_ptr<MockWriterObject>> writers_;
};

// The environment variable that names a scenario for the default coordinator.
inline constexpr const char *kScenarioVariable = "VSSAPI_SCENARIO";
// The environment variable that names the default coordinator's default
// provider ("live", "copy", ...; unset: simulated). An unknown name is an
// error as a broken scenario file is.
inline constexpr const char *kProviderVariable = "VSSAPI_PROVIDER";

// Makes the default coordinator come from VSSAPI_SCENARIO when it is set
// (read once, at the first use of the default coordinator). Idempotent.
void use_environment() noexcept;

// Why VSSAPI_SCENARIO could not be used ("file:line:column: ..."), if it
// could not; requester creation then fails with VSS_E_UNEXPECTED so that a
// broken file is never mistaken for a machine without writers.
std::optional<std::string> environment_error();

} // namespace vssapi::scenario
