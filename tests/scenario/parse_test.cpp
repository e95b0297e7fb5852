// Reading scenario files (src/scenario/parse.cpp): every field read back,
// the defaults, and each bad input's exact error. The bad inputs live in
// tests/scenario/bad/ (one JSON per case, its expected error in the sibling
// .err file) so that tests/scenario/check_schema.py sees the same files.
#include "scenario/read_values.h"
#include "scenario/scenario.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

using namespace vssapi;
using namespace vssapi::scenario;

namespace {

constexpr const char *kClassId = "{6f5b15b5-da24-4d88-b737-63063e3a1f86}";

std::filesystem::path folder_from(const char *variable)
{
    const char *folder = std::getenv(variable);
    REQUIRE_MESSAGE(folder != nullptr, variable << " is not set (tests/scenario/meson.build sets it)");
    return folder;
}

std::filesystem::path tests_folder()
{
    return folder_from("OPENVSS_SCENARIO_TESTS");
}

std::string read_file(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Scenario parse_ok(std::string_view text)
{
    ParseResult result = parse_scenario_text(text, "test.json");
    REQUIRE_MESSAGE(!result.error, result.error->to_string());
    REQUIRE(result.scenario.has_value());
    return std::move(*result.scenario);
}

ParseError parse_bad(std::string_view text)
{
    ParseResult result = parse_scenario_text(text, "test.json");
    REQUIRE(result.error.has_value());
    CHECK_FALSE(result.scenario.has_value());
    return *result.error;
}

// "line:column: message", the way the .err files hold an error.
std::string located(const ParseError &error)
{
    return std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.message;
}

// One writer with `fields` added after its name and class id.
std::string one_writer(const std::string &fields)
{
    return std::string(R"({"writers": [{"name": "w", "class_id": ")") + kClassId + "\"" +
           (fields.empty() ? "" : ", " + fields) + "}]}";
}

GUID make_guid(std::uint32_t data1, std::uint16_t data2, std::uint16_t data3, std::array<std::uint8_t, 8> data4)
{
    GUID id{};
    id.Data1 = data1;
    id.Data2 = data2;
    id.Data3 = data3;
    for (std::size_t i = 0; i < 8; ++i) {
        id.Data4[i] = data4[i];
    }
    return id;
}

const EventAction &action(const MockWriter &writer, core::Event event)
{
    const auto &slot = writer.on[static_cast<std::size_t>(event)];
    REQUIRE(slot.has_value());
    return *slot;
}

HRESULT hresult_of(const std::string &value)
{
    const Scenario scenario = parse_ok(one_writer(R"("on": {"OnFreeze": {"set_writer_failure": )" + value + "}}"));
    const auto hr = action(scenario.writers.at(0), core::Event::Freeze).set_writer_failure;
    REQUIRE(hr.has_value());
    return *hr;
}

} // namespace

TEST_CASE("scenario: a full scenario reads back every field")
{
    const std::string path = (tests_folder() / "good" / "full.json").string();
    const ParseResult result = parse_scenario_file(path);
    REQUIRE_MESSAGE(!result.error, result.error->to_string());
    const Scenario &s = *result.scenario;

    CHECK(s.source == path);
    CHECK(s.description == "Every field of the format, each with a value other than its default (parse_test.cpp reads them back).");
    CHECK(s.service.clock == ClockKind::Real);
    CHECK(s.service.event_timeout == core::Duration(1234));
    CHECK(s.service.commit_window == core::Duration(567));
    CHECK(s.backup.type == VSS_BT_INCREMENTAL);
    CHECK_FALSE(s.backup.select_components);
    CHECK(s.provider.take == core::Duration(250));
    CHECK(s.provider.ending == CommitEnding::Fail);
    CHECK(s.provider.hr == VSS_E_PROVIDER_VETO);
    REQUIRE(s.writers.size() == 2);

    const MockWriter &w = s.writers[0];
    CHECK(w.identity.name == u"Full Writer");
    CHECK(w.identity.class_id == make_guid(0x12345678, 0x9abc, 0xdef0, {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}));
    CHECK(w.identity.instance_id == make_guid(0x0fedcba9, 0x8765, 0x4321, {0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21}));
    CHECK(w.identity.instance_name == u"Instance \u03A9");
    CHECK(w.identity.usage == VSS_UT_SYSTEMSERVICE);
    CHECK(w.identity.source == VSS_ST_NONTRANSACTEDDB);
    CHECK(w.identity.level == VSS_APP_SYSTEM);
    CHECK(w.identity.freeze_timeout_ms == 4294967295u);

    REQUIRE(w.metadata.components.size() == 2);
    const core::ComponentDecl &db = w.metadata.components[0];
    CHECK(db.type == VSS_CT_DATABASE);
    CHECK(db.name == u"db");
    CHECK(db.logical_path == u"Instance\\Databases");
    CHECK(db.caption == u"The database");
    CHECK_FALSE(db.selectable);
    CHECK_FALSE(db.selectable_for_restore);
    CHECK(db.files.empty());
    REQUIRE(db.databases.size() == 1);
    CHECK(db.databases[0].path == u"C:\\db");
    CHECK(db.databases[0].filespec == u"*.mdf");
    CHECK(db.databases[0].recursive);
    REQUIRE(db.logs.size() == 2);
    CHECK(db.logs[0].path == u"C:\\logs");
    CHECK(db.logs[1].path == u"D:\\logs");
    CHECK(db.logs[1].filespec == u"*.ldf");
    CHECK_FALSE(db.logs[1].recursive);
    const core::ComponentDecl &files = w.metadata.components[1];
    CHECK(files.type == VSS_CT_FILEGROUP);
    CHECK(files.name == u"files");
    CHECK(files.logical_path.empty());
    CHECK(files.selectable);
    CHECK(files.selectable_for_restore);
    REQUIRE(files.files.size() == 1);
    CHECK(files.files[0].path == u"/srv/files");
    CHECK(files.files[0].filespec == u"*");
    CHECK_FALSE(files.files[0].recursive);
    CHECK(files.databases.empty());
    CHECK(files.logs.empty());

    // Each handler name lands on its event: the file gives event i "times": i + 1.
    for (std::size_t event = 0; event < kEventCount; ++event) {
        CAPTURE(event);
        REQUIRE(w.on[event].has_value());
        CHECK(w.on[event]->times == event + 1);
    }
    const EventAction &freeze = action(w, core::Event::PostSnapshot); // the handler that may fail components
    CHECK(freeze.take == core::Duration(100));
    CHECK(freeze.set_writer_failure == VSS_E_WRITERERROR_RETRYABLE);
    REQUIRE(freeze.set_writer_failure_ex.has_value());
    CHECK(freeze.set_writer_failure_ex->hr_writer == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(freeze.set_writer_failure_ex->hr_application == E_OUTOFMEMORY);
    CHECK(freeze.set_writer_failure_ex->message == u"disk full \u2713");
    REQUIRE(freeze.fail_components.size() == 2);
    CHECK(freeze.fail_components[0].component == u"Instance\\Databases\\db");
    CHECK(freeze.fail_components[0].hr == E_FAIL);
    CHECK(freeze.fail_components[0].hr_application == E_OUTOFMEMORY);
    CHECK(freeze.fail_components[0].message == u"db failed");
    CHECK(freeze.fail_components[1].component == u"files");
    CHECK(freeze.fail_components[1].hr == E_FAIL);
    CHECK(freeze.fail_components[1].hr_application == S_OK);
    CHECK(freeze.fail_components[1].message.empty());
    CHECK(freeze.ending == Ending::ReturnFalse);
    CHECK(action(w, core::Event::Thaw).ending == Ending::Throw);
    CHECK(action(w, core::Event::Freeze).ending == Ending::NeverReturn);
    CHECK(action(w, core::Event::PostRestore).ending == Ending::ReturnTrue);

    // The second writer: same class id in capitals and no braces; its
    // instance id derives from its position (1): Data4's last bytes ^ 00 00 00 02.
    const MockWriter &d = s.writers[1];
    CHECK(d.identity.class_id == w.identity.class_id);
    CHECK(d.identity.instance_id == make_guid(0x12345678, 0x9abc, 0xdef0, {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf2}));
}

TEST_CASE("scenario: what a scenario leaves out takes its default")
{
    const Scenario s = parse_ok(one_writer(R"("components": [{"name": "c", "files": [{"path": "/p", "filespec": "*"}]}],
                                              "on": {"OnFreeze": {}})"));
    CHECK(s.source == "test.json");
    CHECK(s.description.empty());
    CHECK(s.service.clock == ClockKind::Simulated);
    CHECK(s.service.event_timeout == core::Duration(600000));
    CHECK(s.service.commit_window == core::Duration(10000));
    CHECK(s.backup.type == VSS_BT_FULL);
    CHECK(s.backup.select_components);
    CHECK(s.provider.take == core::Duration(0));
    CHECK(s.provider.ending == CommitEnding::Succeed);
    CHECK(s.provider.hr == S_OK);
    REQUIRE(s.writers.size() == 1);
    const MockWriter &w = s.writers[0];
    CHECK(w.identity.name == u"w");
    CHECK(w.identity.instance_name.empty());
    CHECK(w.identity.usage == VSS_UT_USERDATA);
    CHECK(w.identity.source == VSS_ST_OTHER);
    CHECK(w.identity.level == VSS_APP_FRONT_END);
    CHECK(w.identity.freeze_timeout_ms == 60000u);
    REQUIRE(w.metadata.components.size() == 1);
    const core::ComponentDecl &c = w.metadata.components[0];
    CHECK(c.type == VSS_CT_FILEGROUP);
    CHECK(c.logical_path.empty());
    CHECK(c.caption.empty());
    CHECK(c.selectable);
    CHECK(c.selectable_for_restore);
    REQUIRE(c.files.size() == 1);
    CHECK_FALSE(c.files[0].recursive);
    for (std::size_t event = 0; event < kEventCount; ++event) {
        CHECK(w.on[event].has_value() == (event == static_cast<std::size_t>(core::Event::Freeze)));
    }
    const EventAction &freeze = action(w, core::Event::Freeze);
    CHECK(freeze.take == core::Duration(0));
    CHECK_FALSE(freeze.set_writer_failure.has_value());
    CHECK_FALSE(freeze.set_writer_failure_ex.has_value());
    CHECK(freeze.fail_components.empty());
    CHECK(freeze.ending == Ending::ReturnTrue);
    CHECK(freeze.times == 0u);

    const Scenario failure = parse_ok(one_writer(
        R"("components": [{"name": "c"}], "on": {"OnPostSnapshot": {"set_writer_failure_ex": {"hr_writer": "E_FAIL"},
                                                                     "fail_components": [{"component": "c", "hr": 5}]}})"));
    const EventAction &thaw = action(failure.writers.at(0), core::Event::PostSnapshot);
    CHECK(thaw.set_writer_failure_ex->hr_application == S_OK);
    CHECK(thaw.set_writer_failure_ex->message.empty());
    CHECK(thaw.fail_components.at(0).hr_application == S_OK);
    CHECK(thaw.fail_components.at(0).message.empty());

    CHECK(parse_ok(R"({"writers": []})").writers.empty());
}

TEST_CASE("scenario: an HRESULT is a name, a hex string or an integer")
{
    CHECK(hresult_of(R"("VSS_E_WRITERERROR_RETRYABLE")") == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(hresult_of(R"("VSS_S_ASYNC_FINISHED")") == VSS_S_ASYNC_FINISHED);
    CHECK(hresult_of(R"("S_OK")") == S_OK);
    CHECK(hresult_of(R"("S_FALSE")") == S_FALSE);
    CHECK(hresult_of(R"("E_FAIL")") == E_FAIL);
    CHECK(hresult_of(R"("E_INVALIDARG")") == E_INVALIDARG);
    CHECK(hresult_of(R"("E_OUTOFMEMORY")") == E_OUTOFMEMORY);
    CHECK(hresult_of(R"("E_UNEXPECTED")") == E_UNEXPECTED);
    CHECK(hresult_of(R"("E_ACCESSDENIED")") == E_ACCESSDENIED);
    CHECK(hresult_of(R"("E_NOTIMPL")") == E_NOTIMPL);

    CHECK(hresult_of(R"("0x0")") == S_OK);
    CHECK(hresult_of(R"("0x1")") == S_FALSE);
    CHECK(hresult_of(R"("0x800423f3")") == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(hresult_of(R"("0x800423F3")") == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(hresult_of(R"("0xFFFFFFFF")") == HRESULT(-1));
    CHECK(hresult_of(R"("0x00000000")") == S_OK);

    CHECK(hresult_of("0") == S_OK);
    CHECK(hresult_of("1") == S_FALSE);
    CHECK(hresult_of("-2147467259") == E_FAIL);
    CHECK(hresult_of("2147500037") == E_FAIL); // 0x80004005, unsigned
    CHECK(hresult_of("-2147483648") == HRESULT(0x80000000u));
    CHECK(hresult_of("2147483648") == HRESULT(0x80000000u));
    CHECK(hresult_of("4294967295") == HRESULT(-1));
    CHECK(hresult_of("-1") == HRESULT(-1));
    CHECK(hresult_of("2147483647") == HRESULT(0x7FFFFFFF));
    CHECK(hresult_of("5.0") == HRESULT(5)); // a whole number, as JSON Schema counts
    // The one text syntax of core::parse_hresult (vssctl explain takes the same).
    CHECK(hresult_of(R"("0X1")") == HRESULT(1));
    CHECK(hresult_of(R"("12")") == HRESULT(12));
    CHECK(hresult_of(R"("-2147467259")") == E_FAIL);

    const auto error_for = [](const std::string &value) {
        return parse_bad(one_writer(R"("on": {"OnFreeze": {"set_writer_failure": )" + value + "}}")).message;
    };
    const std::string expected = "writers[0].on.OnFreeze.set_writer_failure: expected an HRESULT (a name such as "
                                 "\"VSS_E_PROVIDER_VETO\", \"0x80042306\" or an integer), found ";
    CHECK(error_for(R"("0x")") == expected + R"("0x")");
    CHECK(error_for(R"("0x123456789")") == expected + R"("0x123456789")");
    CHECK(error_for(R"("0x-1")") == expected + R"("0x-1")");
    CHECK(error_for(R"("0x1g")") == expected + R"("0x1g")");
    CHECK(error_for(R"("s_ok")") == expected + R"("s_ok"; did you mean "S_OK"?)");
    CHECK(error_for("true") == expected + "true");
    CHECK(error_for("null") == expected + "null");
    CHECK(error_for("[]") == expected + "an array");
    const std::string range = "writers[0].on.OnFreeze.set_writer_failure: expected an HRESULT integer from "
                              "-2147483648 to 4294967295, found ";
    CHECK(error_for("4294967296") == range + "4294967296");
    CHECK(error_for("-2147483649") == range + "-2147483649");
    CHECK(error_for("1.5") == range + "1.5");
    CHECK(error_for("18446744073709551615") == range + "18446744073709551615");
}

TEST_CASE("scenario: a writer without instance_id gets its class id XOR its position + 1")
{
    std::string text = R"({"writers": [)";
    for (int i = 0; i < 300; ++i) {
        text += std::string(i == 0 ? "" : ",") + R"({"name": "w", "class_id": "00000000-0000-0000-0000-0000ffffffff"})";
    }
    text += "]}";
    const Scenario s = parse_ok(text);
    REQUIRE(s.writers.size() == 300);
    const auto last_four = [](const GUID &id) {
        return std::array<std::uint8_t, 4>{id.Data4[4], id.Data4[5], id.Data4[6], id.Data4[7]};
    };
    CHECK(last_four(s.writers[0].identity.instance_id) == std::array<std::uint8_t, 4>{0xff, 0xff, 0xff, 0xfe});
    CHECK(last_four(s.writers[1].identity.instance_id) == std::array<std::uint8_t, 4>{0xff, 0xff, 0xff, 0xfd});
    CHECK(last_four(s.writers[299].identity.instance_id) == std::array<std::uint8_t, 4>{0xff, 0xff, 0xfe, 0xd3}); // 300 = 0x12C
    std::set<std::array<std::uint8_t, 4>> distinct;
    for (const MockWriter &writer : s.writers) {
        CHECK(writer.identity.class_id == make_guid(0, 0, 0, {0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}));
        CHECK(writer.identity.instance_id.Data1 == 0u);
        distinct.insert(last_four(writer.identity.instance_id));
    }
    CHECK(distinct.size() == 300);

    // An explicit instance id is kept as written.
    const Scenario given = parse_ok(one_writer(R"("instance_id": "{00000000-0000-0000-0000-000000000001}")"));
    CHECK(given.writers[0].identity.instance_id == make_guid(0, 0, 0, {0, 0, 0, 0, 0, 0, 0, 1}));
}

TEST_CASE("scenario: every bad file gives exactly the error its .err file holds")
{
    const std::filesystem::path bad = tests_folder() / "bad";
    std::size_t checked = 0;
    for (const auto &entry : std::filesystem::directory_iterator(bad)) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        const std::string name = entry.path().filename().string();
        CAPTURE(name);
        std::filesystem::path err_path = entry.path();
        err_path.replace_extension(".err");
        REQUIRE_MESSAGE(std::filesystem::exists(err_path), "no .err file beside " << name);
        std::string expected = read_file(err_path);
        while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) {
            expected.pop_back();
        }

        const std::string path = entry.path().string();
        const ParseResult result = parse_scenario_file(path);
        CHECK_FALSE(result.scenario.has_value()); // nothing half-read
        REQUIRE(result.error.has_value());
        CHECK(result.error->source == path);
        CHECK(located(*result.error) == expected);
        CHECK(result.error->to_string() == path + ":" + expected);

        // The same text given directly: the same error.
        const ParseResult direct = parse_scenario_text(read_file(entry.path()), name);
        REQUIRE(direct.error.has_value());
        CHECK(located(*direct.error) == expected);
        ++checked;
    }
    CHECK(checked >= 50);
}

TEST_CASE("scenario: errors print the way compilers print them")
{
    CHECK(ParseError{"a.json", 3, 14, "writers: expected an array"}.to_string() == "a.json:3:14: writers: expected an array");
    CHECK(ParseError{"a.json", 0, 0, "cannot open: no such file"}.to_string() == "a.json: cannot open: no such file");
    CHECK(ParseError{"a.json", 7, 0, "m"}.to_string() == "a.json:7: m");
}

TEST_CASE("scenario: a file that cannot be read is an error at no line")
{
    const std::string missing = (tests_folder() / "no-such-scenario.json").string();
    const ParseResult result = parse_scenario_file(missing);
    CHECK_FALSE(result.scenario.has_value());
    REQUIRE(result.error.has_value());
    CHECK(result.error->source == missing);
    CHECK(result.error->line == 0u);
    CHECK(result.error->column == 0u);
    CHECK(result.error->message == "cannot open: no such file");

    const ParseResult folder = parse_scenario_file(tests_folder().string());
    REQUIRE(folder.error.has_value());
    CHECK(folder.error->line == 0u);
    CHECK(folder.error->message == "cannot read: a folder, not a file");
}

TEST_CASE("scenario: a scenario has at most kMaxScenarioBytes")
{
    // White space up to the limit is fine (and then an object).
    std::string text = R"({"writers": [])";
    text += std::string(kMaxScenarioBytes - text.size() - 1, ' ') + "}";
    REQUIRE(text.size() == kMaxScenarioBytes);
    CHECK(parse_ok(text).writers.empty());

    text.insert(text.begin() + 1, ' ');
    const ParseError error = parse_bad(text);
    CHECK(error.line == 0u);
    CHECK(error.message == "too large: 4194305 bytes; a scenario has at most 4194304 bytes (4 MiB)");

    const std::filesystem::path big = std::filesystem::temp_directory_path() / "openvss-scenario-too-large.json";
    {
        std::ofstream out(big, std::ios::binary);
        out << text << "          ";
    }
    const ParseResult file = parse_scenario_file(big.string());
    std::filesystem::remove(big);
    REQUIRE(file.error.has_value());
    CHECK(file.error->line == 0u);
    CHECK(file.error->message == "too large: 4194315 bytes; a scenario has at most 4194304 bytes (4 MiB)");
}

TEST_CASE("scenario: arrays and objects nest at most kMaxNesting deep")
{
    // The top-level object is level 1, so 31 arrays inside still parse as JSON.
    const std::string ok = R"({"description": )" + std::string(kMaxNesting - 1, '[') + std::string(kMaxNesting - 1, ']') + "}";
    CHECK(located(parse_bad(ok)) == "1:17: description: expected a string, found an array");

    const std::string deep = R"({"description": )" + std::string(kMaxNesting, '[') + std::string(kMaxNesting, ']') + "}";
    CHECK(located(parse_bad(deep)) == "1:48: too deeply nested: a scenario nests at most 32 arrays and objects");

    // No DOM is built before the depth check: a million levels cost nothing.
    CHECK(located(parse_bad(std::string(1000000, '['))) ==
          "1:33: too deeply nested: a scenario nests at most 32 arrays and objects");
}

TEST_CASE("scenario: a message has at most 32767 UTF-16 code units")
{
    const auto with_message = [](const std::string &message) {
        return one_writer(R"("on": {"OnFreeze": {"set_writer_failure_ex": {"hr_writer": "E_FAIL", "message": ")" + message +
                          "\"}}}");
    };
    const Scenario ascii = parse_ok(with_message(std::string(32767, 'a')));
    CHECK(action(ascii.writers[0], core::Event::Freeze).set_writer_failure_ex->message.size() == 32767u);

    std::string astral; // U+1F600: 4 bytes of UTF-8, 2 UTF-16 code units
    for (int i = 0; i < 16383; ++i) {
        astral += "\xF0\x9F\x98\x80";
    }
    const Scenario pairs = parse_ok(with_message(astral + "a"));
    const std::u16string &message = action(pairs.writers[0], core::Event::Freeze).set_writer_failure_ex->message;
    CHECK(message.size() == 32767u);
    CHECK(message.substr(0, 2) == u"\U0001F600");

    CHECK(parse_bad(with_message(astral + "ab")).message ==
          "writers[0].on.OnFreeze.set_writer_failure_ex.message: expected at most 32767 UTF-16 code units, found 32768");
}

TEST_CASE("scenario: kMaxWriters writers, and not one more")
{
    std::string text = R"({"writers": [)";
    for (std::size_t i = 0; i < kMaxWriters; ++i) {
        text += std::string(i == 0 ? "" : ",") + R"({"name": "w", "class_id": ")" + kClassId + "\"}";
    }
    CHECK(parse_ok(text + "]}").writers.size() == kMaxWriters);
    text += R"(, {"name": "w", "class_id": ")" + std::string(kClassId) + "\"}]}";
    CHECK(located(parse_bad(text)) == "1:13: writers: expected at most 4096 writers, found 4097");
}

TEST_CASE("scenario: columns count code points; a tab is one column; a BOM is none")
{
    CHECK(located(parse_bad("{\"description\": \"\xC3\xA9\xE2\x9C\x93\", \"x\": 1}")) ==
          "1:23: top level: unknown field \"x\"; expected one of $schema, description, service, backup, restore, provider, writers");
    CHECK(located(parse_bad("{\n\t\t\"x\": 1}")) ==
          "2:3: top level: unknown field \"x\"; expected one of $schema, description, service, backup, restore, provider, writers");
    CHECK(located(parse_bad("\xEF\xBB\xBF{\"x\": 1}")) ==
          "1:2: top level: unknown field \"x\"; expected one of $schema, description, service, backup, restore, provider, writers");
    CHECK(located(parse_bad("{\r\n  \"writers\": 5\r\n}")) == "2:14: writers: expected an array of writers, found 5");
    // A BOM alone is an empty file.
    CHECK(located(parse_bad("\xEF\xBB\xBF")) == "1:1: expected a JSON object, found an empty file");
    // A BOM is fine before a scenario.
    CHECK(parse_ok("\xEF\xBB\xBF{\"writers\": []}").writers.empty());
}

TEST_CASE("scenario: a key or a string written with escapes is found all the same")
{
    // "\u0077riters" is "writers": its duplicate and the error position still work.
    CHECK(located(parse_bad(R"({"writers": [], "\u0077riters": []})")) ==
          "1:17: top level: duplicate field \"writers\" (first at line 1, column 2)");
    CHECK(located(parse_bad(R"({"wri\"ters": [], "writers": 1})")) ==
          "1:2: top level: unknown field \"wri\\\"ters\"; expected one of $schema, description, service, backup, "
          "restore, provider, writers; did you mean \"writers\"?");
    CHECK(located(parse_bad(R"({"writers": [{"name": "a\"\\", "class_id": "x\"y"}]})")) ==
          "1:44: writers[0].class_id: expected a GUID such as \"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\", found \"x\\\"y\"");
    const Scenario s = parse_ok(R"({"writers": [{"name": "\u00e9\ud83d\ude00\n", "class_id": ")" + std::string(kClassId) + "\"}]}");
    CHECK(s.writers[0].identity.name == u"\u00e9\U0001F600\n");
}

TEST_CASE("scenario: a component failure names a component by name or by logical_path\\name")
{
    const std::string components =
        R"("components": [{"name": "db", "logical_path": "A"}, {"name": "db", "logical_path": "B"}, {"name": "x"}])";
    const auto failing = [&](const std::string &name) {
        return one_writer(components + R"(, "on": {"OnPostSnapshot": {"fail_components": [{"component": ")" + name +
                          R"(", "hr": "E_FAIL"}]}})");
    };
    CHECK(action(parse_ok(failing("A\\\\db")).writers[0], core::Event::PostSnapshot).fail_components[0].component == u"A\\db");
    CHECK(action(parse_ok(failing("B\\\\db")).writers[0], core::Event::PostSnapshot).fail_components[0].component == u"B\\db");
    CHECK(action(parse_ok(failing("x")).writers[0], core::Event::PostSnapshot).fail_components[0].component == u"x");
    CHECK(parse_bad(failing("db")).message ==
          "writers[0].on.OnPostSnapshot.fail_components[0].component: component name \"db\" is ambiguous in this writer; "
          "give logical_path\\name: \"A\\\\db\", \"B\\\\db\", \"x\"");
    CHECK(parse_bad(failing("C\\\\db")).message ==
          "writers[0].on.OnPostSnapshot.fail_components[0].component: no component \"C\\\\db\" in this writer; declared: "
          "\"A\\\\db\", \"B\\\\db\", \"x\"");
    // Components of another writer do not count.
    const std::string two = R"({"writers": [{"name": "a", "class_id": ")" + std::string(kClassId) +
                            R"(", "components": [{"name": "mine"}]}, {"name": "b", "class_id": ")" + kClassId +
                            R"(", "on": {"OnPostSnapshot": {"fail_components": [{"component": "mine", "hr": 1}]}}}]})";
    CHECK(parse_bad(two).message ==
          "writers[1].on.OnPostSnapshot.fail_components[0].component: no component \"mine\" in this writer; it declares none");
}

TEST_CASE("scenario: SetWriterFailureEx codes are not checked, so scenarios can pass wrong ones")
{
    const Scenario s = parse_ok(one_writer(R"("on": {"OnFreeze": {"set_writer_failure_ex": {"hr_writer": "S_OK"}},
                                                   "OnThaw": {"set_writer_failure_ex": {"hr_writer": "E_INVALIDARG"}}})"));
    CHECK(action(s.writers[0], core::Event::Freeze).set_writer_failure_ex->hr_writer == S_OK);
    CHECK(action(s.writers[0], core::Event::Thaw).set_writer_failure_ex->hr_writer == E_INVALIDARG);
}

TEST_CASE("scenario: every example in examples/scenarios parses")
{
    std::size_t parsed = 0;
    for (const auto &entry : std::filesystem::directory_iterator(folder_from("OPENVSS_SCENARIO_EXAMPLES"))) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        const ParseResult result = parse_scenario_file(entry.path().string());
        CHECK_MESSAGE(!result.error, result.error->to_string());
        ++parsed;
    }
    CHECK(parsed >= 1);
}

TEST_CASE("scenario: broken JSON says where it breaks, what was expected and what was found")
{
    const auto error = [](std::string_view text) { return located(parse_bad(text)); };
    CHECK(error(R"({"writers": [1x]})") == "1:15: invalid JSON: expected ',' or ']', found x");
    CHECK(error(R"({"writers": [1 2]})") == "1:16: invalid JSON: expected ',' or ']', found a number");
    CHECK(error(R"({"writers": [] "x": 1})") == "1:16: invalid JSON: expected ',' or '}', found a string");
    CHECK(error(R"({"writers": ["a" "b"]})") == "1:18: invalid JSON: expected ',' or ']', found a string");
    CHECK(error(R"({"writers": [true false]})") == "1:19: invalid JSON: expected ',' or ']', found false");
    CHECK(error(R"({"writers":,})") == "1:12: invalid JSON: expected a value, found ','");
    CHECK(error(R"({"writers": [,]})") == "1:14: invalid JSON: expected a value, found ','");
    CHECK(error(R"({writers: []})") == "1:2: invalid JSON: expected a field name in double quotes, found writers");
    CHECK(error(R"({'writers': []})") == "1:2: invalid JSON: expected a field name in double quotes, found 'writers'");
    CHECK(error(R"({"writers": [)") == "1:14: invalid JSON: expected a value, found the end of the file");
    CHECK(error(R"({"writers": [])") == "1:15: invalid JSON: expected ',' or '}', found the end of the file");
    CHECK(error(R"({"writers": [-]})") == "1:15: invalid JSON: in a number, expected digit after '-'");
    CHECK(error(R"({"writers": [01]})") == "1:14: invalid JSON: a number has no leading zeros, found 01");
    CHECK(error(R"({"writers": [-007]})") == "1:14: invalid JSON: a number has no leading zeros, found -007");
    CHECK(error(R"({"writers": [NaN]})") == "1:14: invalid JSON: expected a value, found NaN");
    CHECK(error(R"({"writers": [], /* no */})") == "1:17: invalid JSON: expected a field name in double quotes, found /*");
    CHECK(error("{\"description\": \"tab\there\"}") ==
          "1:21: invalid JSON: in a string, control character U+0009 (HT) must be escaped to \\u0009 or \\t");
    CHECK(error(R"({"description": "\x"})") == "1:19: invalid JSON: in a string, forbidden character after backslash");
    CHECK(error(R"({"description": "\ud800"})") ==
          "1:24: invalid JSON: in a string, surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
    CHECK(error("{\"writers\": [\x01]}") == "1:14: invalid JSON: expected a value, found \\x01");
    CHECK(error("\xFF\xFE{\0\"\0}\0") == "1:1: invalid JSON: the file is UTF-16; a scenario file is UTF-8");
}

TEST_CASE("did you mean: a close name is suggested, with bounded work however long the unknown text (issue 13)")
{
    namespace read = vssapi::scenario::read;
    const std::string_view names[] = {"OnFreeze", "OnThaw", "OnPrepareSnapshot", "VSS_E_WRITERERROR_RETRYABLE"};
    CHECK(read::did_you_mean("OnFreez", names) == "; did you mean \"OnFreeze\"?");
    CHECK(read::did_you_mean("onthaw", names) == "; did you mean \"OnThaw\"?"); // case does not count
    CHECK(read::did_you_mean("VSS_E_WRITERERROR_RETRYABEL", names) == "; did you mean \"VSS_E_WRITERERROR_RETRYABLE\"?");
    CHECK(read::did_you_mean("Nothing", names).empty());

    // The limit is at most 3 edits, so a name compares only within a band of
    // 7 cells a row, and a text longer than every name by more than 3 costs nothing.
    read::detail::distance_cells = 0;
    const std::string huge(4 * 1024 * 1024, 'Q');
    CHECK(read::did_you_mean(huge, names).empty());
    CHECK(read::detail::distance_cells == 0);
    read::detail::distance_cells = 0;
    const std::string close_length(29, 'Q'); // within 3 of the longest name's length: compared, in the band
    CHECK(read::did_you_mean(close_length, names).empty());
    CHECK(read::detail::distance_cells <= 29 * 7);
}
