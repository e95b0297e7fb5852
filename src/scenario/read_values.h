// The scenario reader's vocabulary: a DOM value and its place in the
// document (Node), the first problem found (Issue, thrown, located only
// then), objects that may hold only the fields of their table, and one
// reader per kind of value, each saying in words what it expected. Knows
// the values a scenario uses (HRESULTs, GUIDs, messages) but not its format.
#pragma once

#include "scenario/json_text.h"

#include "core/clock.h"

#include <vssapi/platform.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vssapi::scenario::read {

using json = nlohmann::json;
using json_text::Anchor;
using json_text::in_quotes;
using json_text::member_of;
using json_text::Pointer;
using json_text::Step;

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

[[noreturn]] void expected(const Node &node, const std::string &what, std::string hint = {});
[[noreturn]] void fail(const Node &node, const std::string &text);
// "; did you mean "OnFreeze"?" when one name is close to what was written
// (at most 3 edits). Bounded work: names whose length is too far from the
// given text's are skipped, the rest compared within a band (issue 13).
std::string did_you_mean(std::string_view given, std::span<const std::string_view> names);

namespace detail {
// Edit-distance cells did_you_mean computed on this thread (tests bound it).
extern thread_local std::size_t distance_cells;
} // namespace detail
std::string joined(std::span<const std::string_view> names, bool quote);

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

const json::array_t &read_array(const Node &node, const std::string &what);
const std::string &read_utf8(const Node &node); // no U+0000
std::u16string read_text(const Node &node);
std::u16string read_name(const Node &node);    // non-empty
std::u16string read_message(const Node &node); // C-2.2's length limit
bool read_bool(const Node &node);
std::uint32_t read_uint32(const Node &node);
core::Duration read_ms(const Node &node);
HRESULT read_hresult(const Node &node); // a name, "0x8004230F" or an integer
GUID read_guid(const Node &node);

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

} // namespace vssapi::scenario::read
