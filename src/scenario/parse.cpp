// Reads a scenario file; abi/scenario.schema.json documents the format.
//
// Three steps, so that every error names a place and nothing is half-read:
//  1. One SAX pass over the raw text checks the JSON itself with nlohmann's
//     lexer: syntax, nesting depth and duplicate keys, before any DOM exists.
//  2. nlohmann builds the DOM.
//  3. A walker checks the DOM against the format, one small function per
//     object kind, and fills a Scenario. The first problem is thrown as an
//     Issue (a JSON pointer and a message). nlohmann's DOM keeps no
//     positions, so only then does a second SAX pass find where that value
//     (or key) starts in the text.
#include "scenario/scenario.h"

#include "scenario/json_text.h"

#include "com/utf.h"
#include "core/hresult_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <span>
#include <string_view>
#include <system_error>

namespace vssapi::scenario {
namespace {

using json = nlohmann::json;
using json_text::Anchor;
using json_text::in_quotes;
using json_text::is_space;
using json_text::LineColumn;
using json_text::member_of;
using json_text::Pointer;
using json_text::Step;


// ---------------------------------------------------------------------------
// The walker's vocabulary: nodes, issues, fields and values.

// The first problem found in the DOM. The walker throws it; the position is
// looked up only then.
struct Issue {
    Pointer pointer;               // the value or key it is about
    Anchor anchor = Anchor::Value;
    std::string message;           // "writers[0].usage: expected one of ..."
    bool show_found = false;       // then ", found <the value as written>"
    std::string hint;              // last: "; did you mean ...?"
};

// A value of the DOM and where it is in the document.
struct Node {
    const json &value;
    Pointer pointer;

    std::string where() const { return json_text::where(pointer); }
    Node member(std::string_view key) const { return Node{value.at(std::string(key)), member_of(pointer, key)}; }
    Node element(std::size_t index) const
    {
        Pointer inner = pointer;
        inner.push_back(Step{{}, index, true});
        return Node{value.at(index), std::move(inner)};
    }
};

[[noreturn]] void expected(const Node &node, const std::string &what, std::string hint = {})
{
    throw Issue{node.pointer, Anchor::Value, node.where() + ": expected " + what, true, std::move(hint)};
}

[[noreturn]] void fail(const Node &node, const std::string &text)
{
    throw Issue{node.pointer, Anchor::Value, node.where() + ": " + text, false, {}};
}

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

// Levenshtein distance, ignoring case.
std::size_t distance(std::string_view a_text, std::string_view b_text)
{
    const std::string a = lowercase(a_text);
    const std::string b = lowercase(b_text);
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "; did you mean "OnFreeze"?" when one name is close to what was written.
std::string did_you_mean(std::string_view given, std::span<const std::string_view> names)
{
    const std::size_t limit = std::clamp<std::size_t>(given.size() / 3, 1, 3);
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (std::string_view name : names) {
        const std::size_t d = distance(given, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best.empty() ? std::string() : "; did you mean " + in_quotes(best) + "?";
}

std::string joined(std::span<const std::string_view> names, bool quote)
{
    std::string out;
    for (std::string_view name : names) {
        out += out.empty() ? "" : ", ";
        out += quote ? in_quotes(name) : std::string(name);
    }
    return out;
}

// An object of the format: it holds only the fields of its table.
class Object {
public:
    Object(Node node, std::span<const std::string_view> fields) : node_(std::move(node))
    {
        if (!node_.value.is_object()) {
            expected(node_, "an object");
        }
        for (const auto &[key, value] : node_.value.items()) {
            if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
                throw Issue{member_of(node_.pointer, key), Anchor::Key,
                            node_.where() + ": unknown field " + in_quotes(key) + "; expected one of " +
                                joined(fields, false),
                            false, did_you_mean(key, fields)};
            }
        }
    }

    std::optional<Node> get(std::string_view key) const
    {
        const auto member = node_.value.find(key);
        if (member == node_.value.end()) {
            return std::nullopt;
        }
        return Node{*member, member_of(node_.pointer, key)};
    }

    // Missing: the error is at the object's '{'.
    Node require(std::string_view key, std::string_view why = {}) const
    {
        if (auto member = get(key)) {
            return *member;
        }
        throw Issue{node_.pointer, Anchor::Value,
                    node_.where() + ": missing required field " + in_quotes(key) + std::string(why), false, {}};
    }

    // A field this object may not have, given its other fields.
    void forbid(std::string_view key, const std::string &why) const
    {
        if (get(key)) {
            const Pointer at = member_of(node_.pointer, key);
            throw Issue{at, Anchor::Key, json_text::where(at) + ": " + why, false, {}};
        }
    }

private:
    Node node_;
};

const json::array_t &read_array(const Node &node, const std::string &what)
{
    if (!node.value.is_array()) {
        expected(node, what);
    }
    return node.value.get_ref<const json::array_t &>();
}

const std::string &read_utf8(const Node &node)
{
    if (!node.value.is_string()) {
        expected(node, "a string");
    }
    const auto &text = node.value.get_ref<const std::string &>();
    if (text.find('\0') != std::string::npos) {
        fail(node, "a string may not contain U+0000 (written \\u0000)");
    }
    return text;
}

std::u16string read_text(const Node &node)
{
    return com::utf8_to_utf16(read_utf8(node));
}

std::u16string read_name(const Node &node)
{
    if (!node.value.is_string() || node.value.get_ref<const std::string &>().empty()) {
        expected(node, "a non-empty string");
    }
    return read_text(node);
}

std::u16string read_message(const Node &node)
{
    std::u16string text = read_text(node);
    if (text.size() > core::kMaxFailureMessage) {
        fail(node, "expected at most " + std::to_string(core::kMaxFailureMessage) + " UTF-16 code units, found " +
                       std::to_string(text.size()));
    }
    return text;
}

bool read_bool(const Node &node)
{
    if (!node.value.is_boolean()) {
        expected(node, "true or false");
    }
    return node.value.get<bool>();
}

// An integer the way JSON Schema sees one: 7 and 7.0 alike. None when it is
// not a whole number or past the range of int64 (every range here is inside).
std::optional<std::int64_t> whole_number(const json &value)
{
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        return v <= static_cast<std::uint64_t>(INT64_MAX) ? std::optional<std::int64_t>(static_cast<std::int64_t>(v))
                                                           : std::nullopt;
    }
    if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    if (value.is_number_float()) {
        const double v = value.get<double>();
        if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 9.0e18) {
            return static_cast<std::int64_t>(v);
        }
    }
    return std::nullopt;
}

std::uint32_t read_uint32(const Node &node)
{
    const auto v = whole_number(node.value);
    if (!v || *v < 0 || *v > 0xFFFFFFFFLL) {
        expected(node, "an integer from 0 to 4294967295");
    }
    return static_cast<std::uint32_t>(*v);
}

core::Duration read_ms(const Node &node)
{
    return core::Duration(read_uint32(node));
}

template <typename T>
struct Choice {
    std::string_view name;
    T value;
};

template <typename T, std::size_t N>
T read_choice(const Node &node, const Choice<T> (&choices)[N])
{
    std::vector<std::string_view> names;
    for (const Choice<T> &choice : choices) {
        if (node.value.is_string() && node.value.get_ref<const std::string &>() == choice.name) {
            return choice.value;
        }
        names.push_back(choice.name);
    }
    expected(node, "one of " + joined(names, true),
             node.value.is_string() ? did_you_mean(node.value.get_ref<const std::string &>(), names) : std::string());
}

// Names of the HRESULT table, and the generic COM codes in case it lacks one.
const std::vector<std::pair<std::string_view, HRESULT>> &hresult_names()
{
    static const auto names = [] {
        std::vector<std::pair<std::string_view, HRESULT>> out;
        for (const core::HresultText &row : core::hresult_table()) {
            out.emplace_back(row.name, row.value);
        }
        const std::pair<std::string_view, HRESULT> generic[] = {
            {"S_OK", S_OK},
            {"S_FALSE", S_FALSE},
            {"E_FAIL", E_FAIL},
            {"E_INVALIDARG", E_INVALIDARG},
            {"E_OUTOFMEMORY", E_OUTOFMEMORY},
            {"E_UNEXPECTED", E_UNEXPECTED},
            {"E_ACCESSDENIED", E_ACCESSDENIED},
            {"E_NOTIMPL", E_NOTIMPL},
        };
        for (const auto &code : generic) {
            if (std::none_of(out.begin(), out.end(), [&](const auto &row) { return row.first == code.first; })) {
                out.push_back(code);
            }
        }
        return out;
    }();
    return names;
}

constexpr const char *kHresultExpected =
    "an HRESULT (a name such as \"VSS_E_PROVIDER_VETO\", \"0x80042306\" or an integer)";

HRESULT read_hresult(const Node &node)
{
    if (node.value.is_string()) {
        const std::string &text = node.value.get_ref<const std::string &>();
        if (const auto hr = core::parse_hresult(text)) {
            return *hr;
        }
        std::vector<std::string_view> names;
        for (const auto &row : hresult_names()) {
            names.push_back(row.first);
        }
        expected(node, kHresultExpected, did_you_mean(text, names));
    }
    if (node.value.is_number()) {
        const auto v = whole_number(node.value);
        if (!v || *v < INT32_MIN || *v > 0xFFFFFFFFLL) {
            expected(node, "an HRESULT integer from -2147483648 to 4294967295");
        }
        return static_cast<HRESULT>(static_cast<std::uint32_t>(*v)); // the 32-bit pattern
    }
    expected(node, kHresultExpected);
}

std::optional<GUID> guid_from_text(std::string_view text)
{
    if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
        text = text.substr(1, 36);
    }
    if (text.size() != 36) {
        return std::nullopt;
    }
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const char c = text[i];
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex) {
            return std::nullopt;
        }
        if (!dash) {
            digits += c;
        }
    }
    const auto field = [&](std::size_t at, std::size_t count) {
        std::uint32_t value = 0;
        std::from_chars(digits.data() + at, digits.data() + at + count, value, 16);
        return value;
    };
    GUID id{};
    id.Data1 = static_cast<decltype(id.Data1)>(field(0, 8));
    id.Data2 = static_cast<decltype(id.Data2)>(field(8, 4));
    id.Data3 = static_cast<decltype(id.Data3)>(field(12, 4));
    for (std::size_t i = 0; i < 8; ++i) {
        id.Data4[i] = static_cast<unsigned char>(field(16 + 2 * i, 2));
    }
    return id;
}

GUID read_guid(const Node &node)
{
    if (node.value.is_string()) {
        if (const auto id = guid_from_text(node.value.get_ref<const std::string &>())) {
            return *id;
        }
    }
    expected(node, "a GUID such as \"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\"");
}

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

constexpr std::string_view kScenarioFields[] = {"$schema", "description", "service", "backup", "provider", "writers"};
constexpr std::string_view kServiceFields[] = {"clock", "event_timeout_ms", "commit_window_ms"};
constexpr std::string_view kBackupFields[] = {"type", "select_components"};
constexpr std::string_view kProviderFields[] = {"commit"};
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
    if (const auto commit = object.get("commit")) {
        return read_commit(*commit);
    }
    return ProviderBehaviour{};
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
