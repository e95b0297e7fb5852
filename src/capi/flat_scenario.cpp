// The flat API's scenario section: mock writers from a scenario file.
#include "capi/flat_common.h"
#include "scenario/load.h"

using namespace vssapi::capi;

namespace {

vss_hresult load_scenario(const char *function, vss_coordinator *coordinator,
                          const vssapi::scenario::ParseResult &parsed, vss_scenario **out)
{
    if (!parsed.scenario) {
        const std::string message = parsed.error->to_string();
        return fail(function, E_INVALIDARG, message.c_str());
    }
    std::unique_ptr<vssapi::scenario::LoadedScenario> loaded;
    std::string error;
    const HRESULT hr = vssapi::scenario::LoadedScenario::load(coordinator_of(coordinator), *parsed.scenario,
                                                              loaded, error);
    if (FAILED(hr)) {
        return fail(function, hr, error.c_str());
    }
    *out = reinterpret_cast<vss_scenario *>(loaded.release());
    return S_OK;
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_scenario_load(vss_coordinator *coordinator, const char *path,
                                                     vss_scenario **out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(out != nullptr && path != nullptr, "path or out is NULL")
    *out = nullptr;
    return load_scenario(__func__, coordinator, vssapi::scenario::parse_scenario_file(path), out);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_scenario_load_text(vss_coordinator *coordinator, const char *json,
                                                          vss_scenario **out) noexcept
try {
    VSSAPI_FLAT_REQUIRE(out != nullptr && json != nullptr, "json or out is NULL")
    *out = nullptr;
    return load_scenario(__func__, coordinator, vssapi::scenario::parse_scenario_text(json, "<text>"), out);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_scenario_release(vss_scenario *scenario) noexcept
{
    delete reinterpret_cast<vssapi::scenario::LoadedScenario *>(scenario);
}

} // extern "C"
