// Reads a scenario file; abi/scenario.schema.json documents the format.
//
// Three steps, so that every error names a place and nothing is half-read:
//  1. One SAX pass over the raw text checks the JSON itself with nlohmann's
//     lexer: syntax, nesting depth and duplicate keys, before any DOM exists.
//  2. nlohmann builds the DOM.
//  3. A walker checks the DOM against the format, one small function per
//     object kind, and fills a Scenario; its value readers (read_values.h)
//     throw the first problem as an Issue (a JSON pointer and a message).
//     nlohmann's DOM keeps no positions, so only then does a second SAX
//     pass find where that value (or key) starts in the text.
// The JSON itself (positions, pointers, broken JSON in words) is json_text.h.
#include "scenario/scenario.h"

#include "scenario/json_text.h"
#include "scenario/read_values.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string_view>
#include <system_error>

namespace vssapi::scenario {
namespace {

using namespace read; // Node, Issue, Object and the read_* functions
using json_text::in_quotes;
using json_text::is_space;
using json_text::LineColumn;



// A writer without "instance_id": its class id, the last 4 bytes of Data4
// XORed with its position in "writers" plus one (big-endian).
GUID derived_instance_id(GUID id, std::size_t index)
{
    const auto n = static_cast<std::uint32_t>(index + 1);
    for (std::size_t i = 0; i < 4; ++i) {
        id.Data4[4 + i] ^= static_cast<unsigned char>(n >> (24 - 8 * i));
    }
    return id;
}

// ---------------------------------------------------------------------------
// The format: one table of fields and one function per object kind, in the
// order of abi/scenario.schema.json.

constexpr std::string_view kScenarioFields[] = {"$schema", "description", "service", "backup", "restore", "provider", "writers"};
constexpr std::string_view kServiceFields[] = {"clock", "event_timeout_ms", "commit_window_ms"};
constexpr std::string_view kBackupFields[] = {"type", "select_components"};
constexpr std::string_view kRestoreFields[] = {"select", "new_targets"};
constexpr std::string_view kNewTargetFields[] = {"component", "path", "filespec", "recursive", "alternate_path"};
constexpr std::string_view kProviderFields[] = {"name", "commit"};
constexpr std::string_view kCommitFields[] = {"take_ms", "result", "hr"};
constexpr std::string_view kWriterFields[] = {"name",  "class_id", "instance_id",       "instance_name", "usage",
                                              "source", "level",   "freeze_timeout_ms", "components",    "on"};
constexpr std::string_view kComponentFields[] = {"name",       "logical_path", "type",      "caption",
                                                 "selectable", "files",        "databases", "logs"};
constexpr std::string_view kFileSpecFields[] = {"path", "filespec", "recursive"};
constexpr std::string_view kActionFields[] = {"take_ms", "set_writer_failure", "set_writer_failure_ex",
                                              "fail_components", "result", "times"};
constexpr std::string_view kWriterFailureFields[] = {"hr_writer", "hr_application", "message"};
constexpr std::string_view kComponentFailureFields[] = {"component", "hr", "hr_application", "message"};

// The handlers of "on", indexed by core::Event.
constexpr std::string_view kEventFields[] = {
    "OnIdentify", "OnPrepareBackup",  "OnPrepareSnapshot", "OnFreeze",     "OnThaw",        "OnPostSnapshot",
    "OnAbort",    "OnBackupComplete", "OnBackupShutdown",  "OnPreRestore", "OnPostRestore",
};
static_assert(std::size(kEventFields) == kEventCount);

constexpr Choice<ClockKind> kClocks[] = {{"simulated", ClockKind::Simulated}, {"real", ClockKind::Real}};
constexpr Choice<VSS_BACKUP_TYPE> kBackupTypes[] = {
    {"VSS_BT_FULL", VSS_BT_FULL},
    {"VSS_BT_INCREMENTAL", VSS_BT_INCREMENTAL},
    {"VSS_BT_DIFFERENTIAL", VSS_BT_DIFFERENTIAL},
    {"VSS_BT_LOG", VSS_BT_LOG},
    {"VSS_BT_COPY", VSS_BT_COPY},
    {"VSS_BT_OTHER", VSS_BT_OTHER},
};
constexpr Choice<CommitEnding> kCommitEndings[] = {{"succeed", CommitEnding::Succeed}, {"fail", CommitEnding::Fail}};
constexpr Choice<VSS_USAGE_TYPE> kUsages[] = {
    {"VSS_UT_BOOTABLESYSTEMSTATE", VSS_UT_BOOTABLESYSTEMSTATE},
    {"VSS_UT_SYSTEMSERVICE", VSS_UT_SYSTEMSERVICE},
    {"VSS_UT_USERDATA", VSS_UT_USERDATA},
    {"VSS_UT_OTHER", VSS_UT_OTHER},
};
constexpr Choice<VSS_SOURCE_TYPE> kSources[] = {
    {"VSS_ST_TRANSACTEDDB", VSS_ST_TRANSACTEDDB},
    {"VSS_ST_NONTRANSACTEDDB", VSS_ST_NONTRANSACTEDDB},
    {"VSS_ST_OTHER", VSS_ST_OTHER},
};
constexpr Choice<VSS_APPLICATION_LEVEL> kLevels[] = {
    {"VSS_APP_SYSTEM", VSS_APP_SYSTEM},
    {"VSS_APP_BACK_END", VSS_APP_BACK_END},
    {"VSS_APP_FRONT_END", VSS_APP_FRONT_END},
};
constexpr Choice<VSS_COMPONENT_TYPE> kComponentTypes[] = {{"database", VSS_CT_DATABASE},
                                                          {"filegroup", VSS_CT_FILEGROUP}};
constexpr Choice<ProviderName> kProviderNames[] = {
    {"simulated", ProviderName::Simulated},
    {"live", ProviderName::Live},
    {"copy", ProviderName::Copy},
    {"btrfs", ProviderName::Btrfs},
    {"reflink", ProviderName::Reflink},
    {"fsfreeze", ProviderName::Fsfreeze},
};
constexpr Choice<Ending> kEndings[] = {
    {"true", Ending::ReturnTrue},
    {"false", Ending::ReturnFalse},
    {"throw", Ending::Throw},
    {"never_return", Ending::NeverReturn},
};

ServiceSettings read_service(const Node &node)
{
    const Object object(node, kServiceFields);
    ServiceSettings service;
    if (const auto clock = object.get("clock")) {
        service.clock = read_choice(*clock, kClocks);
    }
    if (const auto timeout = object.get("event_timeout_ms")) {
        service.event_timeout = read_ms(*timeout);
    }
    if (const auto window = object.get("commit_window_ms")) {
        service.commit_window = read_ms(*window);
    }
    return service;
}

BackupSettings read_backup(const Node &node)
{
    const Object object(node, kBackupFields);
    BackupSettings backup;
    if (const auto type = object.get("type")) {
        backup.type = read_choice(*type, kBackupTypes);
    }
    if (const auto select = object.get("select_components")) {
        backup.select_components = read_bool(*select);
    }
    return backup;
}

RestoreSettings read_restore(const Node &node)
{
    const Object object(node, kRestoreFields);
    RestoreSettings restore;
    if (const auto select = object.get("select")) {
        const auto &names = read_array(*select, "an array of component paths");
        if (names.size() > kMaxRestoreSelection) {
            fail(*select, "expected at most " + std::to_string(kMaxRestoreSelection) + " components, found " +
                              std::to_string(names.size()));
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            restore.select.push_back(read_name(select->element(i)));
        }
    }
    if (const auto targets = object.get("new_targets")) {
        const auto &items = read_array(*targets, "an array of new targets");
        if (items.size() > kMaxRestoreSelection) {
            fail(*targets, "expected at most " + std::to_string(kMaxRestoreSelection) + " new targets, found " +
                               std::to_string(items.size()));
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Object target(targets->element(i), kNewTargetFields);
            RestoreSettings::NewTarget one;
            one.component = read_name(target.require("component"));
            one.path = read_name(target.require("path"));
            one.filespec = read_name(target.require("filespec"));
            one.alternate_path = read_name(target.require("alternate_path"));
            if (const auto recursive = target.get("recursive")) {
                one.recursive = read_bool(*recursive);
            }
            restore.new_targets.push_back(std::move(one));
        }
    }
    return restore;
}

ProviderBehaviour read_commit(const Node &node)
{
    const Object object(node, kCommitFields);
    ProviderBehaviour commit;
    if (const auto take = object.get("take_ms")) {
        commit.take = read_ms(*take);
    }
    if (const auto result = object.get("result")) {
        commit.ending = read_choice(*result, kCommitEndings);
    }
    if (commit.ending == CommitEnding::Fail) {
        const Node hr = object.require("hr", " (required when \"result\" is \"fail\")");
        commit.hr = read_hresult(hr);
        if (commit.hr >= 0) {
            expected(hr, "a failure HRESULT (negative, such as \"VSS_E_PROVIDER_VETO\")");
        }
    } else {
        object.forbid("hr", "allowed only when \"result\" is \"fail\"");
    }
    return commit;
}

ProviderBehaviour read_provider(const Node &node)
{
    const Object object(node, kProviderFields);
    ProviderBehaviour provider;
    if (const auto commit = object.get("commit")) {
        provider = read_commit(*commit);
    }
    if (const auto name = object.get("name")) {
        provider.name = read_choice(*name, kProviderNames);
    }
    return provider;
}

core::FileSpec read_filespec(const Node &node)
{
    const Object object(node, kFileSpecFields);
    core::FileSpec spec;
    spec.path = read_text(object.require("path"));
    spec.filespec = read_text(object.require("filespec"));
    if (const auto recursive = object.get("recursive")) {
        spec.recursive = read_bool(*recursive);
    }
    return spec;
}

std::vector<core::FileSpec> read_filespecs(const Node &node)
{
    const json::array_t &items = read_array(node, "an array of file specifications");
    std::vector<core::FileSpec> specs;
    for (std::size_t i = 0; i < items.size(); ++i) {
        specs.push_back(read_filespec(node.element(i)));
    }
    return specs;
}

// "logical\path\name", or "name" alone without a logical path.
std::u16string full_name(const core::ComponentDecl &component)
{
    return component.logical_path.empty() ? component.name : component.logical_path + u"\\" + component.name;
}

core::ComponentDecl read_component(const Node &node)
{
    const Object object(node, kComponentFields);
    core::ComponentDecl component;
    component.name = read_name(object.require("name"));
    if (const auto path = object.get("logical_path")) {
        component.logical_path = read_text(*path);
    }
    component.type = VSS_CT_FILEGROUP;
    if (const auto type = object.get("type")) {
        component.type = read_choice(*type, kComponentTypes);
    }
    if (const auto caption = object.get("caption")) {
        component.caption = read_text(*caption);
    }
    component.selectable = true;
    if (const auto selectable = object.get("selectable")) {
        component.selectable = read_bool(*selectable);
    }
    component.selectable_for_restore = component.selectable;
    if (component.type == VSS_CT_FILEGROUP) {
        object.forbid("databases", "allowed only when \"type\" is \"database\" (a file group lists \"files\")");
        object.forbid("logs", "allowed only when \"type\" is \"database\" (a file group lists \"files\")");
        if (const auto files = object.get("files")) {
            component.files = read_filespecs(*files);
        }
    } else {
        object.forbid("files",
                      "allowed only when \"type\" is \"filegroup\" (a database lists \"databases\" and \"logs\")");
        if (const auto databases = object.get("databases")) {
            component.databases = read_filespecs(*databases);
        }
        if (const auto logs = object.get("logs")) {
            component.logs = read_filespecs(*logs);
        }
    }
    return component;
}

std::vector<core::ComponentDecl> read_components(const Node &node)
{
    const json::array_t &items = read_array(node, "an array of components");
    std::vector<core::ComponentDecl> components;
    std::map<std::u16string, std::size_t> seen; // full name -> index
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Node item = node.element(i);
        core::ComponentDecl component = read_component(item);
        const auto [first, inserted] = seen.try_emplace(full_name(component), i);
        if (!inserted) {
            fail(item.member("name"),
                 "component " + in_quotes(full_name(component)) + " is already declared by components[" +
                     std::to_string(first->second) + "] (logical_path\\name must be unique within a writer)");
        }
        components.push_back(std::move(component));
    }
    return components;
}

// The component a failure names, by "name" or "logical_path\name"; the
// result is its full name.
std::u16string find_component(const Node &node, const std::vector<core::ComponentDecl> &components)
{
    const std::u16string given = read_name(node);
    std::vector<const core::ComponentDecl *> by_name;
    for (const core::ComponentDecl &component : components) {
        if (full_name(component) == given) {
            return given;
        }
        if (component.name == given) {
            by_name.push_back(&component);
        }
    }
    if (by_name.size() == 1) {
        return full_name(*by_name.front());
    }
    std::string declared;
    for (const core::ComponentDecl &component : components) {
        declared += (declared.empty() ? "" : ", ") + in_quotes(full_name(component));
    }
    if (by_name.size() > 1) {
        fail(node, "component name " + in_quotes(given) + " is ambiguous in this writer; give logical_path\\name: " +
                       declared);
    }
    fail(node, "no component " + in_quotes(given) + " in this writer; " +
                   (components.empty() ? std::string("it declares none") : "declared: " + declared));
}

WriterFailure read_writer_failure(const Node &node)
{
    const Object object(node, kWriterFailureFields);
    WriterFailure failure;
    // Any code, on purpose: a scenario may check that SetWriterFailureEx
    // refuses a wrong one with E_INVALIDARG.
    failure.hr_writer = read_hresult(object.require("hr_writer"));
    if (const auto application = object.get("hr_application")) {
        failure.hr_application = read_hresult(*application);
    }
    if (const auto message = object.get("message")) {
        failure.message = read_message(*message);
    }
    return failure;
}

ComponentFailureAction read_component_failure(const Node &node, const std::vector<core::ComponentDecl> &components)
{
    const Object object(node, kComponentFailureFields);
    ComponentFailureAction failure;
    failure.component = find_component(object.require("component"), components);
    failure.hr = read_hresult(object.require("hr"));
    if (const auto application = object.get("hr_application")) {
        failure.hr_application = read_hresult(*application);
    }
    if (const auto message = object.get("message")) {
        failure.message = read_message(*message);
    }
    return failure;
}

// The handlers whose IVssWriterComponents lets a writer call IVssComponentEx2::SetFailure.
bool takes_component_failures(core::Event event)
{
    return event == core::Event::PrepareBackup || event == core::Event::PostSnapshot ||
           event == core::Event::PreRestore || event == core::Event::PostRestore;
}

EventAction read_action(const Node &node, core::Event event, const std::vector<core::ComponentDecl> &components)
{
    const Object object(node, kActionFields);
    EventAction action;
    if (const auto take = object.get("take_ms")) {
        action.take = read_ms(*take);
    }
    if (const auto hr = object.get("set_writer_failure")) {
        action.set_writer_failure = read_hresult(*hr);
    }
    if (const auto failure = object.get("set_writer_failure_ex")) {
        action.set_writer_failure_ex = read_writer_failure(*failure);
    }
    if (const auto failures = object.get("fail_components")) {
        if (!takes_component_failures(event)) {
            fail(*failures, std::string("a writer can fail components (IVssComponentEx2::SetFailure) only in "
                                        "OnPrepareBackup, OnPostSnapshot, OnPreRestore and OnPostRestore, not in ") +
                                core::handler_name(event));
        }
        const json::array_t &items = read_array(*failures, "an array of component failures");
        for (std::size_t i = 0; i < items.size(); ++i) {
            action.fail_components.push_back(read_component_failure(failures->element(i), components));
        }
    }
    if (const auto result = object.get("result")) {
        action.ending = read_choice(*result, kEndings);
    }
    if (const auto times = object.get("times")) {
        action.times = read_uint32(*times);
    }
    return action;
}

MockWriter read_writer(const Node &node, std::size_t index)
{
    const Object object(node, kWriterFields);
    MockWriter writer;
    core::WriterIdentity &identity = writer.identity;
    identity.name = read_name(object.require("name"));
    identity.class_id = read_guid(object.require("class_id"));
    const auto instance_id = object.get("instance_id");
    identity.instance_id = instance_id ? read_guid(*instance_id) : derived_instance_id(identity.class_id, index);
    if (const auto instance_name = object.get("instance_name")) {
        identity.instance_name = read_text(*instance_name);
    }
    identity.usage = VSS_UT_USERDATA;
    if (const auto usage = object.get("usage")) {
        identity.usage = read_choice(*usage, kUsages);
    }
    identity.source = VSS_ST_OTHER;
    if (const auto source = object.get("source")) {
        identity.source = read_choice(*source, kSources);
    }
    identity.level = VSS_APP_FRONT_END;
    if (const auto level = object.get("level")) {
        identity.level = read_choice(*level, kLevels);
    }
    identity.freeze_timeout_ms = 60000;
    if (const auto timeout = object.get("freeze_timeout_ms")) {
        identity.freeze_timeout_ms = read_uint32(*timeout);
    }
    if (const auto components = object.get("components")) {
        writer.metadata.components = read_components(*components);
    }
    if (const auto on = object.get("on")) {
        const Object handlers(*on, kEventFields);
        for (std::size_t event = 0; event < kEventCount; ++event) {
            if (const auto action = handlers.get(kEventFields[event])) {
                writer.on[event] = read_action(*action, static_cast<core::Event>(event), writer.metadata.components);
            }
        }
    }
    return writer;
}

Scenario read_scenario(const json &root, std::string source)
{
    const Object object(Node{root, {}}, kScenarioFields);
    Scenario scenario;
    scenario.source = std::move(source);
    if (const auto schema = object.get("$schema")) {
        read_utf8(*schema); // names the schema for editors; nothing to keep
    }
    if (const auto description = object.get("description")) {
        scenario.description = read_utf8(*description);
    }
    if (const auto service = object.get("service")) {
        scenario.service = read_service(*service);
    }
    if (const auto restore = object.get("restore")) {
        scenario.restore = read_restore(*restore);
    }
    if (const auto backup = object.get("backup")) {
        scenario.backup = read_backup(*backup);
    }
    if (const auto provider = object.get("provider")) {
        scenario.provider = read_provider(*provider);
    }
    const Node writers = object.require("writers");
    const json::array_t &items = read_array(writers, "an array of writers");
    if (items.size() > kMaxWriters) {
        fail(writers,
             "expected at most " + std::to_string(kMaxWriters) + " writers, found " + std::to_string(items.size()));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        scenario.writers.push_back(read_writer(writers.element(i), i));
        // A requester tells writers apart by instance id: two alike would be one writer to it.
        for (std::size_t earlier = 0; earlier < i; ++earlier) {
            if (IsEqualGUID(scenario.writers[earlier].identity.instance_id, scenario.writers[i].identity.instance_id)) {
                const Node writer = writers.element(i);
                const Object fields(writer, kWriterFields);
                const auto given = fields.get("instance_id");
                fail(given ? *given : writer, "the same instance id as writers[" + std::to_string(earlier) +
                                                  "]; every writer instance needs its own");
            }
        }
    }
    return scenario;
}

} // namespace

std::string ParseError::to_string() const
{
    std::string out = source;
    if (line != 0) {
        out += ':' + std::to_string(line);
        if (column != 0) {
            out += ':' + std::to_string(column);
        }
    }
    return out + ": " + message;
}

ParseResult parse_scenario_text(std::string_view text, std::string source)
{
    const auto error_at = [&](std::size_t offset, std::string message) {
        const LineColumn at = json_text::line_column(text, offset);
        return ParseResult{std::nullopt, ParseError{source, at.line, at.column, std::move(message)}};
    };
    if (text.size() > kMaxScenarioBytes) {
        return ParseResult{std::nullopt, ParseError{source, 0, 0,
                                                    "too large: " + std::to_string(text.size()) +
                                                        " bytes; a scenario has at most " +
                                                        std::to_string(kMaxScenarioBytes) + " bytes (4 MiB)"}};
    }
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
        return error_at(0, "invalid JSON: the file is UTF-16; a scenario file is UTF-8");
    }
    const std::string_view content = text.substr(json_text::after_bom(text));
    if (std::all_of(content.begin(), content.end(), is_space)) {
        return error_at(text.size(), content.empty() ? "expected a JSON object, found an empty file"
                                                     : "expected a JSON object, found only white space");
    }

    if (std::optional<json_text::Located> broken = json_text::check(text, kMaxNesting, "scenario")) {
        return error_at(broken->offset, std::move(broken->message));
    }
    json root;
    try {
        root = json::parse(text.data(), text.data() + text.size());
    } catch (const json::exception &) { // the SAX pass has seen it all; just in case
        return error_at(0, "invalid JSON: the parser refused what the syntax check accepted");
    }
    try {
        return ParseResult{read_scenario(root, source), std::nullopt};
    } catch (const Issue &issue) {
        const std::size_t offset = json_text::locate(text, issue.pointer, issue.anchor);
        std::string message = issue.message;
        if (issue.show_found) {
            message += ", found " + json_text::written_value(text, offset);
        }
        return error_at(offset, message + issue.hint);
    }
}

ParseResult parse_scenario_file(const std::string &path)
{
    const auto failed = [&](std::string message) {
        return ParseResult{std::nullopt, ParseError{path, 0, 0, std::move(message)}};
    };
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        return failed("cannot open: no such file");
    }
    if (status.type() == std::filesystem::file_type::directory) {
        return failed("cannot read: a folder, not a file");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return failed("cannot open: " +
                      (errno != 0 ? std::generic_category().message(errno) : std::string("unreadable")));
    }
    // Never more than the limit and one chunk, whatever the file's size.
    std::string text;
    std::vector<char> chunk(64 * 1024);
    const auto chunk_size = static_cast<std::streamsize>(chunk.size());
    while (text.size() <= kMaxScenarioBytes && in.read(chunk.data(), chunk_size).gcount() > 0) {
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        return failed("cannot read: an input/output error");
    }
    if (text.size() > kMaxScenarioBytes) {
        const auto size = std::filesystem::file_size(path, ec);
        return failed("too large: " + (ec ? "more than " + std::to_string(kMaxScenarioBytes) : std::to_string(size)) +
                      " bytes; a scenario has at most " + std::to_string(kMaxScenarioBytes) + " bytes (4 MiB)");
    }
    return parse_scenario_text(text, path);
}

} // namespace vssapi::scenario
