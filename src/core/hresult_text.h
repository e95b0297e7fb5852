// What an HRESULT means to a person, and whether it is worth retrying
// (contract C-7.1), and the one text syntax for it. Used by the flat C API,
// vssctl, scenario files and the retry helper.
#pragma once

#include <vssapi/platform.h>

#include <optional>
#include <span>
#include <string_view>

namespace vssapi::core {

struct HresultText {
    HRESULT value;
    const char *name;    // "VSS_E_WRITERERROR_RETRYABLE"
    const char *meaning; // one line
};

// Every VSS HRESULT and the generic COM codes VSS documents.
std::span<const HresultText> hresult_table() noexcept;

// The row of `hr`, or null when it is not a known code.
const HresultText *find_hresult(HRESULT hr) noexcept;

// The one syntax for an HRESULT written as text, in scenario files and on
// vssctl's command line: a name of hresult_table() (exact case), "0x" or "0X"
// and 1 to 8 hex digits, or a decimal integer from -2147483648 to 4294967295
// (its 32-bit pattern). Nothing else: no '+', no spaces, no bare hex.
std::optional<HRESULT> parse_hresult(std::string_view text) noexcept;

enum class RetryClass {
    No,         // do not retry
    AfterWait,  // the long wait, a fresh requester (C-7.1 writer and commit codes)
    ShortBackOff, // VSS_E_SNAPSHOT_SET_IN_PROGRESS
};

RetryClass retry_class(HRESULT hr) noexcept;

// Who produces `hr` and where a requester meets it (vssctl explain). One
// line; never null, also for codes outside the table.
const char *producer(HRESULT hr) noexcept;

// What to do about `hr` (C-7 and the SDK's "writer errors and vetoes"
// advice). One or two lines; never null.
const char *retry_advice(HRESULT hr) noexcept;

} // namespace vssapi::core
