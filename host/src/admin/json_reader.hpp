// Reading the small JSON documents of the admin API (a POST body, the answers `ferry status` shows)
// into a tree of text values, with errors that say where the text stopped making sense.
#pragma once

#include <string>
#include <vector>

namespace ferry::admin {

// A JSON value as a tree: objects have members, arrays items; a string's text is the string, and a
// number, true or false keeps its JSON spelling as text ("12", "true"); null is an empty literal.
struct JsonMember;

struct JsonValue {
  enum class Kind { string, literal, object, array } kind = Kind::literal;
  std::string text;
  std::vector<JsonMember> members;  // a vector may hold a type completed later; a pair may not (clang)
  std::vector<JsonValue> items;

  const JsonValue* member(const std::string& name) const;
  // The member's text (a string or a literal), or fallback when it is missing or not such a value.
  std::string text_of(const std::string& name, const std::string& fallback = "") const;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

struct JsonRead {
  JsonValue value;
  std::string error;  // "" when the text was valid JSON
};

// Nesting deeper than max_depth is refused, so that a hostile body cannot exhaust the stack.
JsonRead read_json(const std::string& text, unsigned max_depth = 32);

}  // namespace ferry::admin
