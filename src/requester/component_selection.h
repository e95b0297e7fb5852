// Which components a requester in component mode adds with AddComponent: one
// policy for every requester of this library (vssctl and
// vss_requester_add_all_components).
//
// The SDK's rule: a requester must add every non-selectable component that
// has no selectable ancestor, and may add selectable ones; a non-selectable
// component under an added selectable one is included implicitly and is not
// added. Backing up everything a writer declared, as these requesters do,
// therefore adds every selectable component and every non-selectable one with
// no selectable ancestor ("ancestor" by logical path: a component whose full
// path "logical_path\name" is the other's logical path or a prefix of it
// followed by '\').
#pragma once

#include "com/bstr.h"

#include <vsbackup.h>

#include <vector>

namespace vssapi::requester {

struct ComponentToAdd {
    VSS_ID instance_id{};
    VSS_ID class_id{};
    VSS_COMPONENT_TYPE type = VSS_CT_UNDEFINED;
    com::Bstr logical_path; // NULL for a component at the top
    com::Bstr name;
};

// Appends to `out` what to add for the writer `instance_id` whose metadata is
// `metadata`, in the writer's order. A metadata call's failure is returned
// and `out` is left as it was.
HRESULT components_to_add(IVssExamineWriterMetadata &metadata, const VSS_ID &instance_id,
                          std::vector<ComponentToAdd> &out);

} // namespace vssapi::requester
