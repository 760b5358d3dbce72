#include "admin/json_reader.hpp"

#include <cstdint>

namespace ferry::admin {
namespace {

class Reader {
 public:
  Reader(const std::string& text, unsigned max_depth) : text_(text), max_depth_(max_depth) {}

  JsonRead read() {
    JsonRead result;
    skip_space();
    if (!value(result.value, 0)) {
      result.error = error_;
      return result;
    }
    skip_space();
    if (at_ < text_.size()) result.error = where() + ": unexpected text after the value";
    return result;
  }

 private:
  std::string where() const { return "at byte " + std::to_string(at_ + 1); }
  bool fail(const std::string& what) {
    if (error_.empty()) error_ = where() + ": " + what;
    return false;
  }
  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }
  bool take(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  bool value(JsonValue& out, unsigned depth) {
    if (depth > max_depth_) return fail("nested more than " + std::to_string(max_depth_) + " levels deep");
    skip_space();
    if (at_ >= text_.size()) return fail("the text ends where a value was expected");
    const char c = text_[at_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = JsonValue::Kind::string;
      return string(out.text);
    }
    for (const char* word : {"true", "false", "null"}) {
      if (text_.compare(at_, std::char_traits<char>::length(word), word) == 0) {
        at_ += std::char_traits<char>::length(word);
        out.text = word[0] == 'n' ? "" : word;
        return true;
      }
    }
    return number(out.text);
  }

  bool object(JsonValue& out, unsigned depth) {
    out.kind = JsonValue::Kind::object;
    ++at_;
    if (take('}')) return true;
    do {
      skip_space();
      std::string name;
      if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a member name in double quotes");
      if (!string(name)) return false;
      if (!take(':')) return fail("expected ':' after the member name \"" + name + "\"");
      JsonValue member;
      if (!value(member, depth + 1)) return false;
      out.members.push_back(JsonMember{std::move(name), std::move(member)});
    } while (take(','));
    return take('}') || fail("expected ',' or '}' in an object");
  }

  bool array(JsonValue& out, unsigned depth) {
    out.kind = JsonValue::Kind::array;
    ++at_;
    if (take(']')) return true;
    do {
      JsonValue item;
      if (!value(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
    } while (take(','));
    return take(']') || fail("expected ',' or ']' in an array");
  }

  bool number(std::string& out) {
    const size_t begin = at_;
    if (at_ < text_.size() && text_[at_] == '-') ++at_;
    while (at_ < text_.size() && ((text_[at_] >= '0' && text_[at_] <= '9') || text_[at_] == '.' ||
                                  text_[at_] == 'e' || text_[at_] == 'E' || text_[at_] == '+' || text_[at_] == '-'))
      ++at_;
    if (at_ == begin || (at_ == begin + 1 && text_[begin] == '-')) return fail("expected a value");
    out = text_.substr(begin, at_ - begin);
    return true;
  }

  static void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  bool hex4(uint32_t& code) {
    if (at_ + 4 > text_.size()) return fail("a \\u escape needs four hexadecimal digits");
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[at_++];
      code <<= 4;
      if (h >= '0' && h <= '9')
        code |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        code |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        code |= static_cast<uint32_t>(h - 'A' + 10);
      else
        return fail("a \\u escape needs four hexadecimal digits");
    }
    return true;
  }

  bool string(std::string& out) {
    ++at_;  // the opening quote
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("a control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) break;
      const char e = text_[at_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t code = 0;
          if (!hex4(code)) return false;
          if (code >= 0xD800 && code < 0xDC00 && text_.compare(at_, 2, "\\u") == 0) {
            at_ += 2;
            uint32_t low = 0;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low >= 0xE000) return fail("a high surrogate without its low surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          } else if (code >= 0xD800 && code < 0xE000) {
            return fail("a lone surrogate in a \\u escape");
          }
          append_utf8(out, code);
          break;
        }
        default:
          return fail(std::string("an unknown escape \\") + e);
      }
    }
    return fail("a string without its closing double quote");
  }

  const std::string& text_;
  unsigned max_depth_;
  size_t at_ = 0;
  std::string error_;
};

}  // namespace

const JsonValue* JsonValue::member(const std::string& name) const {
  for (const auto& [key, value] : members)
    if (key == name) return &value;
  return nullptr;
}

std::string JsonValue::text_of(const std::string& name, const std::string& fallback) const {
  const JsonValue* found = member(name);
  return found && (found->kind == Kind::string || found->kind == Kind::literal) ? found->text : fallback;
}

JsonRead read_json(const std::string& text, unsigned max_depth) { return Reader(text, max_depth).read(); }

}  // namespace ferry::admin
