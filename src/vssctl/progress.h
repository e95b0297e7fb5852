// A one-line progress display on a terminal for steps that take longer than
// a second of real time (a --real-time run, or a slow machine).
#pragma once

#include "core/clock.h"

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace vssctl {

// How vssctl may write to a stream: not a terminal (a file, a pipe: plain
// text only, no progress line), a terminal without escape codes (TERM=dumb,
// or no TERM: carriage returns and spaces only), or one that takes them.
enum class TerminalKind { None, Dumb, Escapes };
TerminalKind terminal_kind(std::FILE *stream);

class Progress {
public:
    // Shows nothing unless `terminal` (what stderr is) is a terminal.
    Progress(TerminalKind terminal, std::shared_ptr<vssapi::core::Clock> clock);
    ~Progress();
    Progress(const Progress &) = delete;
    Progress &operator=(const Progress &) = delete;

    void step(const std::string &name); // a new step starts now
    void clear();                       // before other output: no half line left behind

private:
    void run();
    void erase_locked(); // the line shown, if any, gone; lock_ held

    const TerminalKind terminal_;
    const bool enabled_;
    const std::shared_ptr<vssapi::core::Clock> clock_;
    std::mutex lock_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::size_t shown_ = 0; // bytes of the line on the screen (0: none)
    std::string step_;
    std::chrono::steady_clock::time_point step_start_{};
    vssapi::core::TimePoint clock_start_{};
    std::thread thread_;
};

} // namespace vssctl
