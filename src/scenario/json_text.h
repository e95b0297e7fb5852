// The generic half of reading a JSON document with positions: where a byte
// is (line and column), values as the file writes them, JSON pointers shown
// as writers[1].on.OnFreeze, broken JSON described in plain words, and a SAX
// pass (nlohmann's lexer) that checks syntax, depth and duplicate keys or
// finds where a pointer's value starts. Knows nothing of scenarios; the
// scenario reader (parse.cpp) is built on it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vssapi::scenario::json_text {

// Where in the document: a JSON pointer, one step per member or element.
struct Step {
    std::string key;       // an object's member,
    std::size_t index = 0; // or an array's element
    bool is_index = false;

    bool operator==(const Step &) const = default;
};

using Pointer = std::vector<Step>;

struct LineColumn {
    unsigned line = 1;
    unsigned column = 1;
};

struct Located {
    std::size_t offset = 0;
    std::string message;
};

enum class Anchor {
    Value, // where the value starts (for an object: its '{')
    Key,   // where the member's key starts
};

bool is_space(char c);
std::size_t after_bom(std::string_view text);
LineColumn line_column(std::string_view text, std::size_t offset);
// The value at `offset` as the file writes it, shortened: "maybe", 12, an object.
std::string written_value(std::string_view text, std::size_t offset);
std::string in_quotes(std::string_view text);
std::string in_quotes(std::u16string_view text);
std::string where(const Pointer &pointer);
Pointer member_of(Pointer pointer, std::string_view key);

// Where the value (or key) at `pointer` starts in `text`; 0 if it is not there.
std::size_t locate(std::string_view text, const Pointer &pointer, Anchor anchor);
// The first problem of the JSON itself (syntax, depth, duplicate keys), or none.
// `max_nesting` arrays and objects may nest (the message calls the document a scenario).
std::optional<Located> check(std::string_view text, std::size_t max_nesting);

} // namespace vssapi::scenario::json_text
