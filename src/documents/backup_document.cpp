#include "documents/backup_document.h"

#include "documents/xml_values.h"

#include <vss.h>

#include <utility>

namespace vssapi::documents {
namespace {

constexpr const char *kRoot = "BACKUP_COMPONENTS";
constexpr const char *kNamespace = "x-schema:#VssComponentMetadata";

constexpr EnumName<VSS_BACKUP_TYPE> kBackupTypes[] = {
    {VSS_BT_UNDEFINED, "undefined"}, {VSS_BT_FULL, "full"}, {VSS_BT_INCREMENTAL, "incremental"},
    {VSS_BT_DIFFERENTIAL, "differential"}, {VSS_BT_LOG, "log"}, {VSS_BT_COPY, "copy"}, {VSS_BT_OTHER, "other"},
};
constexpr EnumName<VSS_COMPONENT_TYPE> kComponentTypes[] = {
    {VSS_CT_UNDEFINED, "undefined"}, {VSS_CT_DATABASE, "database"}, {VSS_CT_FILEGROUP, "filegroup"},
};
constexpr EnumName<VSS_RESTORE_TARGET> kRestoreTargets[] = {
    {VSS_RT_UNDEFINED, "undefined"}, {VSS_RT_ORIGINAL, "original"}, {VSS_RT_ALTERNATE, "alternate"},
    {VSS_RT_DIRECTED, "directed"}, {VSS_RT_ORIGINAL_LOCATION, "originalLocation"},
};
constexpr EnumName<VSS_FILE_RESTORE_STATUS> kFileRestoreStatuses[] = {
    {VSS_RS_UNDEFINED, "undefined"}, {VSS_RS_NONE, "none"}, {VSS_RS_ALL, "all"}, {VSS_RS_FAILED, "failed"},
};
constexpr EnumName<VSS_ROLLFORWARD_TYPE> kRollForwards[] = {
    {VSS_RF_UNDEFINED, "undefined"}, {VSS_RF_NONE, "none"}, {VSS_RF_ALL, "all"}, {VSS_RF_PARTIAL, "partial"},
};

void put_file_spec(pugi::xml_node node, const core::FileSpec &spec)
{
    put_text(node, "path", spec.path);
    put_text(node, "filespec", spec.filespec);
    put_bool(node, "recursive", spec.recursive);
    put_text_if(node, "alternatePath", spec.alternate_location);
}

core::FileSpec get_file_spec(pugi::xml_node node)
{
    core::FileSpec spec;
    spec.path = get_text(node, "path", true);
    spec.filespec = get_text(node, "filespec", true);
    spec.recursive = get_bool(node, "recursive");
    spec.alternate_location = get_text(node, "alternatePath");
    return spec;
}

void put_component(pugi::xml_node node, const core::SelectedComponent &c)
{
    put_text(node, "logicalPath", c.logical_path);
    put_text(node, "componentName", c.name);
    put_enum(node, "componentType", c.type, kComponentTypes);
    put_bool(node, "backupSucceeded", c.backup_succeeded);
    put_text_if(node, "backupOptions", c.backup_options);
    put_text_if(node, "backupStamp", c.backup_stamp);
    put_text_if(node, "previousBackupStamp", c.previous_backup_stamp);
    put_text_if(node, "prepareForBackupFailureMsg", c.prepare_for_backup_failure_msg);
    put_text_if(node, "postSnapshotFailureMsg", c.post_snapshot_failure_msg);
    put_text_if(node, "preRestoreFailureMsg", c.pre_restore_failure_msg);
    put_text_if(node, "postRestoreFailureMsg", c.post_restore_failure_msg);
    put_bool(node, "selectedForRestore", c.selected_for_restore);
    put_bool(node, "additionalRestores", c.additional_restores);
    put_text_if(node, "restoreOptions", c.restore_options);
    put_enum(node, "restoreTarget", c.restore_target, kRestoreTargets);
    put_enum(node, "fileRestoreStatus", c.file_restore_status, kFileRestoreStatuses);
    put_bool(node, "authoritativeRestore", c.authoritative_restore);
    put_enum(node, "rollForwardType", c.roll_forward, kRollForwards);
    put_text_if(node, "rollForwardPoint", c.roll_forward_point);
    put_text_if(node, "restoreName", c.restore_name);
    if (c.backup_metadata_set) {
        put_text(node.append_child("BACKUP_METADATA"), "metadata", c.backup_metadata);
    }
    if (c.restore_metadata_set) {
        put_text(node.append_child("RESTORE_METADATA"), "metadata", c.restore_metadata);
    }
    for (const auto &file : c.partial_files) {
        pugi::xml_node child = node.append_child("PARTIAL_FILE");
        put_text(child, "path", file.path);
        put_text(child, "filename", file.filename);
        put_text(child, "ranges", file.ranges);
        put_text_if(child, "metadata", file.metadata);
        put_text_if(child, "rangesFile", file.ranges_file);
    }
    for (const auto &file : c.differenced_files) {
        pugi::xml_node child = node.append_child("DIFFERENCED_FILE");
        put_text(child, "path", file.path);
        put_text(child, "filespec", file.filespec);
        put_bool(child, "recursive", file.recursive);
        put_text_if(child, "lsnString", file.lsn);
        put_uint(child, "lastModifyTime",
                 (static_cast<std::uint64_t>(file.last_modify.dwHighDateTime) << 32) | file.last_modify.dwLowDateTime);
    }
    for (const auto &target : c.directed_targets) {
        pugi::xml_node child = node.append_child("DIRECTED_TARGET");
        put_text(child, "sourcePath", target.source_path);
        put_text(child, "sourceFilename", target.source_filename);
        put_text_if(child, "sourceRangeList", target.source_ranges);
        put_text(child, "destinationPath", target.destination_path);
        put_text(child, "destinationFilename", target.destination_filename);
        put_text_if(child, "destinationRangeList", target.destination_ranges);
    }
    for (const auto &mapping : c.alternate_mappings) {
        put_file_spec(node.append_child("ALTERNATE_LOCATION_MAPPING"), mapping);
    }
    for (const auto &target : c.new_targets) {
        put_file_spec(node.append_child("NEW_TARGET"), target);
    }
    for (const auto &sub : c.restore_subcomponents) {
        pugi::xml_node child = node.append_child("RESTORE_SUBCOMPONENT");
        put_text(child, "logicalPath", sub.logical_path);
        put_text(child, "componentName", sub.name);
        put_bool(child, "repair", sub.repair);
    }
    if (c.failure.set) {
        pugi::xml_node child = node.append_child("FAILURE");
        put_hresult(child, "hr", c.failure.hr);
        put_hresult(child, "hrApplication", c.failure.hr_application);
        put_text_if(child, "message", c.failure.message);
    }
}

core::SelectedComponent get_component(pugi::xml_node node)
{
    core::SelectedComponent c;
    c.logical_path = get_text(node, "logicalPath");
    c.name = get_text(node, "componentName", true);
    if (c.name.empty()) {
        throw BadDocument("COMPONENT: componentName is empty");
    }
    c.type = get_enum(node, "componentType", VSS_CT_UNDEFINED, kComponentTypes);
    if (c.type != VSS_CT_DATABASE && c.type != VSS_CT_FILEGROUP) {
        throw BadDocument("COMPONENT: componentType must be database or filegroup");
    }
    c.backup_succeeded = get_bool(node, "backupSucceeded");
    c.backup_options = get_text(node, "backupOptions");
    c.backup_stamp = get_text(node, "backupStamp");
    c.previous_backup_stamp = get_text(node, "previousBackupStamp");
    c.prepare_for_backup_failure_msg = get_text(node, "prepareForBackupFailureMsg");
    c.post_snapshot_failure_msg = get_text(node, "postSnapshotFailureMsg");
    c.pre_restore_failure_msg = get_text(node, "preRestoreFailureMsg");
    c.post_restore_failure_msg = get_text(node, "postRestoreFailureMsg");
    c.selected_for_restore = get_bool(node, "selectedForRestore");
    c.additional_restores = get_bool(node, "additionalRestores");
    c.restore_options = get_text(node, "restoreOptions");
    c.restore_target = get_enum(node, "restoreTarget", VSS_RT_UNDEFINED, kRestoreTargets);
    c.file_restore_status = get_enum(node, "fileRestoreStatus", VSS_RS_UNDEFINED, kFileRestoreStatuses);
    c.authoritative_restore = get_bool(node, "authoritativeRestore");
    c.roll_forward = get_enum(node, "rollForwardType", VSS_RF_UNDEFINED, kRollForwards);
    c.roll_forward_point = get_text(node, "rollForwardPoint");
    c.restore_name = get_text(node, "restoreName");
    for (pugi::xml_node child : node.children()) {
        const std::string_view kind = child.name();
        if (kind == "BACKUP_METADATA") {
            c.backup_metadata = get_text(child, "metadata", true);
            c.backup_metadata_set = true;
        } else if (kind == "RESTORE_METADATA") {
            c.restore_metadata = get_text(child, "metadata", true);
            c.restore_metadata_set = true;
        } else if (kind == "PARTIAL_FILE") {
            c.partial_files.push_back({get_text(child, "path", true), get_text(child, "filename", true),
                                       get_text(child, "ranges", true), get_text(child, "metadata"),
                                       get_text(child, "rangesFile")});
        } else if (kind == "DIFFERENCED_FILE") {
            core::SelectedComponent::DifferencedFile file;
            file.path = get_text(child, "path", true);
            file.filespec = get_text(child, "filespec", true);
            file.recursive = get_bool(child, "recursive");
            file.lsn = get_text(child, "lsnString");
            const std::uint64_t time = get_uint(child, "lastModifyTime", UINT64_MAX);
            file.last_modify.dwLowDateTime = static_cast<DWORD>(time);
            file.last_modify.dwHighDateTime = static_cast<DWORD>(time >> 32);
            c.differenced_files.push_back(std::move(file));
        } else if (kind == "DIRECTED_TARGET") {
            c.directed_targets.push_back({get_text(child, "sourcePath", true), get_text(child, "sourceFilename", true),
                                          get_text(child, "sourceRangeList"), get_text(child, "destinationPath", true),
                                          get_text(child, "destinationFilename", true),
                                          get_text(child, "destinationRangeList")});
        } else if (kind == "ALTERNATE_LOCATION_MAPPING") {
            c.alternate_mappings.push_back(get_file_spec(child));
        } else if (kind == "NEW_TARGET") {
            c.new_targets.push_back(get_file_spec(child));
        } else if (kind == "RESTORE_SUBCOMPONENT") {
            c.restore_subcomponents.push_back(
                {get_text(child, "logicalPath"), get_text(child, "componentName", true), get_bool(child, "repair")});
        } else if (kind == "FAILURE") {
            c.failure.set = true;
            c.failure.hr = get_hresult(child, "hr");
            c.failure.hr_application = get_hresult(child, "hrApplication");
            c.failure.message = get_text(child, "message");
        } else {
            throw BadDocument("COMPONENT: unknown element <" + std::string(kind) + ">");
        }
    }
    return c;
}

} // namespace

std::u16string save_backup_document(const core::BackupDocument &document)
{
    pugi::xml_document xml;
    pugi::xml_node root = new_document(xml, kRoot, kNamespace);
    put_bool(root, "selectComponents", document.select_components);
    put_bool(root, "bootableSystemStateBackup", document.bootable_system_state);
    put_enum(root, "backupType", document.backup_type, kBackupTypes);
    put_bool(root, "partialFileSupport", document.partial_file_support);
    put_uint(root, "context", static_cast<std::uint32_t>(document.context));
    put_guid(root, "snapshotSetId", document.snapshot_set_id);
    for (const auto &writer : document.writers) {
        pugi::xml_node node = root.append_child("WRITER_COMPONENTS");
        put_guid(node, "writerId", writer.class_id);
        put_guid(node, "instanceId", writer.instance_id);
        for (const auto &component : writer.components) {
            put_component(node.append_child("COMPONENT"), component);
        }
    }
    return document_text(xml);
}

HRESULT load_backup_document(std::u16string_view xml, core::BackupDocument &out, std::string &why)
{
    try {
        pugi::xml_document parsed;
        parse_document(xml, parsed, kRoot, kNamespace);
        const pugi::xml_node root = parsed.document_element();
        core::BackupDocument document;
        document.select_components = get_bool(root, "selectComponents");
        document.bootable_system_state = get_bool(root, "bootableSystemStateBackup");
        document.backup_type = get_enum(root, "backupType", VSS_BT_FULL, kBackupTypes);
        document.partial_file_support = get_bool(root, "partialFileSupport");
        document.context = static_cast<LONG>(get_uint(root, "context", 0xFFFFFFFFu));
        document.snapshot_set_id = root.attribute("snapshotSetId") ? get_guid(root, "snapshotSetId") : GUID_NULL;
        for (pugi::xml_node node : root.children()) {
            if (std::string_view(node.name()) != "WRITER_COMPONENTS") {
                throw BadDocument("BACKUP_COMPONENTS: unknown element <" + std::string(node.name()) + ">");
            }
            core::BackupDocument::Writer writer;
            writer.class_id = get_guid(node, "writerId");
            writer.instance_id = node.attribute("instanceId") ? get_guid(node, "instanceId") : GUID_NULL;
            for (pugi::xml_node component : node.children()) {
                if (std::string_view(component.name()) != "COMPONENT") {
                    throw BadDocument("WRITER_COMPONENTS: unknown element <" + std::string(component.name()) + ">");
                }
                writer.components.push_back(get_component(component));
            }
            document.writers.push_back(std::move(writer));
        }
        out = std::move(document);
        return S_OK;
    } catch (const BadDocument &bad) {
        why = bad.what();
        return VSS_E_INVALID_XML_DOCUMENT;
    }
}

} // namespace vssapi::documents
