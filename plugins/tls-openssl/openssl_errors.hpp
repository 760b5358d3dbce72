// OpenSSL's thread-local error queue as one sentence, so that every failure names OpenSSL's own reasons.
#pragma once

#include <string>

namespace ferry::tls_openssl {

// Empties the queue and returns its reasons, "; "-separated, oldest first; `otherwise` when it was empty.
std::string take_openssl_errors(const std::string& otherwise = "no reason given by OpenSSL");

}  // namespace ferry::tls_openssl
