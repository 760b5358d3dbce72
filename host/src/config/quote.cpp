#include "config/quote.hpp"

namespace ferry::config {

std::string quote(std::string_view text) {
  constexpr size_t max_bytes = 60;
  bool cut = text.size() > max_bytes;
  if (cut) {
    size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (byte < 0x20 || byte == 0x7F)
          out += "\\u00", out += hex[byte >> 4], out += hex[byte & 0xF];
        else
          out += c;
    }
  }
  return out + (cut ? "...\"" : "\"");
}

}  // namespace ferry::config
