#include "documents/writer_metadata.h"

#include "documents/xml_values.h"

#include <vsbackup.h>

#include <utility>

namespace vssapi::documents {
namespace {

constexpr const char *kRoot = "WRITER_METADATA";
constexpr const char *kNamespace = "x-schema:#VssWriterMetadataInfo";

constexpr EnumName<VSS_USAGE_TYPE> kUsages[] = {
    {VSS_UT_UNDEFINED, "undefined"},         {VSS_UT_BOOTABLESYSTEMSTATE, "bootableSystemState"},
    {VSS_UT_SYSTEMSERVICE, "systemService"}, {VSS_UT_USERDATA, "userData"},
    {VSS_UT_OTHER, "other"},
};
constexpr EnumName<VSS_SOURCE_TYPE> kSources[] = {
    {VSS_ST_UNDEFINED, "undefined"},
    {VSS_ST_TRANSACTEDDB, "transactedDB"},
    {VSS_ST_NONTRANSACTEDDB, "nonTransactedDB"},
    {VSS_ST_OTHER, "other"},
};
constexpr EnumName<VSS_RESTOREMETHOD_ENUM> kRestoreMethods[] = {
    {VSS_RME_UNDEFINED, "undefined"},
    {VSS_RME_RESTORE_IF_NOT_THERE, "restoreIfNotThere"},
    {VSS_RME_RESTORE_IF_CAN_REPLACE, "restoreIfCanReplace"},
    {VSS_RME_STOP_RESTORE_START, "stopRestoreStart"},
    {VSS_RME_RESTORE_TO_ALTERNATE_LOCATION, "restoreToAlternateLocation"},
    {VSS_RME_RESTORE_AT_REBOOT, "restoreAtReboot"},
    {VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE, "restoreAtRebootIfCannotReplace"},
    {VSS_RME_CUSTOM, "custom"},
    {VSS_RME_RESTORE_STOP_START, "restoreStopStart"},
};
constexpr EnumName<VSS_WRITERRESTORE_ENUM> kWriterRestores[] = {
    {VSS_WRE_UNDEFINED, "undefined"},
    {VSS_WRE_NEVER, "never"},
    {VSS_WRE_IF_REPLACE_FAILS, "ifReplaceFails"},
    {VSS_WRE_ALWAYS, "always"},
};

void put_spec(pugi::xml_node node, const core::FileSpec &spec)
{
    put_text(node, "path", spec.path);
    put_text(node, "filespec", spec.filespec);
    put_bool(node, "recursive", spec.recursive);
    put_text_if(node, "alternatePath", spec.alternate_location);
    put_uint(node, "filespecBackupType", spec.backup_type_mask);
}

core::FileSpec get_spec(pugi::xml_node node)
{
    core::FileSpec spec;
    spec.path = get_text(node, "path", true);
    spec.filespec = get_text(node, "filespec", true);
    spec.recursive = get_bool(node, "recursive");
    spec.alternate_location = get_text(node, "alternatePath");
    spec.backup_type_mask =
        static_cast<DWORD>(get_uint(node, "filespecBackupType", 0xFFFFFFFFu, spec.backup_type_mask));
    return spec;
}

std::string hex_bytes(const std::vector<std::uint8_t> &bytes)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (std::uint8_t byte : bytes) {
        out += kDigits[byte >> 4];
        out += kDigits[byte & 15];
    }
    return out;
}

std::vector<std::uint8_t> bytes_of(pugi::xml_node node, const char *name)
{
    const std::string_view text = node.attribute(name).value();
    auto digit = [&](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw BadDocument(std::string(node.name()) + ": " + name + " is not hexadecimal bytes");
    };
    if (text.size() % 2 != 0) {
        throw BadDocument(std::string(node.name()) + ": " + name + " is not hexadecimal bytes");
    }
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(digit(text[i]) * 16 + digit(text[i + 1])));
    }
    return out;
}

void put_component(pugi::xml_node node, const core::ComponentDecl &c)
{
    put_text_if(node, "logicalPath", c.logical_path);
    put_text(node, "componentName", c.name);
    put_text_if(node, "caption", c.caption);
    if (!c.icon.empty()) {
        node.append_attribute("icon").set_value(hex_bytes(c.icon).c_str());
    }
    put_bool(node, "restoreMetadata", c.restore_metadata);
    put_bool(node, "notifyOnBackupComplete", c.notify_on_backup_complete);
    put_bool(node, "selectable", c.selectable);
    put_bool(node, "selectableForRestore", c.selectable_for_restore);
    put_uint(node, "componentFlags", c.flags);
    for (const auto &spec : c.files) {
        put_spec(node.append_child("FILE_LIST"), spec);
    }
    for (const auto &spec : c.databases) {
        put_spec(node.append_child("DATABASE_FILES"), spec);
    }
    for (const auto &spec : c.logs) {
        put_spec(node.append_child("DATABASE_LOGFILES"), spec);
    }
    for (const auto &dependency : c.dependencies) {
        pugi::xml_node child = node.append_child("DEPENDENCY");
        put_guid(child, "writerId", dependency.writer_id);
        put_text_if(child, "logicalPath", dependency.logical_path);
        put_text(child, "componentName", dependency.component_name);
    }
}

core::ComponentDecl get_component(pugi::xml_node node, VSS_COMPONENT_TYPE type)
{
    core::ComponentDecl c;
    c.type = type;
    c.logical_path = get_text(node, "logicalPath");
    c.name = get_text(node, "componentName", true);
    if (c.name.empty()) {
        throw BadDocument(std::string(node.name()) + ": componentName is empty");
    }
    c.caption = get_text(node, "caption");
    c.icon = bytes_of(node, "icon");
    c.restore_metadata = get_bool(node, "restoreMetadata");
    c.notify_on_backup_complete = get_bool(node, "notifyOnBackupComplete");
    c.selectable = get_bool(node, "selectable");
    c.selectable_for_restore = get_bool(node, "selectableForRestore");
    c.flags = static_cast<DWORD>(get_uint(node, "componentFlags", 0xFFFFFFFFu));
    for (pugi::xml_node child : node.children()) {
        const std::string_view kind = child.name();
        if (kind == "FILE_LIST" && type == VSS_CT_FILEGROUP) {
            c.files.push_back(get_spec(child));
        } else if (kind == "DATABASE_FILES" && type == VSS_CT_DATABASE) {
            c.databases.push_back(get_spec(child));
        } else if (kind == "DATABASE_LOGFILES" && type == VSS_CT_DATABASE) {
            c.logs.push_back(get_spec(child));
        } else if (kind == "DEPENDENCY") {
            c.dependencies.push_back(
                {get_guid(child, "writerId"), get_text(child, "logicalPath"), get_text(child, "componentName", true)});
        } else {
            throw BadDocument(std::string(node.name()) + ": unknown element <" + std::string(kind) + ">");
        }
    }
    return c;
}

} // namespace

std::u16string save_writer_metadata(const core::WriterIdentity &identity, const core::WriterMetadata &metadata)
{
    pugi::xml_document xml;
    pugi::xml_node root = new_document(xml, kRoot, kNamespace);
    put_uint(root, "backupSchema", metadata.backup_schema);
    pugi::xml_node id = root.append_child("IDENTIFICATION");
    put_guid(id, "writerId", identity.class_id);
    put_guid(id, "instanceId", identity.instance_id);
    put_text(id, "friendlyName", identity.name);
    put_text_if(id, "instanceName", identity.instance_name);
    put_enum(id, "usage", identity.usage, kUsages);
    put_enum(id, "dataSource", identity.source, kSources);
    put_uint(id, "majorVersion", identity.version_major);
    put_uint(id, "minorVersion", identity.version_minor);

    pugi::xml_node locations = root.append_child("BACKUP_LOCATIONS");
    for (const auto &spec : metadata.include_files) {
        put_spec(locations.append_child("INCLUDE"), spec);
    }
    for (const auto &spec : metadata.exclude_files) {
        put_spec(locations.append_child("EXCLUDE"), spec);
    }
    for (const auto &spec : metadata.exclude_from_snapshot) {
        put_spec(locations.append_child("EXCLUDE_FROM_SNAPSHOT"), spec);
    }
    for (const auto &component : metadata.components) {
        put_component(locations.append_child(component.type == VSS_CT_DATABASE ? "DATABASE" : "FILE_GROUP"),
                      component);
    }

    pugi::xml_node restore = root.append_child("RESTORE_METHOD");
    put_enum(restore, "method", metadata.restore_method, kRestoreMethods);
    put_text_if(restore, "service", metadata.restore_service);
    put_text_if(restore, "userProcedure", metadata.restore_user_procedure);
    put_enum(restore, "writerRestore", metadata.writer_restore, kWriterRestores);
    put_bool(restore, "rebootRequired", metadata.reboot_required);
    for (const auto &mapping : metadata.alternate_mappings) {
        put_spec(restore.append_child("ALTERNATE_LOCATION_MAPPING"), mapping);
    }
    return document_text(xml);
}

HRESULT load_writer_metadata(std::u16string_view xml, core::WriterIdentity &identity_out,
                             core::WriterMetadata &metadata_out, std::string &why)
{
    try {
        pugi::xml_document parsed;
        parse_document(xml, parsed, kRoot, kNamespace);
        const pugi::xml_node root = parsed.document_element();
        core::WriterIdentity identity;
        core::WriterMetadata metadata;
        metadata.backup_schema = static_cast<DWORD>(get_uint(root, "backupSchema", 0xFFFFFFFFu));
        const pugi::xml_node id = root.child("IDENTIFICATION");
        if (!id) {
            throw BadDocument("WRITER_METADATA: the element IDENTIFICATION is missing");
        }
        identity.class_id = get_guid(id, "writerId");
        identity.instance_id = id.attribute("instanceId") ? get_guid(id, "instanceId") : GUID_NULL;
        identity.name = get_text(id, "friendlyName", true);
        identity.instance_name = get_text(id, "instanceName");
        identity.usage = get_enum(id, "usage", VSS_UT_UNDEFINED, kUsages);
        identity.source = get_enum(id, "dataSource", VSS_ST_UNDEFINED, kSources);
        identity.version_major = static_cast<DWORD>(get_uint(id, "majorVersion", 0xFFFFFFFFu));
        identity.version_minor = static_cast<DWORD>(get_uint(id, "minorVersion", 0xFFFFFFFFu));
        for (pugi::xml_node node : root.children()) {
            const std::string_view kind = node.name();
            if (kind == "IDENTIFICATION") {
                continue;
            }
            if (kind == "BACKUP_LOCATIONS") {
                for (pugi::xml_node child : node.children()) {
                    const std::string_view what = child.name();
                    if (what == "INCLUDE") {
                        metadata.include_files.push_back(get_spec(child));
                    } else if (what == "EXCLUDE") {
                        metadata.exclude_files.push_back(get_spec(child));
                    } else if (what == "EXCLUDE_FROM_SNAPSHOT") {
                        metadata.exclude_from_snapshot.push_back(get_spec(child));
                    } else if (what == "DATABASE") {
                        metadata.components.push_back(get_component(child, VSS_CT_DATABASE));
                    } else if (what == "FILE_GROUP") {
                        metadata.components.push_back(get_component(child, VSS_CT_FILEGROUP));
                    } else {
                        throw BadDocument("BACKUP_LOCATIONS: unknown element <" + std::string(what) + ">");
                    }
                }
            } else if (kind == "RESTORE_METHOD") {
                metadata.restore_method = get_enum(node, "method", VSS_RME_UNDEFINED, kRestoreMethods);
                metadata.restore_service = get_text(node, "service");
                metadata.restore_user_procedure = get_text(node, "userProcedure");
                metadata.writer_restore = get_enum(node, "writerRestore", VSS_WRE_UNDEFINED, kWriterRestores);
                metadata.reboot_required = get_bool(node, "rebootRequired");
                for (pugi::xml_node child : node.children()) {
                    if (std::string_view(child.name()) != "ALTERNATE_LOCATION_MAPPING") {
                        throw BadDocument("RESTORE_METHOD: unknown element <" + std::string(child.name()) + ">");
                    }
                    metadata.alternate_mappings.push_back(get_spec(child));
                }
            } else {
                throw BadDocument("WRITER_METADATA: unknown element <" + std::string(kind) + ">");
            }
        }
        identity_out = std::move(identity);
        metadata_out = std::move(metadata);
        return S_OK;
    } catch (const BadDocument &bad) {
        why = bad.what();
        return VSS_E_INVALID_XML_DOCUMENT;
    }
}

} // namespace vssapi::documents
