#include "vssctl/progress.h"

#include "platform/terminal.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace vssctl {

TerminalKind terminal_kind(std::FILE *stream)
{
    if (!vssapi::platform::is_terminal(stream)) {
        return TerminalKind::None;
    }
    // TERM=dumb (Emacs' shell, some CI consoles) shows escape codes as text;
    // so may a console that sets no TERM at all (Windows' own).
    const char *term = std::getenv("TERM");
    if (term == nullptr || *term == '\0' || std::strcmp(term, "dumb") == 0) {
        return TerminalKind::Dumb;
    }
    return TerminalKind::Escapes;
}

Progress::Progress(TerminalKind terminal, std::shared_ptr<vssapi::core::Clock> clock)
    : terminal_(terminal), enabled_(terminal != TerminalKind::None), clock_(std::move(clock))
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
    if (shown_ > 0) {
        erase_locked();
        std::fflush(stderr);
    }
}

void Progress::erase_locked()
{
    if (terminal_ == TerminalKind::Escapes) {
        std::fputs("\r\033[K", stderr);
    } else if (shown_ > 0) {
        // No "erase line" without escape codes: spaces over it.
        std::fprintf(stderr, "\r%s\r", std::string(shown_, ' ').c_str());
    }
    shown_ = 0;
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
        char line[256];
        const int length = std::snprintf(line, sizeof line, "  %s ... %llds (clock +%llds)", step_.c_str(),
                                         static_cast<long long>(real_s), static_cast<long long>(clock_s));
        if (length <= 0) {
            continue;
        }
        if (terminal_ == TerminalKind::Escapes) {
            std::fprintf(stderr, "\r\033[K%s", line);
        } else {
            // The line only grows within a step (seconds), so writing over
            // the old one from its start leaves nothing of it behind.
            std::fprintf(stderr, "\r%s", line);
        }
        std::fflush(stderr);
        shown_ = std::min(static_cast<std::size_t>(length), sizeof line - 1);
    }
}

} // namespace vssctl
