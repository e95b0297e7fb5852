// Providers written by the user (a C callback table, a vsprov.h object). Their
// code may be unloaded once unregistered, so calls into it are counted: close()
// waits for the running ones and no call starts after it (C-5.6: nothing of a
// provider runs once it is gone).
#pragma once

#include "core/snapshot_provider.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

namespace vssapi::providers {

class UserProvider : public core::SnapshotProvider {
public:
    // No call starts after this; waits for the running ones, then on_close().
    void close() noexcept
    {
        {
            std::unique_lock<std::mutex> hold(lock_);
            if (closed_) {
                return;
            }
            closed_ = true;
            idle_.wait(hold, [this] { return running_ == 0; });
        }
        on_close();
    }

protected:
    // Called once, after the last call into the user's code returned.
    virtual void on_close() noexcept {}

    // What a user's answer for a volume means (C-5.4): S_OK takes the volume
    // as given; VSS_E_OBJECT_NOT_FOUND stays; anything else is a volume this
    // provider does not support.
    static HRESULT volume_answer(HRESULT answer, std::u16string_view volume, core::VolumeName &name)
    {
        if (answer == S_OK) {
            name.unique = std::u16string(volume);
            name.path = name.unique;
        }
        return answer == S_OK || answer == VSS_E_OBJECT_NOT_FOUND ? answer : VSS_E_VOLUME_NOT_SUPPORTED;
    }

    bool closed() const noexcept
    {
        const std::lock_guard<std::mutex> hold(lock_);
        return closed_;
    }

    // One call into the user's code; `admitted` is false once closed.
    class Call {
    public:
        explicit Call(const UserProvider &owner) noexcept : provider_(owner)
        {
            const std::lock_guard<std::mutex> hold(provider_.lock_);
            admitted = !provider_.closed_;
            provider_.running_ += admitted ? 1 : 0;
        }
        ~Call()
        {
            if (admitted) {
                const std::lock_guard<std::mutex> hold(provider_.lock_);
                if (--provider_.running_ == 0) {
                    provider_.idle_.notify_all();
                }
            }
        }
        Call(const Call &) = delete;
        Call &operator=(const Call &) = delete;
        bool admitted = false;

    private:
        const UserProvider &provider_;
    };

private:
    mutable std::mutex lock_;
    mutable std::condition_variable idle_;
    mutable int running_ = 0;
    bool closed_ = false;
};

} // namespace vssapi::providers
