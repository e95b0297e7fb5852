// The Writer Metadata Document as XML (contract C-8.4, C-8.5): what
// IVssCreateWriterMetadata::SaveAsXML and IVssExamineWriterMetadata::SaveAsXML
// write, and LoadFromXML / CreateVssExamineWriterMetadata read, so that a
// requester can restore with the saved metadata of a writer that is not
// running. Names follow Windows' documents (WRITER_METADATA, IDENTIFICATION,
// BACKUP_LOCATIONS, DATABASE, FILE_GROUP ...); abi/xml/writer_metadata.xsd is
// the schema. The same metadata always gives the same text.
#pragma once

#include "core/metadata.h"

#include <string>
#include <string_view>

namespace vssapi::documents {

std::u16string save_writer_metadata(const core::WriterIdentity &identity, const core::WriterMetadata &metadata);

// S_OK, or VSS_E_INVALID_XML_DOCUMENT with `why` in words and the outputs untouched.
HRESULT load_writer_metadata(std::u16string_view xml, core::WriterIdentity &identity, core::WriterMetadata &metadata,
                             std::string &why);

} // namespace vssapi::documents
