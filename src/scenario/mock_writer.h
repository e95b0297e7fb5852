// One mock writer of a scenario, built the way a writer author builds one: a
// table of handlers over the library's IVssWriterImpl. It declares its
// metadata through IVssCreateWriterMetadataEx, reports with
// SetWriterFailure(Ex) and fails components with IVssComponentEx2::SetFailure,
// so a scenario exercises the very paths a real writer takes.
#pragma once

#include "core/coordinator.h"
#include "scenario/scenario.h"

#include <vswriter.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace vssapi::scenario {

// Lets handlers that "never return" go once the scenario is unloaded, so
// their pool threads end.
class HangRelease {
public:
    void release();
    void wait(core::Clock &clock);

private:
    std::mutex lock_;
    std::condition_variable released_cv_;
    bool released_ = false;
};

class MockWriterObject {
public:
    MockWriterObject(const MockWriter &spec, std::shared_ptr<core::Coordinator> coordinator,
                     std::shared_ptr<HangRelease> release);
    ~MockWriterObject();
    MockWriterObject(const MockWriterObject &) = delete;
    MockWriterObject &operator=(const MockWriterObject &) = delete;

    // Creates, initializes and subscribes the writer.
    HRESULT start();
    // Unsubscribes and lets go of the writer object; safe more than once.
    void stop() noexcept;

    const MockWriter &spec() const noexcept { return spec_; }

private:
    template <core::Event E>
    static int32_t STDMETHODCALLTYPE on_event(void *context);
    template <core::Event E>
    static int32_t STDMETHODCALLTYPE on_components_event(void *context, IVssWriterComponents *components);
    static int32_t STDMETHODCALLTYPE on_identify(void *context, IVssCreateWriterMetadataEx *metadata);
    static int32_t STDMETHODCALLTYPE on_backup_shutdown(void *context, const VSS_ID *snapshot_set_id);

    int32_t act(core::Event event, IVssWriterComponents *components) noexcept;
    HRESULT declare(IVssCreateWriterMetadataEx &metadata) const;
    void fail_component(IVssWriterComponents &components, const ComponentFailureAction &failure) const;

    const MockWriter spec_;
    const std::shared_ptr<core::Coordinator> coordinator_;
    const std::shared_ptr<HangRelease> release_;
    IVssWriterImpl *impl_ = nullptr;
    std::array<std::atomic<unsigned>, kEventCount> calls_{}; // per event, for EventAction::times
};

} // namespace vssapi::scenario
