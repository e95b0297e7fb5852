// Decodes a fuzzer's bytes into values: every take() is defined for any input
// (past the end it yields zeros and empty strings), so one input always means
// one sequence of calls and a crash replays from the corpus file alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace fuzz {

class Input {
public:
    Input(const uint8_t *data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const { return at_ >= size_; }

    uint8_t byte()
    {
        return at_ < size_ ? data_[at_++] : 0;
    }

    uint32_t u32()
    {
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            value = (value << 8) | byte();
        }
        return value;
    }

    int32_t i32() { return static_cast<int32_t>(u32()); }

    // A small value most of the time, any 32-bit value sometimes: enum and
    // index parameters are most interesting near their ranges.
    int32_t small()
    {
        const uint8_t b = byte();
        return (b & 0x80) != 0 ? i32() : static_cast<int32_t>(b) - 8;
    }

    // Up to 63 bytes, any content (invalid UTF-8 included), NUL-terminated.
    std::string text()
    {
        const std::size_t length = byte() & 0x3f;
        std::string out;
        for (std::size_t i = 0; i < length && !empty(); ++i) {
            out.push_back(static_cast<char>(byte()));
        }
        return out;
    }

    // The rest of the input as text (NULs cut it short, as C strings do).
    std::string rest()
    {
        std::string out(reinterpret_cast<const char *>(data_ + at_), size_ - at_);
        at_ = size_;
        return out;
    }

    template <class Guid>
    Guid guid()
    {
        Guid id{};
        uint8_t bytes[16] = {};
        // Mostly one of a few ids, so calls meet the objects earlier calls made.
        const uint8_t kind = byte();
        if ((kind & 0xc0) == 0xc0) {
            for (uint8_t &b : bytes) {
                b = byte();
            }
        } else {
            bytes[0] = static_cast<uint8_t>(kind & 3);
        }
        static_assert(sizeof(Guid) == sizeof bytes, "a GUID is 16 bytes");
        std::memcpy(&id, bytes, sizeof bytes);
        return id;
    }

private:
    const uint8_t *data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

} // namespace fuzz
