// Owning BSTR and conversions between BSTRs and std::u16string (contract C-1.3).
// On Windows the SysAllocString family is OleAut32's; elsewhere it is ours
// (src/platform/oleauto_posix.cpp). Either way this code calls the same names.
#pragma once

#include <vssapi/oleauto.h>
#include <vssapi/platform.h>

#include <string>
#include <string_view>
#include <utility>

namespace vssapi::com {

// Copies `text` (embedded NULs kept) into a new BSTR. Empty text gives a
// zero-length BSTR, not NULL; throws std::bad_alloc when allocation fails.
BSTR make_bstr(std::u16string_view text);

// The units of a BSTR, by its length prefix; NULL reads as empty.
std::u16string_view bstr_view(BSTR value) noexcept;

// Reads a caller's NUL-terminated wide string; NULL reads as empty.
std::u16string_view wide_view(const WCHAR *text) noexcept;

// Unique owner of a BSTR, freed with SysFreeString.
class Bstr {
public:
    Bstr() noexcept = default;
    explicit Bstr(BSTR owned) noexcept : value_(owned) {}
    explicit Bstr(std::u16string_view text) : value_(make_bstr(text)) {}
    Bstr(const Bstr &) = delete;
    Bstr &operator=(const Bstr &) = delete;
    Bstr(Bstr &&other) noexcept : value_(std::exchange(other.value_, nullptr)) {}
    Bstr &operator=(Bstr &&other) noexcept
    {
        if (this != &other) {
            SysFreeString(value_);
            value_ = std::exchange(other.value_, nullptr);
        }
        return *this;
    }
    ~Bstr() { SysFreeString(value_); }

    BSTR get() const noexcept { return value_; }
    // For an [out] BSTR* argument: frees what is held, then lends the slot.
    BSTR *put() noexcept
    {
        SysFreeString(value_);
        value_ = nullptr;
        return &value_;
    }
    BSTR release() noexcept { return std::exchange(value_, nullptr); }
    std::u16string_view view() const noexcept { return bstr_view(value_); }

private:
    BSTR value_ = nullptr;
};

} // namespace vssapi::com
