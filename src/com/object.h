// The reference-counted base of every COM object the library hands out.
//
//   class Async final : public com::ComObject<Async, IVssAsync> {
//   public:
//       static gsl::span<const com::InterfaceEntry> interface_table() noexcept;
//       ...
//   };
//
// - AddRef/Release are atomic; the object starts with one reference.
// - QueryInterface is driven by the class's IID table; QI for IUnknown always
//   answers the same pointer (the first interface's IUnknown), an unknown IID
//   gives E_NOINTERFACE with *ppv = NULL, a NULL ppv gives E_POINTER.
// - The first listed interface may be one of the SDK's two multiple-inheritance
//   interfaces (IVssWriterComponentsExt, IVssCreateWriterMetadataEx): the
//   identity is then their second, IUnknown, vtable pointer.
// - When the count reaches zero, Derived::on_final_release() runs (semantic
//   effects such as OnBackupShutdown) and the object becomes a tombstone kept
//   in a bounded quarantine, so that a late call on it (C-6.3) is reported
//   instead of reading freed memory. It is deleted when evicted.
//
// Destructors live here and on implementation classes, never on interfaces.
#pragma once

#include "com/misuse.h"

#include <vssapi/platform.h>

#include <gsl/gsl>

#include <atomic>
#include <cstddef>

namespace vssapi::com {

// One row of a QueryInterface table: an IID and how to reach that interface.
struct InterfaceEntry {
    const IID *iid;
    const char *name;
    void *(*cast)(void *self) noexcept;
};

template <class Derived, class Interface>
void *interface_cast(void *self) noexcept
{
    return static_cast<Interface *>(static_cast<Derived *>(self));
}

// Type-erased owner of a tombstone, so the quarantine can delete any object.
class Tombstone {
public:
    virtual ~Tombstone() = default;
};

// Keeps the most recently released objects alive as tombstones. Returns the
// evicted tombstone (to delete) or nullptr.
Tombstone *quarantine_push(gsl::not_null<Tombstone *> released) noexcept;

// Quarantine size: released objects that keep answering "caller bug" before
// their memory is reused.
inline constexpr std::size_t kQuarantineSize = 256;

template <class Derived, class... Interfaces>
class ComObject : public Interfaces..., private Tombstone {
    template <class First, class...>
    struct FirstOf {
        using type = First;
    };
    using Primary = typename FirstOf<Interfaces...>::type;

public:
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        if (!check_alive("QueryInterface")) {
            return E_UNEXPECTED;
        }
        if (ppvObject == nullptr) {
            return E_POINTER;
        }
        *ppvObject = nullptr;
        if (IsEqualIID(riid, IID_IUnknown)) {
            *ppvObject = identity();
        } else {
            for (const InterfaceEntry &entry : Derived::interface_table()) {
                if (IsEqualIID(riid, *entry.iid)) {
                    *ppvObject = entry.cast(static_cast<Derived *>(this));
                    break;
                }
            }
        }
        if (*ppvObject == nullptr) {
            return E_NOINTERFACE;
        }
        refs_.fetch_add(1, std::memory_order_relaxed);
        return S_OK;
    }

    ULONG STDMETHODCALLTYPE AddRef() noexcept override
    {
        ULONG current = refs_.load(std::memory_order_relaxed);
        do {
            if (current == 0) {
                report_misuse(interface_name(), "AddRef on a released object");
                return 0;
            }
        } while (!refs_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
        return current + 1;
    }

    ULONG STDMETHODCALLTYPE Release() noexcept override
    {
        ULONG current = refs_.load(std::memory_order_relaxed);
        do {
            if (current == 0) {
                report_misuse(interface_name(), "Release on a released object (count below zero)");
                return 0;
            }
        } while (!refs_.compare_exchange_weak(current, current - 1, std::memory_order_acq_rel));
        if (current == 1) {
            static_cast<Derived *>(this)->on_final_release();
            delete quarantine_push(static_cast<Tombstone *>(this));
        }
        return current - 1;
    }

    // The name used in misuse reports: the class's first table entry.
    static const char *interface_name() noexcept { return Derived::interface_table()[0].name; }

    // The reference count, for tests and debug logs only.
    ULONG debug_ref_count() const noexcept { return refs_.load(std::memory_order_relaxed); }

protected:
    ComObject() = default;
    ~ComObject() override = default;
    ComObject(const ComObject &) = delete;
    ComObject &operator=(const ComObject &) = delete;

    // Hook for semantic effects of the last Release; hidden by Derived if needed.
    void on_final_release() noexcept {}

    // Every other vtable method starts with this check (C-6.3).
    bool check_alive(const char *method) const noexcept
    {
        if (refs_.load(std::memory_order_acquire) == 0) {
            report_misuse(interface_name(), method);
            return false;
        }
        return true;
    }

    IUnknown *identity() noexcept
    {
        return static_cast<IUnknown *>(static_cast<Primary *>(static_cast<Derived *>(this)));
    }

private:
    std::atomic<ULONG> refs_{1};
};

} // namespace vssapi::com

// First statement of every vtable method other than IUnknown's.
#define VSSAPI_CHECK_ALIVE()                   \
    do {                                       \
        if (!this->check_alive(__func__)) {    \
            return E_UNEXPECTED;               \
        }                                      \
    } while (0)
