// The two XML document readers (C-8) on any bytes: the Backup Components
// Document (InitializeForRestore, as UTF-16 and through the flat API as
// UTF-8) and the Writer Metadata Document (CreateVssExamineWriterMetadata),
// each walked the way a requester reads it. A document that cannot be read is
// VSS_E_INVALID_XML_DOCUMENT (or E_INVALIDARG for a flat-API string) and
// changes nothing.
#include "core/clock.h"
#include "core/coordinator.h"

#include <vsbackup.h>
#include <vssapi/vssapi.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

using vssapi::core::Coordinator;

void walk(IVssExamineWriterMetadata *metadata)
{
    VSS_ID instance{}, writer{};
    BSTR name = nullptr;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    if (metadata->GetIdentity(&instance, &writer, &name, &usage, &source) == S_OK) {
        SysFreeString(name);
    }
    UINT includes = 0, excludes = 0, components = 0;
    if (metadata->GetFileCounts(&includes, &excludes, &components) != S_OK) {
        return;
    }
    for (UINT i = 0; i < components && i < 64; ++i) {
        IVssWMComponent *component = nullptr;
        if (metadata->GetComponent(i, &component) != S_OK || component == nullptr) {
            continue;
        }
        PVSSCOMPONENTINFO info = nullptr;
        if (component->GetComponentInfo(&info) == S_OK && info != nullptr) {
            for (UINT f = 0; f < info->cFileCount && f < 64; ++f) {
                IVssWMFiledesc *file = nullptr;
                if (component->GetFile(f, &file) == S_OK && file != nullptr) {
                    BSTR path = nullptr;
                    if (file->GetPath(&path) == S_OK) {
                        SysFreeString(path);
                    }
                    file->Release();
                }
            }
            (void)component->FreeComponentInfo(info);
        }
        component->Release();
    }
    BSTR again = nullptr;
    if (metadata->SaveAsXML(&again) == S_OK) {
        SysFreeString(again);
    }
}

BSTR utf16_of(const uint8_t *data, std::size_t size)
{
    // Raw UTF-16 code units, lone surrogates and NULs included.
    std::u16string units;
    for (std::size_t i = 0; i + 1 < size; i += 2) {
        units.push_back(static_cast<char16_t>(data[i] | data[i + 1] << 8));
    }
    return SysAllocStringLen(reinterpret_cast<const OLECHAR *>(units.data()), static_cast<UINT>(units.size()));
}

BSTR ascii_of(const uint8_t *data, std::size_t size)
{
    std::u16string units(data, data + size); // bytes as Latin-1: most XML a fuzzer writes
    return SysAllocStringLen(reinterpret_cast<const OLECHAR *>(units.data()), static_cast<UINT>(units.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const uint8_t mode = data[0];
    ++data;
    --size;
    vssapi::core::CoordinatorOptions options;
    options.clock = std::make_shared<vssapi::core::SimulatedClock>();
    const auto coordinator = Coordinator::create(std::move(options));
    const auto previous = Coordinator::set_current(coordinator);
    BSTR xml = (mode & 1) != 0 ? utf16_of(data, size) : ascii_of(data, size);
    switch ((mode >> 1) % 3) {
    case 0: {
        IVssExamineWriterMetadata *metadata = nullptr;
        const HRESULT hr = CreateVssExamineWriterMetadata(xml, &metadata);
        if (hr == S_OK) {
            walk(metadata);
            metadata->Release();
        } else if (metadata != nullptr) {
            std::abort(); // a refusal hands out nothing
        }
        break;
    }
    case 1: {
        IVssBackupComponents *components = nullptr;
        if (CreateVssBackupComponents(&components) == S_OK) {
            if (components->InitializeForRestore(xml) == S_OK) {
                IVssAsync *async = nullptr;
                if (components->GatherWriterMetadata(&async) == S_OK) {
                    (void)async->Wait(INFINITE);
                    async->Release();
                }
                BSTR saved = nullptr;
                if (components->SaveAsXML(&saved) == S_OK) {
                    SysFreeString(saved);
                }
            }
            components->Release();
        }
        break;
    }
    default: {
        vss_requester *requester = nullptr;
        if (vss_requester_create(nullptr, &requester) == S_OK) {
            const std::string text(reinterpret_cast<const char *>(data), size);
            (void)vss_requester_initialize_for_restore(requester, text.c_str());
            (void)vss_requester_resume_backup(requester, text.c_str());
            vss_requester_release(requester);
        }
        break;
    }
    }
    SysFreeString(xml);
    Coordinator::set_current(previous);
    return 0;
}
