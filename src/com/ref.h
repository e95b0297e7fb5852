// Owns one COM reference: Release() when it goes.
#pragma once

namespace vssapi::com {

template <class T>
struct Ref {
    T *p = nullptr;
    Ref() = default;
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
    ~Ref() { reset(); }
    void reset()
    {
        if (p != nullptr) {
            T *const gone = p;
            p = nullptr;
            gone->Release();
        }
    }
    T **out() { return &p; }
    T *operator->() const { return p; }
    T &operator*() const { return *p; }
};

} // namespace vssapi::com
