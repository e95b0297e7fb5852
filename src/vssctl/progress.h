// A one-line progress display on a terminal for steps that take longer than
// a second of real time (a --real-time run, or a slow machine).
#pragma once

#include "core/clock.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace vssctl {

class Progress {
public:
    // Shows nothing unless `enabled` (stderr is a terminal).
    Progress(bool enabled, std::shared_ptr<vssapi::core::Clock> clock);
    ~Progress();
    Progress(const Progress &) = delete;
    Progress &operator=(const Progress &) = delete;

    void step(const std::string &name); // a new step starts now
    void clear();                       // before other output: no half line left behind

private:
    void run();

    const bool enabled_;
    const std::shared_ptr<vssapi::core::Clock> clock_;
    std::mutex lock_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool shown_ = false;
    std::string step_;
    std::chrono::steady_clock::time_point step_start_{};
    vssapi::core::TimePoint clock_start_{};
    std::thread thread_;
};

} // namespace vssctl
