// Fuzz target of the admin API's JSON reader: the input is a request body from anyone who can reach the
// admin address. It is read with the endpoint's depth limit; a document that reads must answer the
// lookups the endpoint makes, and a refusal must say why. Any crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "admin/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const ferry::admin::JsonRead read = ferry::admin::read_json(text);
  if (!read.error.empty()) return 0;
  const ferry::admin::JsonValue& body = read.value;
  (void)body.text_of("to");
  if (const auto* paths = body.member("paths"))
    for (const auto& item : paths->items) (void)item.text;
  // A value that read cannot hold both members and items.
  if (!body.members.empty() && !body.items.empty()) std::abort();
  return 0;
}
