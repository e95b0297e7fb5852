// The HRESULT text table agrees with abi/vsserror.h, name for value, and the
// retry classes are contract C-7.1's.
#include "core/hresult_text.h"

#include <vss.h>

#include <doctest/doctest.h>

#include <cstring>
#include <set>

using namespace vssapi::core;

TEST_CASE("every HRESULT of vsserror.h has its name and a meaning in the text table")
{
    struct Row {
        HRESULT value;
        const char *name;
    };
#define ROW(code) Row{code, #code}
    const Row rows[] = {
        ROW(VSS_S_ASYNC_PENDING),
        ROW(VSS_S_ASYNC_FINISHED),
        ROW(VSS_S_ASYNC_CANCELLED),
        ROW(VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED),
        ROW(VSS_E_BAD_STATE),
        ROW(VSS_E_UNEXPECTED),
        ROW(VSS_E_PROVIDER_ALREADY_REGISTERED),
        ROW(VSS_E_PROVIDER_NOT_REGISTERED),
        ROW(VSS_E_PROVIDER_VETO),
        ROW(VSS_E_PROVIDER_IN_USE),
        ROW(VSS_E_OBJECT_NOT_FOUND),
        ROW(VSS_E_VOLUME_NOT_SUPPORTED),
        ROW(VSS_E_OBJECT_ALREADY_EXISTS),
        ROW(VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER),
        ROW(VSS_E_UNEXPECTED_PROVIDER_ERROR),
        ROW(VSS_E_CORRUPT_XML_DOCUMENT),
        ROW(VSS_E_INVALID_XML_DOCUMENT),
        ROW(VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED),
        ROW(VSS_E_FLUSH_WRITES_TIMEOUT),
        ROW(VSS_E_HOLD_WRITES_TIMEOUT),
        ROW(VSS_E_UNEXPECTED_WRITER_ERROR),
        ROW(VSS_E_SNAPSHOT_SET_IN_PROGRESS),
        ROW(VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED),
        ROW(VSS_E_WRITER_INFRASTRUCTURE),
        ROW(VSS_E_WRITER_NOT_RESPONDING),
        ROW(VSS_E_WRITER_ALREADY_SUBSCRIBED),
        ROW(VSS_E_UNSUPPORTED_CONTEXT),
        ROW(VSS_E_VOLUME_IN_USE),
        ROW(VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED),
        ROW(VSS_E_INSUFFICIENT_STORAGE),
        ROW(VSS_E_NO_SNAPSHOTS_IMPORTED),
        ROW(VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED),
        ROW(VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED),
        ROW(VSS_E_REMOTE_SERVER_UNAVAILABLE),
        ROW(VSS_E_REMOTE_SERVER_UNSUPPORTED),
        ROW(VSS_E_REVERT_IN_PROGRESS),
        ROW(VSS_E_REVERT_VOLUME_LOST),
        ROW(VSS_E_REBOOT_REQUIRED),
        ROW(VSS_E_TRANSACTION_FREEZE_TIMEOUT),
        ROW(VSS_E_TRANSACTION_THAW_TIMEOUT),
        ROW(VSS_E_UNSELECTED_VOLUME),
        ROW(VSS_E_SNAPSHOT_NOT_IN_SET),
        ROW(VSS_E_NESTED_VOLUME_LIMIT),
        ROW(VSS_E_VOLUME_NOT_LOCAL),
        ROW(VSS_E_CLUSTER_TIMEOUT),
        ROW(VSS_E_NOT_SUPPORTED),
        ROW(VSS_E_WRITERERROR_PARTIAL_FAILURE),
        ROW(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT),
        ROW(VSS_E_WRITERERROR_OUTOFRESOURCES),
        ROW(VSS_E_WRITERERROR_TIMEOUT),
        ROW(VSS_E_WRITERERROR_RETRYABLE),
        ROW(VSS_E_WRITERERROR_NONRETRYABLE),
        ROW(VSS_E_WRITERERROR_RECOVERY_FAILED),
        ROW(VSS_E_BREAK_REVERT_ID_FAILED),
        ROW(VSS_E_LEGACY_PROVIDER),
        ROW(VSS_E_MISSING_DISK),
        ROW(VSS_E_MISSING_HIDDEN_VOLUME),
        ROW(VSS_E_MISSING_VOLUME),
        ROW(VSS_E_AUTORECOVERY_FAILED),
        ROW(VSS_E_DYNAMIC_DISK_ERROR),
        ROW(VSS_E_NONTRANSPORTABLE_BCD),
        ROW(VSS_E_CANNOT_REVERT_DISKID),
        ROW(VSS_E_RESYNC_IN_PROGRESS),
        ROW(VSS_E_CLUSTER_ERROR),
        ROW(VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED),
        ROW(VSS_E_ASRERROR_DISK_RECREATION_FAILED),
        ROW(VSS_E_ASRERROR_NO_ARCPATH),
        ROW(VSS_E_ASRERROR_MISSING_DYNDISK),
        ROW(VSS_E_ASRERROR_SHARED_CRIDISK),
        ROW(VSS_E_ASRERROR_DATADISK_RDISK0),
        ROW(VSS_E_ASRERROR_RDISK0_TOOSMALL),
        ROW(VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL),
        ROW(VSS_E_WRITER_STATUS_NOT_AVAILABLE),
        ROW(VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED),
        ROW(VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK),
        ROW(VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND),
        ROW(VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE),
        ROW(VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION),
        ROW(VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED),
        ROW(VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN),
        ROW(VSS_E_FSS_TIMEOUT),
        ROW(S_OK), ROW(S_FALSE), ROW(E_FAIL), ROW(E_INVALIDARG), ROW(E_OUTOFMEMORY), ROW(E_UNEXPECTED),
        ROW(E_NOTIMPL), ROW(E_POINTER), ROW(E_NOINTERFACE), ROW(E_ACCESSDENIED),
    };
#undef ROW
    for (const Row &row : rows) {
        CAPTURE(row.name);
        const HresultText *text = find_hresult(row.value);
        REQUIRE(text != nullptr);
        CHECK(std::strcmp(text->name, row.name) == 0);
        CHECK(std::strlen(text->meaning) > 3);
    }
    std::set<HRESULT> values;
    for (const HresultText &text : hresult_table()) {
        CHECK(values.insert(text.value).second); // no code twice
    }
    CHECK(find_hresult(HRESULT(0x12345678)) == nullptr);
}

TEST_CASE("C-7.1 retryable writer and commit codes, the short back-off, and the rest")
{
    for (HRESULT hr : {VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT,
                       VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_HOLD_WRITES_TIMEOUT, VSS_E_PROVIDER_VETO,
                       VSS_E_UNEXPECTED_PROVIDER_ERROR}) {
        CAPTURE(hr);
        CHECK(retry_class(hr) == RetryClass::AfterWait);
    }
    CHECK(retry_class(VSS_E_SNAPSHOT_SET_IN_PROGRESS) == RetryClass::ShortBackOff);
    for (HRESULT hr : {S_OK, VSS_E_WRITERERROR_NONRETRYABLE, VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
                       VSS_E_WRITERERROR_PARTIAL_FAILURE, VSS_E_WRITER_NOT_RESPONDING, VSS_E_BAD_STATE, E_FAIL}) {
        CAPTURE(hr);
        CHECK(retry_class(hr) == RetryClass::No);
    }
}

TEST_CASE("parse_hresult: the one text syntax of scenario files and vssctl explain")
{
    using vssapi::core::parse_hresult;
    CHECK(parse_hresult("VSS_E_WRITERERROR_RETRYABLE") == HRESULT(0x800423F3u));
    CHECK(parse_hresult("E_INVALIDARG") == HRESULT(0x80070057u));
    CHECK(parse_hresult("S_OK") == HRESULT(0));
    CHECK(parse_hresult("0x800423F3") == HRESULT(0x800423F3u));
    CHECK(parse_hresult("0X800423f3") == HRESULT(0x800423F3u));
    CHECK(parse_hresult("0x1") == HRESULT(1));
    CHECK(parse_hresult("0xFFFFFFFF") == HRESULT(0xFFFFFFFFu));
    CHECK(parse_hresult("-2147483648") == HRESULT(0x80000000u));
    CHECK(parse_hresult("4294967295") == HRESULT(0xFFFFFFFFu));
    CHECK(parse_hresult("-2147212301") == HRESULT(0x800423F3u));
    CHECK(parse_hresult("0") == HRESULT(0));
    // Refused.
    CHECK_FALSE(parse_hresult(""));
    CHECK_FALSE(parse_hresult("0x"));
    CHECK_FALSE(parse_hresult("0x123456789"));
    CHECK_FALSE(parse_hresult("0x-1"));
    CHECK_FALSE(parse_hresult("0xZZ"));
    CHECK_FALSE(parse_hresult("-2147483649"));
    CHECK_FALSE(parse_hresult("4294967296"));
    CHECK_FALSE(parse_hresult("99999999999"));
    CHECK_FALSE(parse_hresult("+1"));
    CHECK_FALSE(parse_hresult(" 1"));
    CHECK_FALSE(parse_hresult("1 "));
    CHECK_FALSE(parse_hresult("800423F3")); // no bare hex: "80042301" would also be a decimal
    CHECK_FALSE(parse_hresult("vss_e_writererror_retryable")); // names in exact case
    CHECK_FALSE(parse_hresult("VSS_E_NO_SUCH_CODE"));
}
