#include "requester.h"

HRESULT wait(HRESULT started, IVssAsync **slot)
{
    IVssAsync *async = *slot;
    *slot = nullptr;
    HRESULT status = started;
    if (started == S_OK && async != nullptr) {
        async->Wait(INFINITE);
        async->QueryStatus(&status, nullptr);
        async->Release();
    }
    if (status != VSS_S_ASYNC_FINISHED) {
        nocrt::write("  asynchronous call answered ");
        nocrt::write_hex(static_cast<unsigned long>(started));
        nocrt::write(async == nullptr ? " without an IVssAsync, status " : ", status ");
        nocrt::write_hex(static_cast<unsigned long>(status));
        nocrt::line("");
    }
    return status;
}

UINT add_all_components(IVssBackupComponents *backup)
{
    UINT writers = 0;
    EXPECT(backup->GetWriterMetadataCount(&writers) == S_OK);
    for (UINT i = 0; i < writers; ++i) {
        VSS_ID instance{};
        IVssExamineWriterMetadata *metadata = nullptr;
        if (backup->GetWriterMetadata(i, &instance, &metadata) != S_OK) {
            EXPECT(false);
            continue;
        }
        VSS_ID instance_again{}, writer{};
        BSTR name = nullptr;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        EXPECT(metadata->GetIdentity(&instance_again, &writer, &name, &usage, &source) == S_OK);
        SysFreeString(name);
        UINT include = 0, exclude = 0, components = 0;
        EXPECT(metadata->GetFileCounts(&include, &exclude, &components) == S_OK);
        for (UINT c = 0; c < components; ++c) {
            IVssWMComponent *component = nullptr;
            PVSSCOMPONENTINFO info = nullptr;
            if (metadata->GetComponent(c, &component) == S_OK && component->GetComponentInfo(&info) == S_OK) {
                EXPECT(backup->AddComponent(instance, writer, info->type, info->bstrLogicalPath,
                                            info->bstrComponentName) == S_OK);
                component->FreeComponentInfo(info);
            }
            if (component != nullptr) {
                component->Release();
            }
        }
        metadata->Release();
    }
    return writers;
}

Status status_of(IVssBackupComponentsEx3 *ex3, const VSS_ID &writer_id, bool print)
{
    Status result;
    UINT count = 0;
    ex3->GetWriterStatusCount(&count);
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr, message = nullptr;
        Status s;
        if (ex3->GetWriterStatusEx(i, &instance, &writer, &name, &s.state, &s.writer, &s.application, &message) !=
            S_OK) {
            continue;
        }
        if (print) {
            nocrt::write("  writer ");
            nocrt::write(name);
            nocrt::write(": state ");
            nocrt::write_number(s.state);
            nocrt::write(", hrWriter ");
            nocrt::write_hex(static_cast<unsigned long>(s.writer));
            nocrt::write(", hrApplication ");
            nocrt::write_hex(static_cast<unsigned long>(s.application));
            nocrt::write(", message \"");
            nocrt::write(message);
            nocrt::line("\"");
        }
        if (same_guid(writer, writer_id)) {
            result = s;
            result.found = true;
            for (int k = 0; message != nullptr && message[k] != 0 && k < 63; ++k) {
                result.message[k] = message[k];
            }
        }
        SysFreeString(name);
        SysFreeString(message);
    }
    return result;
}
