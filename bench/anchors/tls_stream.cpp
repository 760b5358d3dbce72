// Bulk throughput of plain OpenSSL over 127.0.0.1: the anchor that ferry's streaming over TLS is held to.
// A server thread and a client thread in one process, mutual TLS with the given certificates (the same
// library defaults as ferry's openssl plugin: TLS 1.3, its default cipher suite), blocking sockets; the
// client writes --bytes in 256 KiB writes, the server reads them all. Prints one JSON line.
//
//   tls_stream --bytes N --cert FILE --key FILE --ca FILE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "anchor_options.hpp"

namespace {

constexpr size_t write_size = 256u << 10;

struct Files {
  std::string cert, key, ca;
};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "tls_stream: %s\n", what);
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

SSL_CTX* context(const SSL_METHOD* method, const Files& files) {
  SSL_CTX* ctx = SSL_CTX_new(method);
  check(ctx != nullptr, "SSL_CTX_new");
  check(SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1, "TLS 1.3");
  check(SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) == 1, "certificate");
  check(SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) == 1, "private key");
  check(SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) == 1, "CA");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return ctx;
}

// Reads until the client closes; returns the bytes read.
uint64_t serve(int listener, const Files& files) {
  int fd = ::accept(listener, nullptr, nullptr);
  check(fd >= 0, "accept");
  SSL_CTX* ctx = context(TLS_server_method(), files);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  check(SSL_accept(ssl) == 1, "SSL_accept");
  std::vector<char> buffer(write_size);
  uint64_t total = 0;
  for (;;) {
    const int got = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
    if (got <= 0) break;
    total += static_cast<uint64_t>(got);
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  long bytes = 1L << 30;
  Files files;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name(argv[i]);
    if (name == "--bytes")
      bytes = anchor::parse_number(argv[0], name, argv[i + 1], 1, 1L << 40);
    else if (name == "--cert")
      files.cert = argv[i + 1];
    else if (name == "--key")
      files.key = argv[i + 1];
    else if (name == "--ca")
      files.ca = argv[i + 1];
    else
      anchor::usage_error(argv[0], "unknown option");
  }
  if (argc % 2 == 0 || files.cert.empty() || files.key.empty() || files.ca.empty())
    anchor::usage_error(argv[0], "needs --cert, --key and --ca (and optionally --bytes)");

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  check(listener >= 0, "socket");
  check(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0, "bind");
  check(::listen(listener, 1) == 0, "listen");
  socklen_t length = sizeof address;
  check(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0, "getsockname");
  uint64_t received = 0;
  std::thread server([&] { received = serve(listener, files); });

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  check(fd >= 0, "socket");
  check(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0, "connect");
  SSL_CTX* ctx = context(TLS_client_method(), files);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  check(SSL_connect(ssl) == 1, "SSL_connect");

  std::vector<char> buffer(write_size, 'x');
  const auto start = std::chrono::steady_clock::now();
  for (long left = bytes; left > 0;) {
    const int n = static_cast<int>(std::min<long>(left, static_cast<long>(buffer.size())));
    check(SSL_write(ssl, buffer.data(), n) == n, "SSL_write");
    left -= n;
  }
  SSL_shutdown(ssl);
  ::shutdown(fd, SHUT_WR);
  server.join();  // timed until the server has read the last byte
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check(received == static_cast<uint64_t>(bytes), "the server read fewer bytes than were written");

  std::printf("{\"anchor\":\"tls_stream\",\"bytes\":%ld,\"seconds\":%.3f,\"mib_per_s\":%.1f,\"version\":\"%s\","
              "\"cipher\":\"%s\"}\n",
              bytes, seconds, static_cast<double>(bytes) / seconds / (1 << 20), SSL_get_version(ssl),
              SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  ::close(listener);
}
