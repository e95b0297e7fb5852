// Structs that grow (the ABI rule of abi/vssapi/vssapi.h, libgit2's model):
// the caller's `size` may be anything from the struct's first published
// layout (FirstLayout<T>, the header's VSS_*_SIZE_V1) up to this library's
// sizeof(T); only the fields that size holds are read or written. Every sized
// entry point goes through check_sized, then read_sized (an input) or
// write_sized (an output).
//
// A field added after 1.0 that owns memory must be allocated only when
// VSSAPI_HAS_FIELD(out, field): write_sized drops what the caller's size
// does not hold without freeing it.
#pragma once

#include "capi/flat_common.h"

#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

namespace vssapi::capi {

// The size of T's first published layout; specialised for every sized struct.
template <class T>
struct FirstLayout;

#define VSSAPI_FIRST_LAYOUT(type, size_v1)                                                        \
    template <>                                                                                   \
    struct FirstLayout<type> {                                                                    \
        static constexpr std::size_t size = size_v1;                                              \
        static_assert(size_v1 <= sizeof(type), "a later layout only appends fields");            \
        static_assert(offsetof(type, size) == 0, "size comes first");                             \
    };
VSSAPI_FIRST_LAYOUT(vss_coordinator_options, VSS_COORDINATOR_OPTIONS_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_writer_info, VSS_WRITER_INFO_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_writer_callbacks, VSS_WRITER_CALLBACKS_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_writer_identity, VSS_WRITER_IDENTITY_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_component_info, VSS_COMPONENT_INFO_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_writer_status, VSS_WRITER_STATUS_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_component_failure, VSS_COMPONENT_FAILURE_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_snapshot_props, VSS_SNAPSHOT_PROPS_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_retry_policy, VSS_RETRY_POLICY_SIZE_V1)
VSSAPI_FIRST_LAYOUT(vss_retry_attempt, VSS_RETRY_ATTEMPT_SIZE_V1)

// Whether the caller's struct (its `size`) holds `member`.
#define VSSAPI_HAS_FIELD(value, member)                                                           \
    (offsetof(std::remove_cv_t<std::remove_reference_t<decltype(*(value))>>, member) +            \
         sizeof((value)->member) <=                                                               \
     (value)->size)

// S_OK when `value` (named `what` in the message) may be used: not NULL and a
// size this library knows. Otherwise E_INVALIDARG under `function`'s name.
template <class T>
HRESULT check_sized(const char *function, const char *what, const T *value) noexcept
{
    try {
        if (value == nullptr) {
            return fail(function, E_INVALIDARG, (std::string(what) + " is NULL").c_str());
        }
        const std::size_t first = FirstLayout<T>::size;
        if (value->size < first || value->size > sizeof(T)) {
            const std::string detail = std::string(what) + "->size is " + std::to_string(value->size) +
                                       "; this library takes " + std::to_string(first) + " (the first layout) to " +
                                       std::to_string(sizeof(T)) + " (its own)";
            return fail(function, E_INVALIDARG, detail.c_str());
        }
        return S_OK;
    } catch (...) {
        return fail(function, E_OUTOFMEMORY);
    }
}

// The caller's input in this library's layout: the fields its size holds, the
// others zero (each field's default). After check_sized.
template <class T>
T read_sized(const T &value) noexcept
{
    T copy{};
    std::memcpy(static_cast<void *>(&copy), &value, value.size);
    return copy;
}

// Writes `filled` into the caller's output: only the fields its size holds;
// its size field and any byte after that size stay as they were. After check_sized.
template <class T>
void write_sized(T &out, const T &filled) noexcept
{
    constexpr std::size_t skip = sizeof(out.size);
    std::memcpy(reinterpret_cast<unsigned char *>(&out) + skip,
                reinterpret_cast<const unsigned char *>(&filled) + skip, out.size - skip);
}

} // namespace vssapi::capi
