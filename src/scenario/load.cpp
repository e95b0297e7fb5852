#include "scenario/load.h"

#include "providers/builtin.h"

#include "scenario/scripted_provider.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace vssapi::scenario {

core::CoordinatorOptions program_options()
{
    core::CoordinatorOptions options;
    // The simulated provider stays the default: `live` as the default of a
    // Windows program also needs IsPathAffected, IsVolumeSnapshotted and
    // GetSnapshotDeviceName to map a path to its volume's unique name, which
    // they do not do yet; until then a program or scenario chooses it by id
    // or name.
    options.more_providers = providers::builtin();
    return options;
}

core::CoordinatorOptions coordinator_options(const Scenario &scenario, bool real_time)
{
    core::CoordinatorOptions options = program_options();
    options.event_timeout = scenario.service.event_timeout;
    options.commit_window = scenario.service.commit_window;
    if (real_time || scenario.service.clock == ClockKind::Real) {
        options.clock = core::make_real_clock();
    } else {
        options.clock = std::make_shared<core::SimulatedClock>();
    }
    return options;
}

LoadedScenario::LoadedScenario(std::shared_ptr<core::Coordinator> coordinator, const Scenario &scenario)
    : scenario_(scenario), coordinator_(std::move(coordinator)), release_(std::make_shared<HangRelease>())
{
}

HRESULT LoadedScenario::load(std::shared_ptr<core::Coordinator> coordinator, const Scenario &scenario,
                             std::unique_ptr<LoadedScenario> &out, std::string &error)
{
    std::unique_ptr<LoadedScenario> loaded(new LoadedScenario(std::move(coordinator), scenario));
    for (const MockWriter &spec : loaded->scenario_.writers) {
        auto writer = std::make_unique<MockWriterObject>(spec, loaded->coordinator_, loaded->release_);
        const HRESULT hr = writer->start();
        if (FAILED(hr)) {
            char code[16];
            std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(hr));
            error = "writer '" + std::string(spec.identity.name.begin(), spec.identity.name.end()) +
                    "' could not subscribe: " + code;
            return hr; // `loaded` unsubscribes the ones before it
        }
        loaded->writers_.push_back(std::move(writer));
    }
    loaded->previous_provider_ = loaded->coordinator_->provider();
    std::shared_ptr<core::SnapshotProvider> base = loaded->previous_provider_;
    if (loaded->scenario_.provider.name != ProviderName::Default) {
        static constexpr const char *kNames[] = {"", "simulated", "live", "copy", "btrfs", "reflink", "fsfreeze"};
        const char *name = kNames[static_cast<int>(loaded->scenario_.provider.name)];
        base = providers::by_name(loaded->coordinator_->providers(), name);
        if (!base) {
            error = std::string("provider '") + name + "' is not registered on this coordinator";
            return VSS_E_PROVIDER_NOT_REGISTERED;
        }
    }
    loaded->coordinator_->set_provider(
        std::make_shared<ScriptedProvider>(loaded->scenario_.provider, loaded->coordinator_->clock(), std::move(base)));
    out = std::move(loaded);
    return S_OK;
}

LoadedScenario::~LoadedScenario()
{
    release_->release();
    for (auto &writer : writers_) {
        writer->stop();
    }
    if (previous_provider_) {
        coordinator_->set_provider(previous_provider_);
    }
}

// ---- VSSAPI_SCENARIO ------------------------------------------------------

namespace {

std::mutex g_environment_lock;
std::optional<std::string> g_environment_error;
LoadedScenario *g_environment_scenario = nullptr; // lives as long as the process, like the default coordinator

void remember_error(const std::string &error)
{
    const std::lock_guard<std::mutex> hold(g_environment_lock);
    g_environment_error = error;
}

// VSSAPI_PROVIDER names the default provider of the process's coordinator
// (a program's AddToSnapshotSet with GUID_NULL): the configuration's choice
// of C-5.5. A name no provider has is an error, never a fallback.
bool choose_default_provider(core::CoordinatorOptions &options)
{
    const char *name = std::getenv(kProviderVariable);
    if (name == nullptr || *name == 0) {
        return true;
    }
    if (auto provider = providers::by_name(options.more_providers, name)) {
        options.provider = std::move(provider);
        return true;
    }
    const std::string error = std::string(kProviderVariable) + "=" + name +
                              ": no such provider (simulated, live, copy, btrfs, reflink, fsfreeze)";
    std::fprintf(stderr, "openvss: %s\n", error.c_str());
    remember_error(error);
    return false;
}

std::shared_ptr<core::Coordinator> coordinator_from_environment()
{
    const char *path = std::getenv(kScenarioVariable);
    if (path == nullptr || *path == 0) {
        core::CoordinatorOptions options = program_options();
        choose_default_provider(options);
        return core::Coordinator::create(std::move(options));
    }
    ParseResult parsed = parse_scenario_file(path);
    std::string error;
    if (parsed.scenario) {
        core::CoordinatorOptions options = coordinator_options(*parsed.scenario, false);
        if (!choose_default_provider(options)) {
            return core::Coordinator::create(program_options());
        }
        auto coordinator = core::Coordinator::create(std::move(options));
        std::unique_ptr<LoadedScenario> loaded;
        if (SUCCEEDED(LoadedScenario::load(coordinator, *parsed.scenario, loaded, error))) {
            g_environment_scenario = loaded.release();
            return coordinator;
        }
    } else {
        error = parsed.error->to_string();
    }
    std::fprintf(stderr, "openvss: %s=%s: %s\n", kScenarioVariable, path, error.c_str());
    remember_error(error);
    return core::Coordinator::create(program_options()); // no half-loaded scenario
}

} // namespace

void use_environment() noexcept
{
    core::Coordinator::set_default_factory(&coordinator_from_environment);
}

std::optional<std::string> environment_error()
{
    core::Coordinator::current(); // reads the variable if nothing did yet
    const std::lock_guard<std::mutex> hold(g_environment_lock);
    return g_environment_error;
}

} // namespace vssapi::scenario
