// Why a call was refused or failed, in words (contract C-3.8 diagnostics).
//
// The state machine (core/state_machine.*) writes a reason for every call it
// refuses: the call, the phase the object is in and what had to come first.
// The reason is kept for the calling thread, where the flat API picks it up for
// vss_last_error_message(), and is written as one line to the diagnostic log
// that VSSAPI_LOG turns on ("stderr", or a file path to append to). Off by
// default: when VSSAPI_LOG is unset nothing is formatted or written.
// Admitted calls that fail later (an asynchronous step whose IVssAsync ends
// in a failure) are logged too, one line each.
#pragma once

#include <vssapi/platform.h>

#include <string>

namespace vssapi::core {

// Records `reason` as the answer `hr` of `call` on this thread and logs it.
void note_refusal(const char *call, HRESULT hr, const std::string &reason) noexcept;

// Logs that `call`, admitted, failed with `hr` (`what` says how); keeps no
// record: an asynchronous step ends on its own thread.
void note_failure(const char *call, HRESULT hr, const std::string &what) noexcept;

// The reason recorded on this thread for `hr`, or "" when the last recorded
// refusal was another code; either way the record is cleared.
std::string take_refusal_reason(HRESULT hr) noexcept;

// Forgets this thread's record (a call that was admitted).
void clear_refusal() noexcept;

// True when VSSAPI_LOG names a destination; read once per process.
bool diagnostic_log_enabled() noexcept;

// Writes one line ("vssapi: <text>") to the diagnostic log, if it is on.
void diagnostic_log(const std::string &line) noexcept;

} // namespace vssapi::core
