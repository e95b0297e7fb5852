// Contract C-9.1 for CreateVssExpressWriterInternal: an express writer,
// described through IVssCreateExpressWriterMetadata (or a saved Writer
// Metadata Document) and registered, is a writer every requester of the
// process sees, with no code of its own, until Unregister.
#include "sdk/requester.h"
#include "sdk/vss_sdk_writer.h"

namespace {

constexpr VSS_ID kExpressId = {0x3c4d5e6f, 0x0001, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 1}};

// The writers a new requester session lists, and whether the express one is among them.
bool listed(UINT *writers_out)
{
    IVssBackupComponents *backup = nullptr;
    if (CreateVssBackupComponents(&backup) != S_OK) {
        return false;
    }
    IVssAsync *async = nullptr;
    EXPECT(backup->InitializeForBackup() == S_OK);
    EXPECT(wait(backup->GatherWriterMetadata(&async), &async) == VSS_S_ASYNC_FINISHED);
    UINT count = 0;
    EXPECT(backup->GetWriterMetadataCount(&count) == S_OK);
    bool found = false;
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, writer{};
        IVssExamineWriterMetadata *metadata = nullptr;
        if (backup->GetWriterMetadata(i, &instance, &metadata) != S_OK) {
            continue;
        }
        BSTR name = nullptr;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        metadata->GetIdentity(&instance, &writer, &name, &usage, &source);
        if (same_guid(writer, kExpressId)) {
            found = true;
            EXPECT(nocrt::same(name, L"MSVC express writer"));
            EXPECT(usage == VSS_UT_USERDATA);
            UINT include = 0, exclude = 0, components = 0;
            EXPECT(metadata->GetFileCounts(&include, &exclude, &components) == S_OK);
            EXPECT(components == 1);
            EXPECT(exclude == 1);
        }
        SysFreeString(name);
        metadata->Release();
    }
    backup->Release();
    *writers_out = count;
    return found;
}

} // namespace

int test_main()
{
    IVssExpressWriter *express = nullptr;
    EXPECT(CreateVssExpressWriterInternal(&express) == S_OK);
    if (express == nullptr) {
        return 1;
    }
    EXPECT(express->Register() == VSS_E_BAD_STATE); // nothing described yet
    IVssCreateExpressWriterMetadata *metadata = nullptr;
    EXPECT(express->CreateMetadata(kExpressId, L"MSVC express writer", VSS_UT_USERDATA, 1, 0, 0, &metadata) == S_OK);
    if (metadata == nullptr) {
        return 1;
    }
    EXPECT(metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, L"files", L"Express files", nullptr, 0, false, false,
                                  true) == S_OK);
    EXPECT(metadata->AddFilesToFileGroup(nullptr, L"files", L"C:\\express", L"*", true, nullptr) == S_OK);
    EXPECT(metadata->AddExcludeFiles(L"C:\\express", L"*.tmp", false) == S_OK);
    BSTR document = nullptr;
    EXPECT(metadata->SaveAsXML(&document) == S_OK);
    EXPECT(document != nullptr && document[0] == L'<');
    metadata->Release();

    UINT writers = 0;
    EXPECT(!listed(&writers));
    EXPECT(writers == 0);
    EXPECT(express->Register() == S_OK);
    EXPECT(listed(&writers));
    EXPECT(writers == 1);
    EXPECT(express->Unregister(kExpressId) == S_OK);
    EXPECT(express->Unregister(kExpressId) == VSS_E_OBJECT_NOT_FOUND);
    EXPECT(!listed(&writers));
    express->Release();

    // The same description from its saved document, through a second object.
    IVssExpressWriter *again = nullptr;
    EXPECT(CreateVssExpressWriterInternal(&again) == S_OK);
    if (again == nullptr) {
        return 1;
    }
    EXPECT(again->LoadMetadata(L"<not a writer metadata document/>", 0) != S_OK);
    EXPECT(again->LoadMetadata(document, 0) == S_OK);
    EXPECT(again->Register() == S_OK);
    EXPECT(listed(&writers));
    EXPECT(again->Unregister(kExpressId) == S_OK);
    again->Release();
    SysFreeString(document);
    return 0;
}
