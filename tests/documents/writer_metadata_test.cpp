// The Writer Metadata Document's text (src/documents): every field, the
// golden text beside this file byte for byte, load then save the identity
// (C-8.4, C-8.5), and what a refusal says (C-8.3).
#include "documents/writer_metadata.h"

#include "com/utf.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using vssapi::core::ComponentDecl;
using vssapi::core::FileSpec;
using vssapi::core::WriterIdentity;
using vssapi::core::WriterMetadata;
using vssapi::documents::load_writer_metadata;
using vssapi::documents::save_writer_metadata;

std::string read_golden(const char *name)
{
    const char *folder = std::getenv("OPENVSS_DOCUMENTS_TESTS");
    REQUIRE(folder != nullptr);
    std::ifstream in(std::string(folder) + "/golden/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

GUID guid(unsigned n)
{
    return GUID{0xdef00000u + n, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, static_cast<unsigned char>(n)}};
}

FileSpec spec(const char16_t *path, const char16_t *filespec, bool recursive, const char16_t *alternate, DWORD mask)
{
    FileSpec out;
    out.path = path;
    out.filespec = filespec;
    out.recursive = recursive;
    out.alternate_location = alternate;
    out.backup_type_mask = mask;
    return out;
}

void everything(WriterIdentity &identity, WriterMetadata &metadata)
{
    identity.class_id = guid(1);
    identity.instance_id = guid(2);
    identity.name = u"Écrivain \"SQL\" <&> 😀";
    identity.instance_name = u"Instance 2";
    identity.usage = VSS_UT_USERDATA;
    identity.source = VSS_ST_TRANSACTEDDB;
    identity.version_major = 3;
    identity.version_minor = 7;
    metadata.include_files.push_back(spec(u"C:\\inc", u"*.inc", true, u"D:\\alt", 0xF0F));
    metadata.exclude_files.push_back(spec(u"C:\\tmp", u"*.tmp", false, u"", VSS_FSBT_ALL_BACKUP_REQUIRED));
    metadata.exclude_from_snapshot.push_back(spec(u"C:\\big", u"*.vhdx", true, u"", 0));
    ComponentDecl database;
    database.type = VSS_CT_DATABASE;
    database.logical_path = u"Server\\Instance";
    database.name = u"Orders";
    database.caption = u"Légende";
    database.icon = {0x42, 0x4d, 0x00, 0xff};
    database.restore_metadata = true;
    database.notify_on_backup_complete = true;
    database.selectable = true;
    database.selectable_for_restore = true;
    database.flags = VSS_CF_BACKUP_RECOVERY;
    database.databases.push_back(spec(u"C:\\db", u"orders.mdf", false, u"", 0x3));
    database.logs.push_back(spec(u"C:\\logs", u"*.ldf", false, u"", VSS_FSBT_LOG_BACKUP_REQUIRED));
    database.dependencies.push_back({guid(3), u"Other\\Path", u"Other component"});
    metadata.components.push_back(database);
    ComponentDecl group;
    group.type = VSS_CT_FILEGROUP;
    group.name = u"Config";
    group.files.push_back(spec(u"C:\\cfg", u"*.ini", true, u"E:\\cfg", 0xF0F));
    metadata.components.push_back(group);
    metadata.restore_method = VSS_RME_STOP_RESTORE_START;
    metadata.restore_service = u"OrdersService";
    metadata.restore_user_procedure = u"https://example.invalid/restore";
    metadata.writer_restore = VSS_WRE_IF_REPLACE_FAILS;
    metadata.reboot_required = true;
    metadata.alternate_mappings.push_back(spec(u"C:\\db", u"orders.mdf", false, u"F:\\restored", 0xF0F));
    metadata.backup_schema = VSS_BS_DIFFERENTIAL | VSS_BS_COPY;
}

} // namespace

TEST_CASE("C-8.4 C-8.5 the Writer Metadata Document: every field, the golden text byte for byte, load then save")
{
    WriterIdentity identity;
    WriterMetadata metadata;
    everything(identity, metadata);
    const std::u16string saved = save_writer_metadata(identity, metadata);
    if (const char *dump = std::getenv("OPENVSS_WRITE_GOLDEN")) { // regenerating the golden text on purpose
        std::ofstream(std::string(dump) + "/writer_metadata.xml", std::ios::binary)
            << vssapi::com::utf16_to_utf8(saved);
    }
    CHECK(vssapi::com::utf16_to_utf8(saved) == read_golden("writer_metadata.xml"));

    WriterIdentity loaded_identity;
    WriterMetadata loaded;
    std::string why;
    REQUIRE(load_writer_metadata(saved, loaded_identity, loaded, why) == S_OK);
    CHECK(save_writer_metadata(loaded_identity, loaded) == saved);
    CHECK(loaded_identity.name == identity.name);
    CHECK(loaded_identity.version_minor == 7);
    CHECK(loaded.components.at(0).icon == metadata.components.at(0).icon);
    CHECK(loaded.components.at(0).logs.at(0).backup_type_mask == VSS_FSBT_LOG_BACKUP_REQUIRED);
    CHECK(IsEqualGUID(loaded.components.at(0).dependencies.at(0).writer_id, guid(3)));
    CHECK(loaded.components.at(1).files.at(0).alternate_location == u"E:\\cfg");
    CHECK(loaded.restore_service == u"OrdersService");
    CHECK(loaded.backup_schema == (VSS_BS_DIFFERENTIAL | VSS_BS_COPY));
}

TEST_CASE("C-8.3 a refused Writer Metadata Document says why and leaves the outputs as they were")
{
    const std::u16string open = u"<WRITER_METADATA xmlns=\"x-schema:#VssWriterMetadataInfo\" version=\"1.2\">";
    const std::u16string id = u"<IDENTIFICATION writerId=\"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\" friendlyName=\"W\"/>";
    struct Bad {
        std::u16string text;
        const char *why;
    };
    const Bad bad[] = {
        {u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.2\"/>",
         "the root element is <BACKUP_COMPONENTS>, not <WRITER_METADATA>"},
        {open + u"</WRITER_METADATA>", "WRITER_METADATA: the element IDENTIFICATION is missing"},
        {open + u"<IDENTIFICATION writerId=\"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\"/></WRITER_METADATA>",
         "IDENTIFICATION: the attribute friendlyName is missing"},
        {open + id + u"<BACKUP_LOCATIONS><DATABASE componentName=\"D\"><FILE_LIST path=\"C:\\\" "
                     u"filespec=\"*\"/></DATABASE></BACKUP_LOCATIONS></WRITER_METADATA>",
         "DATABASE: unknown element <FILE_LIST>"},
        {open + id + u"<BACKUP_LOCATIONS><FILE_GROUP componentName=\"F\" icon=\"ABC\"/></BACKUP_LOCATIONS>"
                     u"</WRITER_METADATA>",
         "FILE_GROUP: icon is not hexadecimal bytes"},
        {open + id + u"<RESTORE_METHOD method=\"whenever\"/></WRITER_METADATA>",
         "RESTORE_METHOD: method=\"whenever\" is not a known value"},
    };
    for (const Bad &entry : bad) {
        CAPTURE(vssapi::com::utf16_to_utf8(entry.text));
        WriterIdentity identity;
        WriterMetadata metadata;
        everything(identity, metadata);
        const std::u16string before = save_writer_metadata(identity, metadata);
        std::string why;
        CHECK(load_writer_metadata(entry.text, identity, metadata, why) == VSS_E_INVALID_XML_DOCUMENT);
        CHECK(why == entry.why);
        CHECK(save_writer_metadata(identity, metadata) == before);
    }
}
