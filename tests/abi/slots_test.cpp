// C-1.2: every vtable slot of the C view equals the SDK's slot number.
#include "slots.h"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

namespace {

struct ExpectedSlot {
    const char *interface_name;
    const char *method;
    size_t slot;
};

// Typed from vss-facts.md section 3 (3.1 IVssAsync/IVssEnumObject, 3.2 the
// IVssBackupComponents family), not derived from the headers.
constexpr ExpectedSlot kExpected[] = {
    {"IVssBackupComponentsEx4", "QueryInterface", 0},
    {"IVssBackupComponentsEx4", "AddRef", 1},
    {"IVssBackupComponentsEx4", "Release", 2},
    {"IVssBackupComponentsEx4", "GetWriterComponentsCount", 3},
    {"IVssBackupComponentsEx4", "GetWriterComponents", 4},
    {"IVssBackupComponentsEx4", "InitializeForBackup", 5},
    {"IVssBackupComponentsEx4", "SetBackupState", 6},
    {"IVssBackupComponentsEx4", "InitializeForRestore", 7},
    {"IVssBackupComponentsEx4", "SetRestoreState", 8},
    {"IVssBackupComponentsEx4", "GatherWriterMetadata", 9},
    {"IVssBackupComponentsEx4", "GetWriterMetadataCount", 10},
    {"IVssBackupComponentsEx4", "GetWriterMetadata", 11},
    {"IVssBackupComponentsEx4", "FreeWriterMetadata", 12},
    {"IVssBackupComponentsEx4", "AddComponent", 13},
    {"IVssBackupComponentsEx4", "PrepareForBackup", 14},
    {"IVssBackupComponentsEx4", "AbortBackup", 15},
    {"IVssBackupComponentsEx4", "GatherWriterStatus", 16},
    {"IVssBackupComponentsEx4", "GetWriterStatusCount", 17},
    {"IVssBackupComponentsEx4", "FreeWriterStatus", 18},
    {"IVssBackupComponentsEx4", "GetWriterStatus", 19},
    {"IVssBackupComponentsEx4", "SetBackupSucceeded", 20},
    {"IVssBackupComponentsEx4", "SetBackupOptions", 21},
    {"IVssBackupComponentsEx4", "SetSelectedForRestore", 22},
    {"IVssBackupComponentsEx4", "SetRestoreOptions", 23},
    {"IVssBackupComponentsEx4", "SetAdditionalRestores", 24},
    {"IVssBackupComponentsEx4", "SetPreviousBackupStamp", 25},
    {"IVssBackupComponentsEx4", "SaveAsXML", 26},
    {"IVssBackupComponentsEx4", "BackupComplete", 27},
    {"IVssBackupComponentsEx4", "AddAlternativeLocationMapping", 28},
    {"IVssBackupComponentsEx4", "AddRestoreSubcomponent", 29},
    {"IVssBackupComponentsEx4", "SetFileRestoreStatus", 30},
    {"IVssBackupComponentsEx4", "AddNewTarget", 31},
    {"IVssBackupComponentsEx4", "SetRangesFilePath", 32},
    {"IVssBackupComponentsEx4", "PreRestore", 33},
    {"IVssBackupComponentsEx4", "PostRestore", 34},
    {"IVssBackupComponentsEx4", "SetContext", 35},
    {"IVssBackupComponentsEx4", "StartSnapshotSet", 36},
    {"IVssBackupComponentsEx4", "AddToSnapshotSet", 37},
    {"IVssBackupComponentsEx4", "DoSnapshotSet", 38},
    {"IVssBackupComponentsEx4", "DeleteSnapshots", 39},
    {"IVssBackupComponentsEx4", "ImportSnapshots", 40},
    {"IVssBackupComponentsEx4", "BreakSnapshotSet", 41},
    {"IVssBackupComponentsEx4", "GetSnapshotProperties", 42},
    {"IVssBackupComponentsEx4", "Query", 43},
    {"IVssBackupComponentsEx4", "IsVolumeSupported", 44},
    {"IVssBackupComponentsEx4", "DisableWriterClasses", 45},
    {"IVssBackupComponentsEx4", "EnableWriterClasses", 46},
    {"IVssBackupComponentsEx4", "DisableWriterInstances", 47},
    {"IVssBackupComponentsEx4", "ExposeSnapshot", 48},
    {"IVssBackupComponentsEx4", "RevertToSnapshot", 49},
    {"IVssBackupComponentsEx4", "QueryRevertStatus", 50},
    {"IVssBackupComponentsEx4", "GetWriterMetadataEx", 51},
    {"IVssBackupComponentsEx4", "SetSelectedForRestoreEx", 52},
    {"IVssBackupComponentsEx4", "UnexposeSnapshot", 53},
    {"IVssBackupComponentsEx4", "SetAuthoritativeRestore", 54},
    {"IVssBackupComponentsEx4", "SetRollForward", 55},
    {"IVssBackupComponentsEx4", "SetRestoreName", 56},
    {"IVssBackupComponentsEx4", "BreakSnapshotSetEx", 57},
    {"IVssBackupComponentsEx4", "PreFastRecovery", 58},
    {"IVssBackupComponentsEx4", "FastRecovery", 59},
    {"IVssBackupComponentsEx4", "GetWriterStatusEx", 60},
    {"IVssBackupComponentsEx4", "AddSnapshotToRecoverySet", 61},
    {"IVssBackupComponentsEx4", "RecoverSet", 62},
    {"IVssBackupComponentsEx4", "GetSessionId", 63},
    {"IVssBackupComponentsEx4", "GetRootAndLogicalPrefixPaths", 64},
    {"IVssAsync", "QueryInterface", 0},
    {"IVssAsync", "AddRef", 1},
    {"IVssAsync", "Release", 2},
    {"IVssAsync", "Cancel", 3},
    {"IVssAsync", "Wait", 4},
    {"IVssAsync", "QueryStatus", 5},
    {"IVssEnumObject", "QueryInterface", 0},
    {"IVssEnumObject", "AddRef", 1},
    {"IVssEnumObject", "Release", 2},
    {"IVssEnumObject", "Next", 3},
    {"IVssEnumObject", "Skip", 4},
    {"IVssEnumObject", "Reset", 5},
    {"IVssEnumObject", "Clone", 6},
};

} // namespace

TEST_SUITE("abi") {

TEST_CASE("C-1.2 every vtable slot of the C view equals the SDK's")
{
    REQUIRE(vssapi_c_slot_count == std::size(kExpected));
    for (size_t i = 0; i < vssapi_c_slot_count; ++i) {
        const auto &row = vssapi_c_slots[i];
        const auto &want = kExpected[i];
        CAPTURE(std::string(want.interface_name) + "::" + want.method);
        CHECK(std::strcmp(row.interface_name, want.interface_name) == 0);
        CHECK(std::strcmp(row.method, want.method) == 0);
        CHECK(row.slot == want.slot);
    }
}

TEST_CASE("C-1.2 the landmark slots peers got wrong")
{
    // breeze mapped InitializeForBackup to 3; old mingw headers misplaced
    // GetWriterStatusEx. These are the numbers real programs call.
    auto slot_of = [](const char *method) -> size_t {
        for (size_t i = 0; i < vssapi_c_slot_count; ++i) {
            if (std::strcmp(vssapi_c_slots[i].interface_name, "IVssBackupComponentsEx4") == 0 &&
                std::strcmp(vssapi_c_slots[i].method, method) == 0) {
                return vssapi_c_slots[i].slot;
            }
        }
        return 0;
    };
    CHECK(slot_of("InitializeForBackup") == 5);
    CHECK(slot_of("GetWriterStatus") == 19);
    CHECK(slot_of("GetWriterStatusEx") == 60);
    CHECK(slot_of("GetSessionId") == 63);
    CHECK(slot_of("GetRootAndLogicalPrefixPaths") == 64);
}

} // TEST_SUITE
