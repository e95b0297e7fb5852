// SQLite-style fault injection: this test program replaces the global
// operator new, and the N-th allocation after arm(N) fails (std::bad_alloc, or
// nullptr for the nothrow forms). Counted across all threads of the process:
// the library's workers and operation threads allocate too.
#pragma once

namespace faults {

// The N-th allocation from now fails, once (N >= 1). 0 disarms.
void arm(long n) noexcept;
// Whether the armed allocation has failed since the last arm().
bool fired() noexcept;
// Allocations counted since the last arm() (fired or not).
long counted() noexcept;

// Stops counting for the life of the object, then goes on where it stopped:
// for code that cannot survive a failed allocation (see faults_test.cpp).
class Paused {
public:
    Paused() noexcept;
    ~Paused();
    Paused(const Paused &) = delete;
    Paused &operator=(const Paused &) = delete;

private:
    long left_;
};

} // namespace faults
