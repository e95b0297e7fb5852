// The Backup Components Document as XML (contract C-8.1, C-8.2, C-8.3, C-8.5):
// what SaveAsXML writes and InitializeForRestore / InitializeForBackup(xml)
// read. Element and attribute names follow Windows' documents
// (BACKUP_COMPONENTS, WRITER_COMPONENTS, COMPONENT ...); abi/xml/ holds the
// schema. The same document always gives the same text, so a save, a load
// and a save again are byte for byte equal.
#pragma once

#include "core/metadata.h"

#include <string>
#include <string_view>

namespace vssapi::documents {

std::u16string save_backup_document(const core::BackupDocument &document);

// S_OK, or VSS_E_INVALID_XML_DOCUMENT with `why` in words and `out` untouched.
HRESULT load_backup_document(std::u16string_view xml, core::BackupDocument &out, std::string &why);

} // namespace vssapi::documents
