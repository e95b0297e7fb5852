// The flat API's coordinator section: the default service, isolated ones and
// their clocks.
#include "capi/flat_common.h"
#include "providers/builtin.h"
#include "capi/sized.h"

using namespace vssapi::capi;
using vssapi::core::Coordinator;

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_default(vss_coordinator **out) noexcept
try {
    if (out == nullptr) {
        return fail(__func__, E_INVALIDARG, "out is NULL");
    }
    *out = reinterpret_cast<vss_coordinator *>(new FlatCoordinator{Coordinator::current(), nullptr});
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_create(const vss_coordinator_options *options,
                                                          vss_coordinator **out) noexcept
try {
    if (out == nullptr) {
        return fail(__func__, E_INVALIDARG, "out is NULL");
    }
    vss_coordinator_options given{}; // NULL options: every field 0, the defaults
    if (options != nullptr) {
        VSSAPI_FLAT_REQUIRE_SIZED(options)
        given = read_sized(*options);
    }
    vssapi::core::CoordinatorOptions settings; // the simulated provider is the default of an isolated one
    settings.more_providers = vssapi::providers::builtin();
    std::shared_ptr<vssapi::core::VirtualClock> virtual_clock;
    settings.workers = given.workers;
    if (given.event_timeout_ms != 0) {
        settings.event_timeout = vssapi::core::Duration(given.event_timeout_ms);
    }
    if (given.commit_window_ms != 0) {
        settings.commit_window = vssapi::core::Duration(given.commit_window_ms);
    }
    if (given.session_limit != 0) {
        settings.session_limit = given.session_limit;
    }
    if (given.virtual_clock == VSS_CLOCK_MANUAL) {
        virtual_clock = std::make_shared<vssapi::core::VirtualClock>();
        settings.clock = virtual_clock;
    } else if (given.virtual_clock == VSS_CLOCK_SIMULATED) {
        settings.clock = std::make_shared<vssapi::core::SimulatedClock>();
    } else if (given.virtual_clock != VSS_CLOCK_REAL) {
        return fail(__func__, E_INVALIDARG, "options->virtual_clock is not a vss_clock_kind");
    }
    *out = reinterpret_cast<vss_coordinator *>(
        new FlatCoordinator{Coordinator::create(std::move(settings)), std::move(virtual_clock)});
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_coordinator_advance_clock(vss_coordinator *coordinator,
                                                                 uint64_t milliseconds) noexcept
try {
    if (coordinator == nullptr) {
        return fail(__func__, E_INVALIDARG, "coordinator is NULL");
    }
    auto *flat_coordinator = reinterpret_cast<FlatCoordinator *>(coordinator);
    if (!flat_coordinator->virtual_clock) {
        return fail(__func__, VSS_E_BAD_STATE,
                    "only a VSS_CLOCK_MANUAL clock moves by hand; this coordinator has a real clock or a simulated one");
    }
    flat_coordinator->virtual_clock->advance(vssapi::core::Duration(milliseconds));
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT void VSS_CALL vss_coordinator_release(vss_coordinator *coordinator) noexcept
{
    delete reinterpret_cast<FlatCoordinator *>(coordinator);
}

} // extern "C"
