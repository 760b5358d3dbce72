#include "tcp_address.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <charconv>
#include <ferry/transport.hpp>
#include <memory>

namespace ferry::tcp {
namespace {

constexpr std::string_view expected_forms = "expected HOST:PORT, e.g. 127.0.0.1:7400, [::1]:7400 or node-a:7400";

[[noreturn]] void invalid(std::string_view address, std::string_view problem) {
  throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT,
                   "invalid tcp address \"" + sdk::printable(address) + "\": " + std::string(problem));
}

uint16_t parse_port(std::string_view address, std::string_view port, Purpose purpose) {
  if (port.empty()) invalid(address, "no port after ':'; " + std::string(expected_forms));
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error == std::errc::result_out_of_range ||
      (error == std::errc() && end == port.data() + port.size() && value > 65535))
    invalid(address, "port " + sdk::printable(port) + " is not in 0..65535");
  if (error != std::errc() || end != port.data() + port.size())
    invalid(address, "port \"" + sdk::printable(port) + "\" is not a number");
  if (value == 0 && purpose == Purpose::connect) invalid(address, "port 0 can only be listened on");
  return static_cast<uint16_t>(value);
}

Endpoint wildcard(int family, uint16_t port) {
  Endpoint endpoint;
  if (family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&endpoint.storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_addr = in6addr_any;
    in6->sin6_port = htons(port);
    endpoint.length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&endpoint.storage);
    in4->sin_family = AF_INET;
    in4->sin_addr.s_addr = htonl(INADDR_ANY);
    in4->sin_port = htons(port);
    endpoint.length = sizeof(sockaddr_in);
  }
  return endpoint;
}

struct AddrinfoDeleter {
  void operator()(addrinfo* list) const { freeaddrinfo(list); }
};

int lookup(const HostPort& target, int flags, std::unique_ptr<addrinfo, AddrinfoDeleter>& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* list = nullptr;
  const std::string port = std::to_string(target.port);
  const int status = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &list);
  out.reset(list);
  return status;
}

}  // namespace

HostPort parse_address(std::string_view address, Purpose purpose) {
  if (address.empty()) invalid(address, "it is empty; " + std::string(expected_forms));
  if (address.find('\0') != std::string_view::npos) invalid(address, "it contains a NUL byte");
  HostPort result;
  std::string_view port;
  if (address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string_view::npos)
      invalid(address, "no ']' after the IPv6 address; " + std::string(expected_forms));
    if (close + 1 >= address.size() || address[close + 1] != ':') invalid(address, "expected ':' and a port after ']'");
    result.host = std::string(address.substr(1, close - 1));
    if (result.host.empty()) invalid(address, "nothing between '[' and ']'");
    port = address.substr(close + 2);
  } else {
    const size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) invalid(address, "no port; " + std::string(expected_forms));
    result.host = std::string(address.substr(0, colon));
    if (result.host.find(':') != std::string::npos) invalid(address, "an IPv6 address needs brackets, e.g. [::1]:7400");
    port = address.substr(colon + 1);
  }
  result.port = parse_port(address, port, purpose);
  if (result.host.empty() && purpose == Purpose::connect) invalid(address, "no host; " + std::string(expected_forms));
  return result;
}

std::vector<Endpoint> resolve(const HostPort& target, std::string_view address, Purpose purpose) {
  if (target.host.empty()) return {wildcard(AF_INET6, target.port), wildcard(AF_INET, target.port)};
  std::unique_ptr<addrinfo, AddrinfoDeleter> list;
  const int passive = purpose == Purpose::listen ? AI_PASSIVE : 0;
  int status = lookup(target, AI_NUMERICHOST | passive, list);
  // Only names reach the (blocking) resolver; AI_ADDRCONFIG skips families this machine cannot reach.
  if (status == EAI_NONAME) status = lookup(target, AI_ADDRCONFIG | passive, list);
  if (status != 0) {
    const std::string what =
        "cannot resolve host \"" + sdk::printable(target.host) + "\" of " + sdk::printable(address);
    if (status == EAI_SYSTEM) throw sdk::os_error(what, errno);
    const bool unknown = status == EAI_NONAME || status == EAI_NODATA || status == EAI_FAMILY;
    throw sdk::Error(unknown ? FERRY_ERR_NOT_FOUND : FERRY_ERR_IO, what + ": " + gai_strerror(status));
  }
  std::vector<Endpoint> endpoints;
  for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
    if (entry->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Endpoint endpoint;
    std::memcpy(&endpoint.storage, entry->ai_addr, entry->ai_addrlen);
    endpoint.length = entry->ai_addrlen;
    endpoints.push_back(endpoint);
  }
  if (endpoints.empty())
    throw sdk::Error(FERRY_ERR_NOT_FOUND, "cannot resolve host \"" + sdk::printable(target.host) + "\" of " +
                                              sdk::printable(address) + ": no usable address");
  return endpoints;
}

std::string format_endpoint(const sockaddr* address, socklen_t length) {
  char host[NI_MAXHOST] = {};
  char port[NI_MAXSERV] = {};
  if (getnameinfo(address, length, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "(unprintable address)";
  std::string_view text = host;
  if (address->sa_family != AF_INET6) return std::string(text) + ":" + port;
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
  // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d; people know them by their IPv4 address.
  constexpr std::string_view mapped_prefix = "::ffff:";
  if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && text.starts_with(mapped_prefix))
    return std::string(text.substr(mapped_prefix.size())) + ":" + port;
  return "[" + std::string(text) + "]:" + port;
}

}  // namespace ferry::tcp
