#include "allocation_faults.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<long> countdown{0}; // > 0: allocations until the one that fails
std::atomic<bool> failed{false};
std::atomic<long> seen{0};

bool should_fail() noexcept
{
    seen.fetch_add(1, std::memory_order_relaxed);
    long left = countdown.load(std::memory_order_relaxed);
    while (left > 0) {
        if (countdown.compare_exchange_weak(left, left - 1)) {
            if (left == 1) {
                failed.store(true);
                return true;
            }
            return false;
        }
    }
    return false;
}

void *allocate(std::size_t size) noexcept
{
    return should_fail() ? nullptr : std::malloc(size == 0 ? 1 : size);
}

void *allocate_aligned(std::size_t size, std::align_val_t align) noexcept
{
    if (should_fail()) {
        return nullptr;
    }
    const std::size_t alignment = static_cast<std::size_t>(align);
    const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
#ifdef _WIN32
    return _aligned_malloc(rounded == 0 ? alignment : rounded, alignment);
#else
    return std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
#endif
}

void release_aligned(void *p) noexcept
{
#ifdef _WIN32
    _aligned_free(p);
#else
    std::free(p);
#endif
}

} // namespace

namespace faults {

void arm(long n) noexcept
{
    failed.store(false);
    seen.store(0);
    countdown.store(n > 0 ? n : 0);
}

bool fired() noexcept
{
    return failed.load();
}

long counted() noexcept
{
    return seen.load();
}

Paused::Paused() noexcept : left_(countdown.exchange(0)) {}

Paused::~Paused()
{
    countdown.store(left_);
}

} // namespace faults

void *operator new(std::size_t size)
{
    void *p = allocate(size);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}
void *operator new[](std::size_t size)
{
    return operator new(size);
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    return allocate(size);
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
    return allocate(size);
}
void *operator new(std::size_t size, std::align_val_t align)
{
    void *p = allocate_aligned(size, align);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}
void *operator new[](std::size_t size, std::align_val_t align)
{
    return operator new(size, align);
}
void operator delete(void *p) noexcept
{
    std::free(p);
}
void operator delete[](void *p) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::align_val_t) noexcept
{
    release_aligned(p);
}
void operator delete[](void *p, std::align_val_t) noexcept
{
    release_aligned(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept
{
    release_aligned(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept
{
    release_aligned(p);
}
