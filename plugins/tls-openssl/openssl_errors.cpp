#include "openssl_errors.hpp"

#include <openssl/err.h>

namespace ferry::tls_openssl {

std::string take_openssl_errors(const std::string& otherwise) {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(code);
    const std::string part = reason != nullptr ? reason : "error " + std::to_string(ERR_GET_REASON(code));
    if (text.find(part) == std::string::npos) text += (text.empty() ? "" : "; ") + part;
  }
  return text.empty() ? otherwise : text;
}

}  // namespace ferry::tls_openssl
