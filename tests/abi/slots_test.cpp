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

// Typed from vss-facts.md section 3 (3.1-3.6), not derived from the headers.
// IVssWriterComponents(Ext) and IVssCreateWriterMetadata(Ex) have no IUnknown
// in their first vtable: their slots start at 0 with their own methods.
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
    {"IVssWMFiledesc", "QueryInterface", 0},
    {"IVssWMFiledesc", "AddRef", 1},
    {"IVssWMFiledesc", "Release", 2},
    {"IVssWMFiledesc", "GetPath", 3},
    {"IVssWMFiledesc", "GetFilespec", 4},
    {"IVssWMFiledesc", "GetRecursive", 5},
    {"IVssWMFiledesc", "GetAlternateLocation", 6},
    {"IVssWMFiledesc", "GetBackupTypeMask", 7},
    {"IVssWMDependency", "QueryInterface", 0},
    {"IVssWMDependency", "AddRef", 1},
    {"IVssWMDependency", "Release", 2},
    {"IVssWMDependency", "GetWriterId", 3},
    {"IVssWMDependency", "GetLogicalPath", 4},
    {"IVssWMDependency", "GetComponentName", 5},
    {"IVssWMComponent", "QueryInterface", 0},
    {"IVssWMComponent", "AddRef", 1},
    {"IVssWMComponent", "Release", 2},
    {"IVssWMComponent", "GetComponentInfo", 3},
    {"IVssWMComponent", "FreeComponentInfo", 4},
    {"IVssWMComponent", "GetFile", 5},
    {"IVssWMComponent", "GetDatabaseFile", 6},
    {"IVssWMComponent", "GetDatabaseLogFile", 7},
    {"IVssWMComponent", "GetDependency", 8},
    {"IVssExamineWriterMetadataEx2", "QueryInterface", 0},
    {"IVssExamineWriterMetadataEx2", "AddRef", 1},
    {"IVssExamineWriterMetadataEx2", "Release", 2},
    {"IVssExamineWriterMetadataEx2", "GetIdentity", 3},
    {"IVssExamineWriterMetadataEx2", "GetFileCounts", 4},
    {"IVssExamineWriterMetadataEx2", "GetIncludeFile", 5},
    {"IVssExamineWriterMetadataEx2", "GetExcludeFile", 6},
    {"IVssExamineWriterMetadataEx2", "GetComponent", 7},
    {"IVssExamineWriterMetadataEx2", "GetRestoreMethod", 8},
    {"IVssExamineWriterMetadataEx2", "GetAlternateLocationMapping", 9},
    {"IVssExamineWriterMetadataEx2", "GetBackupSchema", 10},
    {"IVssExamineWriterMetadataEx2", "GetDocument", 11},
    {"IVssExamineWriterMetadataEx2", "SaveAsXML", 12},
    {"IVssExamineWriterMetadataEx2", "LoadFromXML", 13},
    {"IVssExamineWriterMetadataEx2", "GetIdentityEx", 14},
    {"IVssExamineWriterMetadataEx2", "GetVersion", 15},
    {"IVssExamineWriterMetadataEx2", "GetExcludeFromSnapshotCount", 16},
    {"IVssExamineWriterMetadataEx2", "GetExcludeFromSnapshotFile", 17},
    {"IVssComponentEx2", "QueryInterface", 0},
    {"IVssComponentEx2", "AddRef", 1},
    {"IVssComponentEx2", "Release", 2},
    {"IVssComponentEx2", "GetLogicalPath", 3},
    {"IVssComponentEx2", "GetComponentType", 4},
    {"IVssComponentEx2", "GetComponentName", 5},
    {"IVssComponentEx2", "GetBackupSucceeded", 6},
    {"IVssComponentEx2", "GetAlternateLocationMappingCount", 7},
    {"IVssComponentEx2", "GetAlternateLocationMapping", 8},
    {"IVssComponentEx2", "SetBackupMetadata", 9},
    {"IVssComponentEx2", "GetBackupMetadata", 10},
    {"IVssComponentEx2", "AddPartialFile", 11},
    {"IVssComponentEx2", "GetPartialFileCount", 12},
    {"IVssComponentEx2", "GetPartialFile", 13},
    {"IVssComponentEx2", "IsSelectedForRestore", 14},
    {"IVssComponentEx2", "GetAdditionalRestores", 15},
    {"IVssComponentEx2", "GetNewTargetCount", 16},
    {"IVssComponentEx2", "GetNewTarget", 17},
    {"IVssComponentEx2", "AddDirectedTarget", 18},
    {"IVssComponentEx2", "GetDirectedTargetCount", 19},
    {"IVssComponentEx2", "GetDirectedTarget", 20},
    {"IVssComponentEx2", "SetRestoreMetadata", 21},
    {"IVssComponentEx2", "GetRestoreMetadata", 22},
    {"IVssComponentEx2", "SetRestoreTarget", 23},
    {"IVssComponentEx2", "GetRestoreTarget", 24},
    {"IVssComponentEx2", "SetPreRestoreFailureMsg", 25},
    {"IVssComponentEx2", "GetPreRestoreFailureMsg", 26},
    {"IVssComponentEx2", "SetPostRestoreFailureMsg", 27},
    {"IVssComponentEx2", "GetPostRestoreFailureMsg", 28},
    {"IVssComponentEx2", "SetBackupStamp", 29},
    {"IVssComponentEx2", "GetBackupStamp", 30},
    {"IVssComponentEx2", "GetPreviousBackupStamp", 31},
    {"IVssComponentEx2", "GetBackupOptions", 32},
    {"IVssComponentEx2", "GetRestoreOptions", 33},
    {"IVssComponentEx2", "GetRestoreSubcomponentCount", 34},
    {"IVssComponentEx2", "GetRestoreSubcomponent", 35},
    {"IVssComponentEx2", "GetFileRestoreStatus", 36},
    {"IVssComponentEx2", "AddDifferencedFilesByLastModifyTime", 37},
    {"IVssComponentEx2", "AddDifferencedFilesByLastModifyLSN", 38},
    {"IVssComponentEx2", "GetDifferencedFilesCount", 39},
    {"IVssComponentEx2", "GetDifferencedFile", 40},
    {"IVssComponentEx2", "SetPrepareForBackupFailureMsg", 41},
    {"IVssComponentEx2", "SetPostSnapshotFailureMsg", 42},
    {"IVssComponentEx2", "GetPrepareForBackupFailureMsg", 43},
    {"IVssComponentEx2", "GetPostSnapshotFailureMsg", 44},
    {"IVssComponentEx2", "GetAuthoritativeRestore", 45},
    {"IVssComponentEx2", "GetRollForward", 46},
    {"IVssComponentEx2", "GetRestoreName", 47},
    {"IVssComponentEx2", "SetFailure", 48},
    {"IVssComponentEx2", "GetFailure", 49},
    {"IVssWriterComponents", "GetComponentCount", 0},
    {"IVssWriterComponents", "GetWriterInfo", 1},
    {"IVssWriterComponents", "GetComponent", 2},
    {"IVssWriterComponentsExt", "GetComponentCount", 0},
    {"IVssWriterComponentsExt", "GetWriterInfo", 1},
    {"IVssWriterComponentsExt", "GetComponent", 2},
    {"IVssCreateWriterMetadata", "AddIncludeFiles", 0},
    {"IVssCreateWriterMetadata", "AddExcludeFiles", 1},
    {"IVssCreateWriterMetadata", "AddComponent", 2},
    {"IVssCreateWriterMetadata", "AddDatabaseFiles", 3},
    {"IVssCreateWriterMetadata", "AddDatabaseLogFiles", 4},
    {"IVssCreateWriterMetadata", "AddFilesToFileGroup", 5},
    {"IVssCreateWriterMetadata", "SetRestoreMethod", 6},
    {"IVssCreateWriterMetadata", "AddAlternateLocationMapping", 7},
    {"IVssCreateWriterMetadata", "AddComponentDependency", 8},
    {"IVssCreateWriterMetadata", "SetBackupSchema", 9},
    {"IVssCreateWriterMetadata", "GetDocument", 10},
    {"IVssCreateWriterMetadata", "SaveAsXML", 11},
    {"IVssCreateWriterMetadataEx", "AddIncludeFiles", 0},
    {"IVssCreateWriterMetadataEx", "AddExcludeFiles", 1},
    {"IVssCreateWriterMetadataEx", "AddComponent", 2},
    {"IVssCreateWriterMetadataEx", "AddDatabaseFiles", 3},
    {"IVssCreateWriterMetadataEx", "AddDatabaseLogFiles", 4},
    {"IVssCreateWriterMetadataEx", "AddFilesToFileGroup", 5},
    {"IVssCreateWriterMetadataEx", "SetRestoreMethod", 6},
    {"IVssCreateWriterMetadataEx", "AddAlternateLocationMapping", 7},
    {"IVssCreateWriterMetadataEx", "AddComponentDependency", 8},
    {"IVssCreateWriterMetadataEx", "SetBackupSchema", 9},
    {"IVssCreateWriterMetadataEx", "GetDocument", 10},
    {"IVssCreateWriterMetadataEx", "SaveAsXML", 11},
    {"IVssCreateWriterMetadataEx", "AddExcludeFilesFromSnapshot", 12},
    {"IVssWriterImpl", "QueryInterface", 0},
    {"IVssWriterImpl", "AddRef", 1},
    {"IVssWriterImpl", "Release", 2},
    {"IVssWriterImpl", "Initialize", 3},
    {"IVssWriterImpl", "Subscribe", 4},
    {"IVssWriterImpl", "Unsubscribe", 5},
    {"IVssWriterImpl", "Uninitialize", 6},
    {"IVssWriterImpl", "GetCurrentVolumeArray", 7},
    {"IVssWriterImpl", "GetCurrentVolumeCount", 8},
    {"IVssWriterImpl", "GetSnapshotDeviceName", 9},
    {"IVssWriterImpl", "GetCurrentSnapshotSetId", 10},
    {"IVssWriterImpl", "GetContext", 11},
    {"IVssWriterImpl", "GetCurrentLevel", 12},
    {"IVssWriterImpl", "IsPathAffected", 13},
    {"IVssWriterImpl", "IsBootableSystemStateBackedUp", 14},
    {"IVssWriterImpl", "AreComponentsSelected", 15},
    {"IVssWriterImpl", "GetBackupType", 16},
    {"IVssWriterImpl", "GetRestoreType", 17},
    {"IVssWriterImpl", "SetWriterFailure", 18},
    {"IVssWriterImpl", "IsPartialFileSupportEnabled", 19},
    {"IVssWriterImpl", "InstallAlternateWriter", 20},
    {"IVssWriterImpl", "GetIdentityInformation", 21},
    {"IVssWriterImpl", "SetWriterFailureEx", 22},
    {"IVssWriterImpl", "GetSessionId", 23},
    {"IVssWriterImpl", "IsWriterShuttingDown", 24},
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
