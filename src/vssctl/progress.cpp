#include "vssctl/progress.h"

#include <cstdio>

namespace vssctl {

Progress::Progress(bool enabled, std::shared_ptr<vssapi::core::Clock> clock)
    : enabled_(enabled), clock_(std::move(clock))
{
    if (enabled_) {
        thread_ = std::thread([this] { run(); });
    }
}

Progress::~Progress()
{
    if (!enabled_) {
        return;
    }
    {
        const std::lock_guard<std::mutex> hold(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    clear();
}

void Progress::step(const std::string &name)
{
    if (!enabled_) {
        return;
    }
    clear();
    const std::lock_guard<std::mutex> hold(lock_);
    step_ = name;
    step_start_ = std::chrono::steady_clock::now();
    clock_start_ = clock_->now();
}

void Progress::clear()
{
    if (!enabled_) {
        return;
    }
    const std::lock_guard<std::mutex> hold(lock_);
    if (shown_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        shown_ = false;
    }
}

void Progress::run()
{
    std::unique_lock<std::mutex> hold(lock_);
    while (!wake_.wait_for(hold, std::chrono::milliseconds(200), [this] { return stopping_; })) {
        if (step_.empty()) {
            continue;
        }
        const auto real = std::chrono::steady_clock::now() - step_start_;
        if (real < std::chrono::seconds(1)) {
            continue;
        }
        const auto real_s = std::chrono::duration_cast<std::chrono::seconds>(real).count();
        const auto clock_s = std::chrono::duration_cast<std::chrono::seconds>(clock_->now() - clock_start_).count();
        std::fprintf(stderr, "\r\033[K  %s ... %llds (clock +%llds)", step_.c_str(), static_cast<long long>(real_s),
                     static_cast<long long>(clock_s));
        std::fflush(stderr);
        shown_ = true;
    }
}

} // namespace vssctl
