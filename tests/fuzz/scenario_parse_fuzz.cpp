// The scenario parser (abi/scenario.schema.json) on any bytes: a file that
// cannot be used is refused with E_INVALIDARG and a message, and changes nothing.
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    static vss_coordinator *coordinator = [] {
        vss_coordinator_options options{};
        options.size = sizeof options;
        options.virtual_clock = VSS_CLOCK_SIMULATED;
        vss_coordinator *made = nullptr;
        if (vss_coordinator_create(&options, &made) != S_OK) {
            std::abort();
        }
        return made;
    }();
    const std::string text(reinterpret_cast<const char *>(data), size);
    vss_scenario *scenario = nullptr;
    const vss_hresult hr = vss_scenario_load_text(coordinator, text.c_str(), &scenario);
    if (hr == S_OK) {
        if (scenario == nullptr) {
            std::abort();
        }
        vss_scenario_release(scenario);
    } else if (hr != E_INVALIDARG || scenario != nullptr || vss_last_error_message()[0] == '\0') {
        std::abort(); // the only refusal is E_INVALIDARG with a message
    }
    return 0;
}
