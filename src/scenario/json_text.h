// The generic half of reading a JSON document with positions: where a byte
// is (line and column), values as the file writes them, JSON pointers shown
// as writers[1].on.OnFreeze, broken JSON described in plain words, and a SAX
// pass (nlohmann's lexer) that checks syntax, depth and duplicate keys or
// finds where a pointer's value starts. Knows nothing of scenarios; the
// scenario reader (parse.cpp) is built on it. No message depends on the text
// of the library's exceptions: json_syntax.cpp says why a document is broken.
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
bool ends_token(char c); // white space or JSON punctuation
// The length of the well-formed UTF-8 sequence at `at`, or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t at);
// Bytes fit for a message: valid UTF-8 stays, control bytes become \xNN.
std::string printable(std::string_view bytes);
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
// `max_nesting` arrays and objects may nest; messages call the document a `noun`.
std::optional<Located> check(std::string_view text, std::size_t max_nesting, std::string_view noun);
// The first syntax error by our own reading of RFC 8259 (json_syntax.cpp), in
// words, or none: what check() says when the parser stops.
std::optional<Located> syntax_error(std::string_view text, std::string_view noun);

} // namespace vssapi::scenario::json_text
