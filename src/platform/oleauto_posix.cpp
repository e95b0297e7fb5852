// The BSTR family and task memory for platforms without OLE (contract C-1.3).
// Layout as on Windows: [UINT32 byte length][UTF-16 units][16-bit NUL], the
// BSTR pointing at the first unit. Compiled only off Windows, where the real
// OleAut32/Ole32 functions are used instead.
#include <vssapi/oleauto.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace {

constexpr std::size_t kPrefixBytes = sizeof(std::uint32_t);

// Largest length whose byte count still fits the 32-bit prefix.
constexpr std::size_t kMaxUnits =
    (std::numeric_limits<std::uint32_t>::max() - kPrefixBytes - sizeof(OLECHAR)) / sizeof(OLECHAR);

std::uint32_t stored_byte_length(BSTR value) noexcept
{
    std::uint32_t bytes = 0;
    std::memcpy(&bytes, reinterpret_cast<const unsigned char *>(value) - kPrefixBytes, sizeof bytes);
    return bytes;
}

BSTR allocate(const OLECHAR *units, std::size_t count) noexcept
{
    if (count > kMaxUnits) {
        return nullptr;
    }
    const std::size_t data_bytes = count * sizeof(OLECHAR);
    auto *block = static_cast<unsigned char *>(std::malloc(kPrefixBytes + data_bytes + sizeof(OLECHAR)));
    if (block == nullptr) {
        return nullptr;
    }
    const auto prefix = static_cast<std::uint32_t>(data_bytes);
    std::memcpy(block, &prefix, sizeof prefix);
    auto *text = reinterpret_cast<OLECHAR *>(block + kPrefixBytes);
    if (units != nullptr) {
        std::memcpy(text, units, data_bytes);
    } else {
        std::memset(text, 0, data_bytes); // Windows leaves it undefined; zero is kinder
    }
    text[count] = 0;
    return text;
}

} // namespace

extern "C" {

VSSAPI_EXPORT BSTR STDAPICALLTYPE SysAllocString(const OLECHAR *psz)
{
    if (psz == nullptr) {
        return nullptr;
    }
    std::size_t count = 0;
    while (psz[count] != 0) {
        ++count;
    }
    return allocate(psz, count);
}

VSSAPI_EXPORT BSTR STDAPICALLTYPE SysAllocStringLen(const OLECHAR *strIn, UINT ui)
{
    return allocate(strIn, ui);
}

VSSAPI_EXPORT void STDAPICALLTYPE SysFreeString(BSTR bstrString)
{
    if (bstrString != nullptr) {
        std::free(reinterpret_cast<unsigned char *>(bstrString) - kPrefixBytes);
    }
}

VSSAPI_EXPORT UINT STDAPICALLTYPE SysStringLen(BSTR pbstr)
{
    return pbstr == nullptr ? 0 : stored_byte_length(pbstr) / sizeof(OLECHAR);
}

VSSAPI_EXPORT UINT STDAPICALLTYPE SysStringByteLen(BSTR bstr)
{
    return bstr == nullptr ? 0 : stored_byte_length(bstr);
}

VSSAPI_EXPORT LPVOID STDAPICALLTYPE CoTaskMemAlloc(SIZE_T cb)
{
    return std::malloc(cb == 0 ? 1 : cb);
}

VSSAPI_EXPORT void STDAPICALLTYPE CoTaskMemFree(LPVOID pv)
{
    std::free(pv);
}

} // extern "C"
