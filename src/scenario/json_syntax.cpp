// Our own reading of JSON's grammar (RFC 8259), used only to say in plain
// words where and why a document is not JSON. The parser (nlohmann) decides
// that a document is broken; this decides what the message says, so no
// message depends on the wording of the library's exceptions.
#include "scenario/json_text.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

namespace vssapi::scenario::json_text {

namespace {

enum class Kind { BeginObject, EndObject, BeginArray, EndArray, Colon, Comma, String, Number, Literal, End, Invalid };

struct Token {
    Kind kind = Kind::End;
    std::size_t start = 0;
    std::size_t end = 0;
};

// What the grammar wants next.
enum class Want {
    Value,
    ValueOrEndArray,  // after '['
    KeyOrEndObject,   // after '{'
    Key,              // after ',' in an object
    Colon,            // after a key
    CommaOrEndArray,  // after an element
    CommaOrEndObject, // after a member
    End,              // after the top-level value
};

std::string_view wanted(Want want)
{
    switch (want) {
    case Want::Value:
    case Want::ValueOrEndArray: return "a value";
    case Want::KeyOrEndObject:
    case Want::Key: return "a field name in double quotes";
    case Want::Colon: return "':' after the field name";
    case Want::CommaOrEndArray: return "',' or ']'";
    case Want::CommaOrEndObject: return "',' or '}'";
    case Want::End: break;
    }
    return "the end of the file";
}

// The C0 control characters' names, as ASCII gives them.
constexpr std::string_view kControlNames[32] = {
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "HT", "LF",  "VT",  "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"};

std::string control_character(unsigned char c)
{
    char code[8];
    std::snprintf(code, sizeof code, "%04X", static_cast<unsigned>(c));
    std::string message = "in a string, control character U+" + std::string(code) + " (" +
                          std::string(kControlNames[c]) + ") must be escaped to \\u" + code;
    constexpr std::string_view kShort = "\bb\tt\nn\ff\rr"; // pairs: a character, its short escape
    for (std::size_t i = 0; i + 1 < kShort.size(); i += 2) {
        if (static_cast<unsigned char>(kShort[i]) == c) {
            message += " or \\";
            message += kShort[i + 1];
        }
    }
    return message;
}

int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

class Checker {
public:
    Checker(std::string_view text, std::string_view noun) : text_(text), noun_(noun) {}

    std::optional<Located> run()
    {
        std::vector<char> open; // the '[' and '{' not yet closed
        Want want = Want::Value;
        const auto after_value = [&] {
            want = open.empty() ? Want::End : open.back() == '[' ? Want::CommaOrEndArray : Want::CommaOrEndObject;
        };
        std::size_t at = after_bom(text_);
        for (;;) {
            while (at < text_.size() && is_space(text_[at])) {
                ++at;
            }
            Token token;
            if (std::optional<Located> bad = lex(at, token)) {
                return bad;
            }
            at = token.end;
            const bool scalar = token.kind == Kind::String || token.kind == Kind::Number || token.kind == Kind::Literal;
            switch (want) {
            case Want::Value:
            case Want::ValueOrEndArray:
                if (scalar) {
                    after_value();
                    continue;
                }
                if (token.kind == Kind::BeginArray || token.kind == Kind::BeginObject) {
                    const bool array = token.kind == Kind::BeginArray;
                    open.push_back(array ? '[' : '{');
                    want = array ? Want::ValueOrEndArray : Want::KeyOrEndObject;
                    continue;
                }
                if (want == Want::ValueOrEndArray && token.kind == Kind::EndArray) {
                    open.pop_back();
                    after_value();
                    continue;
                }
                break;
            case Want::KeyOrEndObject:
            case Want::Key:
                if (token.kind == Kind::String) {
                    want = Want::Colon;
                    continue;
                }
                if (want == Want::KeyOrEndObject && token.kind == Kind::EndObject) {
                    open.pop_back();
                    after_value();
                    continue;
                }
                break;
            case Want::Colon:
                if (token.kind == Kind::Colon) {
                    want = Want::Value;
                    continue;
                }
                break;
            case Want::CommaOrEndArray:
            case Want::CommaOrEndObject: {
                const bool array = want == Want::CommaOrEndArray;
                if (token.kind == Kind::Comma) {
                    want = array ? Want::Value : Want::Key;
                    continue;
                }
                if (token.kind == (array ? Kind::EndArray : Kind::EndObject)) {
                    open.pop_back();
                    after_value();
                    continue;
                }
                break;
            }
            case Want::End:
                if (token.kind == Kind::End) {
                    return std::nullopt;
                }
                break;
            }
            return unexpected(want, token);
        }
    }

private:
    // The token at `at`, or what keeps it from being one.
    std::optional<Located> lex(std::size_t at, Token &token) const
    {
        token.start = at;
        token.end = at + 1;
        if (at >= text_.size()) {
            token.kind = Kind::End;
            token.end = at;
            return std::nullopt;
        }
        switch (text_[at]) {
        case '{': token.kind = Kind::BeginObject; return std::nullopt;
        case '}': token.kind = Kind::EndObject; return std::nullopt;
        case '[': token.kind = Kind::BeginArray; return std::nullopt;
        case ']': token.kind = Kind::EndArray; return std::nullopt;
        case ':': token.kind = Kind::Colon; return std::nullopt;
        case ',': token.kind = Kind::Comma; return std::nullopt;
        case '"': token.kind = Kind::String; return string(token);
        default: break;
        }
        const char c = text_[at];
        if (c == '-' || (c >= '0' && c <= '9')) {
            token.kind = Kind::Number;
            return number(token);
        }
        for (std::string_view literal : {"true", "false", "null"}) {
            if (text_.substr(at).starts_with(literal)) {
                token.kind = Kind::Literal;
                token.end = at + literal.size();
                return std::nullopt;
            }
        }
        token.kind = Kind::Invalid;
        return std::nullopt;
    }

    std::optional<Located> string(Token &token) const
    {
        std::size_t at = token.start + 1;
        for (;;) {
            if (at >= text_.size()) {
                return broken(token.start, "this string has no closing quote");
            }
            const auto c = static_cast<unsigned char>(text_[at]);
            if (c == '"') {
                token.end = at + 1;
                return std::nullopt;
            }
            if (c == '\n') {
                return broken(at, "a line break inside a string (write it \\n; or is a closing quote missing?)");
            }
            if (c < 0x20) {
                return broken(at, control_character(c));
            }
            if (c == '\\') {
                if (std::optional<Located> bad = escape(at)) {
                    return bad;
                }
                continue;
            }
            const std::size_t length = utf8_sequence(text_, at);
            if (length == 0) {
                return broken(at, "a string holds bytes that are not UTF-8 (a " + std::string(noun_) +
                                      " file is UTF-8)");
            }
            at += length;
        }
    }

    // The backslash escape at `at`; moves `at` past it.
    std::optional<Located> escape(std::size_t &at) const
    {
        ++at;
        const char c = at < text_.size() ? text_[at] : '\0';
        if (c != '\0' && std::string_view("\"\\/bfnrt").find(c) != std::string_view::npos) {
            ++at;
            return std::nullopt;
        }
        if (c != 'u') {
            return broken(at, "in a string, forbidden character after backslash");
        }
        unsigned unit = 0;
        if (std::optional<Located> bad = code_unit(at, unit)) {
            return bad;
        }
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
            return broken(at - 1, "in a string, surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            constexpr std::string_view kUnpaired = "in a string, surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
            if (!text_.substr(at).starts_with("\\u")) {
                return broken(text_.substr(at).starts_with("\\") ? at + 1 : at, std::string(kUnpaired));
            }
            ++at;
            unsigned low = 0;
            if (std::optional<Located> bad = code_unit(at, low)) {
                return bad;
            }
            if (low < 0xDC00 || low > 0xDFFF) {
                return broken(at - 1, std::string(kUnpaired));
            }
        }
        return std::nullopt;
    }

    // The four hex digits after the 'u' at `at`; moves `at` past them.
    std::optional<Located> code_unit(std::size_t &at, unsigned &unit) const
    {
        for (int i = 0; i < 4; ++i) {
            ++at;
            const int digit = at < text_.size() ? hex_digit(text_[at]) : -1;
            if (digit < 0) {
                return broken(std::min(at, text_.size()), "in a string, '\\u' must be followed by 4 hex digits");
            }
            unit = unit * 16 + static_cast<unsigned>(digit);
        }
        ++at;
        return std::nullopt;
    }

    std::optional<Located> number(Token &token) const
    {
        const auto digit = [&](std::size_t i) { return i < text_.size() && text_[i] >= '0' && text_[i] <= '9'; };
        std::size_t at = token.start;
        if (text_[at] == '-') {
            ++at;
            if (!digit(at)) {
                return broken(at, "in a number, expected digit after '-'");
            }
        }
        const std::size_t whole = at;
        if (text_[at] == '0' && digit(at + 1)) {
            std::size_t end = at;
            while (digit(end)) {
                ++end;
            }
            return broken(token.start, "a number has no leading zeros, found " +
                                           std::string(text_.substr(token.start, end - token.start)));
        }
        while (digit(at)) {
            ++at;
        }
        // Where the first significant digit sits against the decimal point:
        // only to tell "too large" from "too small" once a value is out of a
        // double's range (too small reads as 0, as the parser reads it).
        long long magnitude = text_[whole] == '0' ? 0 : static_cast<long long>(at - whole);
        if (at < text_.size() && text_[at] == '.') {
            ++at;
            if (!digit(at)) {
                return broken(at, "in a number, expected digit after '.'");
            }
            const std::size_t fraction = at;
            while (digit(at)) {
                ++at;
            }
            if (magnitude == 0) {
                magnitude = -static_cast<long long>(std::min(text_.find_first_not_of('0', fraction), at) - fraction);
            }
        }
        if (at < text_.size() && (text_[at] == 'e' || text_[at] == 'E')) {
            ++at;
            bool negative = false;
            if (at < text_.size() && (text_[at] == '+' || text_[at] == '-')) {
                negative = text_[at] == '-';
                ++at;
                if (!digit(at)) {
                    return broken(at, "in a number, expected digit after exponent sign");
                }
            } else if (!digit(at)) {
                return broken(at, "in a number, expected '+', '-', or digit after exponent");
            }
            long long exponent = 0;
            while (digit(at)) {
                exponent = std::min(exponent * 10 + (text_[at] - '0'), 1'000'000'000LL);
                ++at;
            }
            magnitude += negative ? -exponent : exponent;
        }
        token.end = at;
        double value = 0;
        const std::from_chars_result read = std::from_chars(text_.data() + token.start, text_.data() + at, value);
        if (read.ec == std::errc::result_out_of_range && magnitude > 0) {
            return broken(token.start, "number too large: " + word(token.start));
        }
        return std::nullopt;
    }

    std::optional<Located> unexpected(Want want, const Token &token) const
    {
        std::string message = "expected " + std::string(wanted(want)) + ", found " + found(token);
        if (token.kind == Kind::EndArray || token.kind == Kind::EndObject) {
            std::size_t before = token.start;
            while (before > 0 && is_space(text_[before - 1])) {
                --before;
            }
            if (before > 0 && text_[before - 1] == ',') {
                message += " (JSON allows no comma after the last item)";
            }
        }
        return broken(token.start, message);
    }

    std::string found(const Token &token) const
    {
        switch (token.kind) {
        case Kind::End: return "the end of the file";
        case Kind::String: return "a string";
        case Kind::Number: return "a number";
        case Kind::Literal: return std::string(text_.substr(token.start, token.end - token.start));
        case Kind::Invalid: {
            std::string text = word(token.start);
            return text.empty() ? "nothing" : text;
        }
        default: return "'" + std::string(1, text_[token.start]) + "'";
        }
    }

    // The word at `start`, as far as the next delimiter (at most 40 bytes).
    std::string word(std::size_t start) const
    {
        std::size_t end = start;
        while (end < text_.size() && end - start < 40 && !ends_token(text_[end])) {
            ++end;
        }
        return printable(text_.substr(start, end - start));
    }

    static std::optional<Located> broken(std::size_t offset, std::string message)
    {
        return Located{offset, "invalid JSON: " + std::move(message)};
    }

    std::string_view text_;
    std::string_view noun_;
};

} // namespace

std::optional<Located> syntax_error(std::string_view text, std::string_view noun)
{
    return Checker(text, noun).run();
}

} // namespace vssapi::scenario::json_text
