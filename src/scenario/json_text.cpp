#include "scenario/json_text.h"

#include "com/utf.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>

namespace vssapi::scenario::json_text {

using json = nlohmann::json;

// ---------------------------------------------------------------------------
// The raw text: positions, and values the way the file writes them.

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool ends_token(char c)
{
    return is_space(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"';
}

std::size_t after_bom(std::string_view text)
{
    return text.starts_with(kBom) ? kBom.size() : 0;
}

// From the end of one token to the start of the next: over white space and
// the ':' and ',' between tokens.
std::size_t next_token(std::string_view text, std::size_t from)
{
    from = std::max(from, after_bom(text));
    while (from < text.size() && (is_space(text[from]) || text[from] == ':' || text[from] == ',')) {
        ++from;
    }
    return from;
}


// 1-based; a column is a code point (a tab is one column).
LineColumn line_column(std::string_view text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    LineColumn at;
    for (std::size_t i = after_bom(text); i < offset; ++i) {
        if (text[i] == '\n') {
            ++at.line;
            at.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++at.column;
        }
    }
    return at;
}

std::string at_text(std::string_view text, std::size_t offset)
{
    const LineColumn at = line_column(text, offset);
    return "line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
}

// The length of the well-formed UTF-8 sequence at `at` (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t at)
{
    const auto byte = [&](std::size_t i) {
        return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0u;
    };
    const unsigned lead = byte(0);
    std::size_t length = 0;
    unsigned low = 0x80; // the second byte's range
    unsigned high = 0xBF;
    if (lead < 0x80) {
        return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) {
            return 0;
        }
    }
    return length;
}

// Bytes fit for a message: valid UTF-8 stays, control characters and
// anything else become \xNN.
std::string printable(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[i]);
        const std::size_t length = lead < 0x20 || lead == 0x7F ? 0 : utf8_sequence(bytes, i);
        if (length == 0) {
            out += "\\x";
            out += kHex[lead >> 4];
            out += kHex[lead & 0xF];
            ++i;
        } else {
            out.append(bytes.substr(i, length));
            i += length;
        }
    }
    return out;
}

// At most `limit` code points of `text`, then "...".
std::string shortened(std::string text, std::size_t limit = 60)
{
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && points++ == limit) {
            text.resize(i);
            return text + "...";
        }
    }
    return text;
}

// The value starting at `offset` as the file writes it: a scalar as written
// (shortened), an object or an array by its kind.
std::string written_value(std::string_view text, std::size_t offset)
{
    if (offset >= text.size()) {
        return "nothing";
    }
    if (text[offset] == '{') {
        return "an object";
    }
    if (text[offset] == '[') {
        return "an array";
    }
    std::size_t end = offset + 1;
    if (text[offset] == '"') {
        while (end < text.size() && text[end] != '"') {
            end += text[end] == '\\' ? 2 : 1;
        }
        end = std::min(end + 1, text.size());
    } else {
        while (end < text.size() && !ends_token(text[end])) {
            ++end;
        }
    }
    return shortened(printable(text.substr(offset, end - offset)));
}

// A string in double quotes, escaped the JSON way.
std::string in_quotes(std::string_view text)
{
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string in_quotes(std::u16string_view text)
{
    return in_quotes(com::utf16_to_utf8(text));
}

// ---------------------------------------------------------------------------
// Where in the document: a JSON pointer, shown as writers[1].on.OnFreeze.


std::string where(const Pointer &pointer)
{
    if (pointer.empty()) {
        return "top level";
    }
    std::string out;
    for (const Step &step : pointer) {
        if (step.is_index) {
            out += '[' + std::to_string(step.index) + ']';
        } else {
            if (!out.empty()) {
                out += '.';
            }
            out += printable(step.key);
        }
    }
    return out;
}

Pointer member_of(Pointer pointer, std::string_view key)
{
    pointer.push_back(Step{std::string(key), 0, false});
    return pointer;
}

// ---------------------------------------------------------------------------
// The SAX pass.

// A byte iterator that tells how far nlohmann's lexer has read. At each SAX
// callback that is the end of the token just read; after a number, one byte
// more (the lexer reads the byte after a number to see where it ends, and
// that byte is white space, ',', ']' or '}').
class ReadMark {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;

    ReadMark(const char *at, const char **read) : at_(at), read_(read) {}

    reference operator*() const { return *at_; }
    ReadMark &operator++()
    {
        *read_ = ++at_;
        return *this;
    }
    ReadMark operator++(int)
    {
        ReadMark before = *this;
        ++*this;
        return before;
    }
    bool operator==(const ReadMark &other) const { return at_ == other.at_; }

private:
    const char *at_;
    const char **read_;
};


// One SAX pass over the raw text that knows, at every value and key, where it
// starts and its JSON pointer. Checks the JSON (syntax, depth, duplicate
// keys), or, given a target, finds where that value or key starts.
class Scanner {
public:
    Scanner(std::string_view text, std::size_t max_nesting, std::string_view noun)
        : text_(text), noun_(noun), max_nesting_(max_nesting)
    {
    }
    Scanner(std::string_view text, const Pointer &target, Anchor anchor)
        : text_(text), target_(&target), anchor_(anchor)
    {
    }

    void run()
    {
        read_ = text_.data();
        json::sax_parse(ReadMark(text_.data(), &read_), ReadMark(text_.data() + text_.size(), &read_), this);
    }

    std::optional<Located> error;     // checking: the first problem
    std::optional<std::size_t> found; // locating: where the target starts

    // nlohmann's SAX interface.
    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(json::number_integer_t) { return value(); }
    bool number_unsigned(json::number_unsigned_t) { return value(); }
    bool number_float(json::number_float_t, const json::string_t &) { return value(); }
    bool string(json::string_t &) { return value(); }
    bool binary(json::binary_t &) { return value(); }
    bool start_object(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(true); }
    bool end_array() { return close(); }

    bool key(json::string_t &name)
    {
        const std::size_t start = token();
        Frame &frame = frames_.back();
        frame.step = Step{name, 0, false};
        if (target_ != nullptr) {
            return !(anchor_ == Anchor::Key && at_target(start));
        }
        const auto [first, inserted] = frame.keys.try_emplace(name, start);
        if (!inserted) {
            return fail(start, where(pointer(frames_.size() - 1)) + ": duplicate field " + in_quotes(name) +
                                   " (first at " + at_text(text_, first->second) + ")");
        }
        return true;
    }

    bool parse_error(std::size_t position, const std::string &, const json::exception &)
    {
        // The parser says where it stopped; our own reading of the grammar
        // says why, in words that do not hang on the library's messages.
        error = syntax_error(text_, noun_).value_or(
            Located{std::min(position == 0 ? 0 : position - 1, text_.size()), "invalid JSON"});
        return false;
    }

private:
    struct Frame {
        bool array = false;
        std::size_t next_index = 0;
        Step step; // the member or element being read
        std::map<std::string, std::size_t, std::less<>> keys; // objects: key -> where it starts
    };

    // A callback's token starts after the previous token's end.
    std::size_t token()
    {
        const std::size_t start = next_token(text_, token_end_);
        token_end_ = static_cast<std::size_t>(read_ - text_.data());
        return start;
    }

    Pointer pointer(std::size_t depth) const
    {
        Pointer out;
        for (std::size_t i = 0; i < depth; ++i) {
            out.push_back(frames_[i].step);
        }
        return out;
    }

    // Whether the value or key at `start` is the target; then it is found.
    bool at_target(std::size_t start)
    {
        if (frames_.size() != target_->size() ||
            !std::equal(frames_.begin(), frames_.end(), target_->begin(),
                        [](const Frame &frame, const Step &step) { return frame.step == step; })) {
            return false;
        }
        found = start;
        return true;
    }

    bool value() { return value_at(token()); }

    bool value_at(std::size_t start)
    {
        if (!frames_.empty() && frames_.back().array) {
            Frame &frame = frames_.back();
            frame.step = Step{{}, frame.next_index++, true};
        }
        return !(target_ != nullptr && anchor_ == Anchor::Value && at_target(start));
    }

    bool open(bool array)
    {
        const std::size_t start = token();
        if (!value_at(start)) {
            return false;
        }
        if (frames_.size() == max_nesting_) {
            return fail(start, "too deeply nested: a " + std::string(noun_) + " nests at most " +
                                   std::to_string(max_nesting_) +
                                   " arrays and objects");
        }
        frames_.push_back(Frame{array, 0, {}, {}});
        return true;
    }

    bool close()
    {
        token();
        frames_.pop_back();
        return true;
    }

    bool fail(std::size_t offset, std::string message)
    {
        error = Located{offset, std::move(message)};
        return false;
    }

    std::string_view text_;
    std::string_view noun_;
    const Pointer *target_ = nullptr;
    Anchor anchor_ = Anchor::Value;
    std::size_t max_nesting_ = SIZE_MAX; // arrays and objects inside each other
    const char *read_ = nullptr; // how far the lexer has read
    std::size_t token_end_ = 0;  // where the last reported token ended
    std::vector<Frame> frames_;
};

std::size_t locate(std::string_view text, const Pointer &pointer, Anchor anchor)
{
    Scanner scanner(text, pointer, anchor);
    scanner.run();
    return scanner.found.value_or(0);
}

std::optional<Located> check(std::string_view text, std::size_t max_nesting, std::string_view noun)
{
    Scanner scanner(text, max_nesting, noun);
    scanner.run();
    return scanner.error;
}

} // namespace vssapi::scenario::json_text
