// The Backup Components Document's text (src/documents): every field, the
// golden text beside this file byte for byte, load ∘ save the identity
// (C-8.5), and what a bad document's refusal says (C-8.3).
#include "documents/backup_document.h"

#include "com/utf.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using vssapi::core::BackupDocument;
using vssapi::core::SelectedComponent;
using vssapi::documents::load_backup_document;
using vssapi::documents::save_backup_document;

std::string golden_path(const char *name)
{
    const char *folder = std::getenv("OPENVSS_DOCUMENTS_TESTS");
    REQUIRE(folder != nullptr);
    return std::string(folder) + "/golden/" + name;
}

std::string read_file(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

GUID guid(unsigned n)
{
    return GUID{0xabc00000u + n, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, static_cast<unsigned char>(n)}};
}

// A document with every field the format has, none at its default.
BackupDocument everything()
{
    BackupDocument document;
    document.select_components = true;
    document.bootable_system_state = true;
    document.backup_type = VSS_BT_DIFFERENTIAL;
    document.partial_file_support = true;
    document.context = VSS_CTX_APP_ROLLBACK;
    document.snapshot_set_id = guid(1);
    BackupDocument::Writer writer;
    writer.class_id = guid(2);
    writer.instance_id = guid(3);
    SelectedComponent c;
    c.type = VSS_CT_DATABASE;
    c.logical_path = u"Databases\\Orders";
    c.name = u"Orders <main> & \"quotes\" 'é' 😀";
    c.backup_succeeded = true;
    c.backup_options = u"opts";
    c.backup_stamp = u"stamp 2";
    c.previous_backup_stamp = u"stamp 1";
    c.prepare_for_backup_failure_msg = u"pfb";
    c.post_snapshot_failure_msg = u"ps";
    c.pre_restore_failure_msg = u"prer";
    c.post_restore_failure_msg = u"postr";
    c.backup_metadata = u"line 1\nline 2\ttab";
    c.backup_metadata_set = true;
    c.restore_metadata = u"";
    c.restore_metadata_set = true; // set, to the empty string
    c.partial_files.push_back({u"C:\\db", u"orders.mdf", u"0:4096,8192:4096", u"pm", u"C:\\ranges"});
    SelectedComponent::DifferencedFile differenced;
    differenced.path = u"C:\\db";
    differenced.filespec = u"*.log";
    differenced.recursive = true;
    differenced.lsn = u"lsn-77";
    differenced.last_modify.dwLowDateTime = 0x89abcdefu;
    differenced.last_modify.dwHighDateTime = 0x01234567u;
    c.differenced_files.push_back(differenced);
    c.failure.set = true;
    c.failure.hr = VSS_E_WRITERERROR_RETRYABLE;
    c.failure.hr_application = static_cast<HRESULT>(0x80070005u);
    c.failure.message = u"locked";
    c.restore_target = VSS_RT_DIRECTED;
    c.directed_targets.push_back({u"C:\\db", u"a.mdf", u"0:10", u"D:\\db", u"b.mdf", u"10:10"});
    c.selected_for_restore = true;
    c.additional_restores = true;
    c.restore_options = u"ro";
    c.restore_subcomponents.push_back({u"Databases\\Orders", u"Part", true});
    vssapi::core::FileSpec target;
    target.path = u"C:\\db";
    target.filespec = u"*.mdf";
    target.recursive = true;
    target.alternate_location = u"E:\\new";
    c.new_targets.push_back(target);
    target.alternate_location = u"F:\\mapped";
    c.alternate_mappings.push_back(target);
    c.file_restore_status = VSS_RS_FAILED;
    c.authoritative_restore = true;
    c.roll_forward = VSS_RF_PARTIAL;
    c.roll_forward_point = u"log 9";
    c.restore_name = u"Orders-restored";
    writer.components.push_back(c);
    SelectedComponent plain;
    plain.type = VSS_CT_FILEGROUP;
    plain.name = u"Files";
    writer.components.push_back(plain);
    document.writers.push_back(writer);
    BackupDocument::Writer empty_writer;
    empty_writer.class_id = guid(4);
    document.writers.push_back(empty_writer);
    return document;
}

} // namespace

TEST_CASE("C-8.5 the Backup Components Document: every field, the golden text byte for byte, load then save")
{
    const std::u16string saved = save_backup_document(everything());
    if (const char *dump = std::getenv("OPENVSS_WRITE_GOLDEN")) { // regenerating the golden text on purpose
        std::ofstream(std::string(dump) + "/backup_components.xml", std::ios::binary)
            << vssapi::com::utf16_to_utf8(saved);
    }
    const std::string golden = read_file(golden_path("backup_components.xml"));
    CHECK(vssapi::com::utf16_to_utf8(saved) == golden);

    BackupDocument loaded;
    std::string why;
    REQUIRE(load_backup_document(saved, loaded, why) == S_OK);
    CHECK(why.empty());
    CHECK(save_backup_document(loaded) == saved);

    const SelectedComponent &c = loaded.writers.at(0).components.at(0);
    const SelectedComponent original = everything().writers[0].components[0];
    CHECK(c.name == original.name);
    CHECK(c.backup_metadata == original.backup_metadata);
    CHECK(c.restore_metadata_set);
    CHECK(c.restore_metadata.empty());
    CHECK(c.differenced_files.at(0).last_modify.dwHighDateTime == 0x01234567u);
    CHECK(c.differenced_files.at(0).last_modify.dwLowDateTime == 0x89abcdefu);
    CHECK(c.failure.hr_application == static_cast<HRESULT>(0x80070005u));
    CHECK(c.roll_forward == VSS_RF_PARTIAL);
    CHECK(c.partial_files.at(0).ranges_file == u"C:\\ranges");
    CHECK(loaded.context == VSS_CTX_APP_ROLLBACK);
    CHECK(loaded.backup_type == VSS_BT_DIFFERENTIAL);
    CHECK(IsEqualGUID(loaded.writers.at(1).class_id, guid(4)));
    CHECK(loaded.writers.at(1).components.empty());
    CHECK_FALSE(loaded.writers.at(0).components.at(1).backup_metadata_set);
}

TEST_CASE("C-8.3 a refused document says why, and leaves the output as it was")
{
    struct Bad {
        std::u16string text;
        const char *why;
    };
    const std::u16string open = u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.2\"";
    const Bad bad[] = {
        {u"", "the document is empty"},
        {u"<<", "not XML: Could not determine tag type at byte 1"},
        {u"<WRITER_METADATA/>", "the root element is <WRITER_METADATA>, not <BACKUP_COMPONENTS>"},
        {u"<BACKUP_COMPONENTS/>", "the namespace is not x-schema:#VssComponentMetadata"},
        {u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.3\"/>",
         "format version \"1.3\": this library reads 1.0 to 1.2"},
        {u"<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"one\"/>",
         "format version \"one\": this library reads 1.0 to 1.2"},
        {open + u" backupType=\"sometimes\"/>", "BACKUP_COMPONENTS: backupType=\"sometimes\" is not a known value"},
        {open + u" context=\"-1\"/>", "BACKUP_COMPONENTS: context=\"-1\" is not an integer from 0 to 4294967295"},
        {open + u"><WRITER_COMPONENTS/></BACKUP_COMPONENTS>", "WRITER_COMPONENTS: the attribute writerId is missing"},
        {open + u"><WRITER_COMPONENTS writerId=\"{x}\"/></BACKUP_COMPONENTS>",
         "WRITER_COMPONENTS: writerId=\"{x}\" is not a GUID"},
        {open + u"><X/></BACKUP_COMPONENTS>", "BACKUP_COMPONENTS: unknown element <X>"},
        {open + u"><WRITER_COMPONENTS writerId=\"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\"><COMPONENT "
                u"componentName=\"a\" componentType=\"undefined\"/></WRITER_COMPONENTS></BACKUP_COMPONENTS>",
         "COMPONENT: componentType must be database or filegroup"},
        {open + u"><WRITER_COMPONENTS writerId=\"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\"><COMPONENT "
                u"componentName=\"a\" componentType=\"database\"><FAILURE hr=\"E_FAIL\"/></COMPONENT>"
                u"</WRITER_COMPONENTS></BACKUP_COMPONENTS>",
         "FAILURE: hr=\"E_FAIL\" is not an HRESULT written 0x followed by 8 hex digits"},
    };
    for (const Bad &entry : bad) {
        CAPTURE(vssapi::com::utf16_to_utf8(entry.text));
        BackupDocument out = everything();
        std::string why;
        CHECK(load_backup_document(entry.text, out, why) == VSS_E_INVALID_XML_DOCUMENT);
        CHECK(why == entry.why);
        CHECK(save_backup_document(out) == save_backup_document(everything())); // untouched
    }
}
