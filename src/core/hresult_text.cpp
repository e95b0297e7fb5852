#include "core/hresult_text.h"

#include <vss.h>
#include <vsserror.h>

#include <charconv>
#include <cstdint>
#include <initializer_list>

namespace vssapi::core {

const HresultText *find_hresult(HRESULT hr) noexcept
{
    for (const HresultText &row : hresult_table()) {
        if (row.value == hr) {
            return &row;
        }
    }
    return nullptr;
}

std::optional<HRESULT> parse_hresult(std::string_view text) noexcept
{
    for (const HresultText &row : hresult_table()) {
        if (text == row.name) {
            return row.value;
        }
    }
    const char *last = text.data() + text.size();
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        std::uint32_t value = 0;
        const char *first = text.data() + 2;
        const auto [end, error] = std::from_chars(first, last, value, 16);
        if (text.size() > 10 || error != std::errc() || end != last) {
            return std::nullopt;
        }
        return static_cast<HRESULT>(value);
    }
    if (text.empty() || text.size() > 11) { // "-2147483648" is the longest
        return std::nullopt;
    }
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), last, value, 10);
    if (error != std::errc() || end != last || value < -2147483648LL || value > 4294967295LL) {
        return std::nullopt;
    }
    return static_cast<HRESULT>(static_cast<std::uint32_t>(value)); // the 32-bit pattern
}

RetryClass retry_class(HRESULT hr) noexcept
{
    switch (hr) {
    case VSS_E_WRITERERROR_RETRYABLE:
    case VSS_E_WRITERERROR_OUTOFRESOURCES:
    case VSS_E_WRITERERROR_TIMEOUT:
    case VSS_E_FLUSH_WRITES_TIMEOUT:
    case VSS_E_HOLD_WRITES_TIMEOUT:
    case VSS_E_PROVIDER_VETO:
    case VSS_E_UNEXPECTED_PROVIDER_ERROR:
        return RetryClass::AfterWait;
    case VSS_E_SNAPSHOT_SET_IN_PROGRESS:
        return RetryClass::ShortBackOff;
    default:
        return RetryClass::No;
    }
}

namespace {

bool in(HRESULT hr, std::initializer_list<HRESULT> codes) noexcept
{
    for (HRESULT code : codes) {
        if (code == hr) {
            return true;
        }
    }
    return false;
}

} // namespace

const char *producer(HRESULT hr) noexcept
{
    if (in(hr, {VSS_E_WRITERERROR_PARTIAL_FAILURE, VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
                VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT, VSS_E_WRITERERROR_RETRYABLE,
                VSS_E_WRITERERROR_NONRETRYABLE})) {
        return "a writer, through CVssWriter::SetWriterFailure or CVssWriterEx2::SetWriterFailureEx (or "
               "IVssComponentEx2::SetFailure for one component); the requester reads it as hrFailureWriter "
               "from GetWriterStatus(Ex) or IVssComponentEx2::GetFailure. VSS_E_WRITERERROR_TIMEOUT also comes "
               "from the service when a writer stays frozen past its freeze timeout";
    }
    if (in(hr, {VSS_E_WRITER_NOT_RESPONDING, VSS_E_WRITER_STATUS_NOT_AVAILABLE, VSS_E_UNEXPECTED_WRITER_ERROR,
                VSS_E_WRITERERROR_RECOVERY_FAILED, VSS_E_WRITER_INFRASTRUCTURE})) {
        return "the VSS service, about a writer (a handler that did not answer, a writer out of sessions, "
               "or the writer infrastructure); read as hrFailureWriter from GetWriterStatus(Ex)";
    }
    if (in(hr, {VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_HOLD_WRITES_TIMEOUT, VSS_E_PROVIDER_VETO,
                VSS_E_UNEXPECTED_PROVIDER_ERROR, VSS_E_TRANSACTION_FREEZE_TIMEOUT,
                VSS_E_TRANSACTION_THAW_TIMEOUT, VSS_E_INSUFFICIENT_STORAGE,
                VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED})) {
        return "the snapshot provider or the service while committing the snapshot set; the requester gets "
               "it from DoSnapshotSet's IVssAsync (Wait, then QueryStatus)";
    }
    if (in(hr, {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED})) {
        return "IVssAsync::QueryStatus (and Cancel), for an asynchronous requester step";
    }
    if (in(hr, {VSS_E_SNAPSHOT_SET_IN_PROGRESS})) {
        return "IVssBackupComponents::StartSnapshotSet or DoSnapshotSet, when another snapshot set is being "
               "created on the machine";
    }
    if (in(hr, {VSS_E_BAD_STATE, VSS_E_OBJECT_NOT_FOUND, VSS_E_OBJECT_ALREADY_EXISTS, VSS_E_UNSUPPORTED_CONTEXT,
                VSS_E_VOLUME_NOT_SUPPORTED, VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER,
                VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, VSS_E_PROVIDER_NOT_REGISTERED, VSS_E_UNSELECTED_VOLUME,
                VSS_E_SNAPSHOT_NOT_IN_SET, VSS_E_NESTED_VOLUME_LIMIT, VSS_E_VOLUME_NOT_LOCAL,
                VSS_E_WRITER_ALREADY_SUBSCRIBED})) {
        return "the method called (IVssBackupComponents, a component object, or CVssWriter::Subscribe), "
               "refusing the call as made: wrong order, unknown object, unsupported argument";
    }
    if (in(hr, {VSS_E_CORRUPT_XML_DOCUMENT, VSS_E_INVALID_XML_DOCUMENT})) {
        return "the methods that read Backup Components or Writer Metadata XML documents";
    }
    if (in(hr, {S_OK, S_FALSE})) {
        return "any method: success";
    }
    if (in(hr, {E_NOTIMPL, E_NOINTERFACE, E_POINTER, E_ABORT, E_FAIL, E_UNEXPECTED, E_ACCESSDENIED,
                E_OUTOFMEMORY, E_INVALIDARG, VSS_E_UNEXPECTED})) {
        return "any COM method of VSS (E_INVALIDARG: a bad argument, nothing changed; E_ACCESSDENIED: the "
               "caller lacks backup rights on Windows; E_OUTOFMEMORY: allocation failed)";
    }
    if (find_hresult(hr) != nullptr) {
        return "the VSS service or a snapshot provider, in snapshot management, restore, revert, ASR, cluster "
               "or remote operations (not the backup sequence of a requester)";
    }
    return "not a VSS code: an application's or Windows' own code (for example hrApplication of "
           "SetWriterFailureEx, or a Win32 error as 0x8007xxxx)";
}

const char *retry_advice(HRESULT hr) noexcept
{
    switch (retry_class(hr)) {
    case RetryClass::AfterWait:
        return "retryable (C-7.1): wait 10 minutes, then run the whole backup again with a new "
               "IVssBackupComponents; at most 3 retries (C-7.2; vssctl --retry, vss_retry_run)";
    case RetryClass::ShortBackOff:
        return "retryable on a short back-off (C-7.1): another snapshot set is in creation; wait 30 seconds "
               "and try again, at most 5 times";
    case RetryClass::No:
        break;
    }
    if (hr == VSS_E_WRITERERROR_NONRETRYABLE || hr == VSS_E_WRITER_NOT_RESPONDING) {
        return "do not retry: the writer is unusable for VSS backups until it is fixed or its service restarts";
    }
    if (hr == VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT) {
        return "do not retry as is: add the volumes the writer's components need to the snapshot set";
    }
    if (hr == VSS_E_WRITERERROR_PARTIAL_FAILURE) {
        return "do not retry the whole backup: read each component's failure (IVssComponentEx2::GetFailure) and "
               "treat the failed components only";
    }
    if (hr == VSS_E_WRITER_STATUS_NOT_AVAILABLE) {
        return "not a retry class of C-7.1, but the SDK suggests retrying when the system is quieter (the "
               "writer ran out of sessions)";
    }
    if (hr >= 0) {
        return "nothing to do: not a failure";
    }
    return "do not retry: the same call would fail the same way";
}

} // namespace vssapi::core
