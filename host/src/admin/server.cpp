#include "admin/server.hpp"

#include <utility>
#include <vector>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <thread>

#include "config/string_checks.hpp"
#include "log/logging.hpp"
#include "version.hpp"

namespace ferry::admin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using asio::use_awaitable;

namespace {

// How long, and how much, a refused request's remaining bytes are read and dropped before closing.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = 1u << 20;

// What the parser's refusal means for the client; system errors (a reset, a timeout) get no answer.
std::optional<Response> refusal(const boost::system::error_code& error) {
  if (error == http::error::header_limit) return error_response(431, "request header fields too large");
  if (error == http::error::body_limit) return error_response(413, "request body too large");
  if (error.category() == http::make_error_code(http::error::bad_target).category())
    return error_response(400, "malformed request: " + error.message());
  return std::nullopt;
}

http::response<http::string_body> to_beast(const Response& response, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), 11};
  out.set(http::field::server, std::string("ferry/") + FERRY_VERSION);
  out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.set(name, value);
  out.body() = response.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

struct Server::Impl {
  Router router;
  ServerLimits limits;
  size_t open = 0;  // connections being served; touched only on the admin thread
  std::shared_ptr<spdlog::logger> log = ferry::log::get("admin");
  // After what the connections' coroutines use: destroying the context destroys their frames.
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket socket);
  asio::awaitable<void> refuse_busy(tcp::socket socket);
};

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    boost::system::error_code error;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, error));
    if (error == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (error) {
      // Out of file descriptors, say: a short pause instead of a busy loop while it lasts.
      log->warn("admin endpoint: accept failed: {}", error.message());
      asio::steady_timer pause(io, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(use_awaitable, error));
      continue;
    }
    auto handler = [log = log](std::exception_ptr failure) {
      if (!failure) return;
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        log->warn("admin connection failed: {}", e.what());
      }
    };
    if (open >= limits.connections)
      asio::co_spawn(io, refuse_busy(std::move(socket)), handler);
    else
      asio::co_spawn(io, serve(std::move(socket)), handler);
  }
}

asio::awaitable<void> Server::Impl::refuse_busy(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(limits.read_timeout);
  auto response = to_beast(error_response(503, "too many admin connections (at most " +
                                                   std::to_string(limits.connections) + ")"),
                           false);
  boost::system::error_code error;
  co_await http::async_write(stream, response, asio::redirect_error(use_awaitable, error));
  stream.socket().shutdown(tcp::socket::shutdown_both, error);
}

// GCC 12 inlines Asio's recycling frame allocator into this coroutine and then reports the frame's sized
// operator delete as mismatched with it: a known false positive (GCC PR 109224), silenced for this one.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<void> Server::Impl::serve(tcp::socket socket) {
  ++open;
  struct Count {
    size_t& open;
    ~Count() { --open; }
  } count{open};
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  bool refused_request = false;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(limits.header_bytes));
    parser.body_limit(limits.body_bytes);
    stream.expires_after(limits.read_timeout);
    boost::system::error_code error;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, error));
    Response response;
    bool keep_alive = false;
    if (error) {
      auto refused = refusal(error);
      if (!refused) break;  // closed, reset or timed out: nobody to answer
      response = std::move(*refused);
      refused_request = true;
    } else {
      const auto& request = parser.get();
      keep_alive = request.keep_alive();
      response = router.handle(Request{std::string(request.method_string()), std::string(request.target()),
                                       std::string(request[http::field::authorization]), request.body()});
    }
    auto out = to_beast(response, keep_alive);
    stream.expires_after(limits.read_timeout);
    co_await http::async_write(stream, out, asio::redirect_error(use_awaitable, error));
    if (error || !keep_alive) break;
  }
  boost::system::error_code ignored;
  if (refused_request) {
    // The rest of a refused request may still be arriving: closing on unread bytes would reset the
    // connection and could destroy the answer before the client reads it. So read and drop, bounded.
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::vector<char> scratch(16 * 1024);
    size_t dropped = 0;
    stream.expires_after(kLingerTime);
    while (dropped < kLingerBytes) {
      const size_t got = co_await stream.async_read_some(asio::buffer(scratch),
                                                         asio::redirect_error(use_awaitable, ignored));
      if (ignored) break;
      dropped += got;
    }
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

Server::Server(ServerLimits limits) : impl_(std::make_unique<Impl>()) { impl_->limits = limits; }

Server::~Server() { stop(); }

std::string Server::bind(const std::string& listen, std::string& error_text) {
  const auto parts = config::split_host_port(listen);
  if (!parts) {
    error_text = "admin.listen: expected HOST:PORT, got \"" + listen + "\"";
    return {};
  }
  boost::system::error_code error;
  tcp::resolver resolver(impl_->io);
  const auto endpoints = resolver.resolve(std::string(parts->host), std::string(parts->port),
                                          tcp::resolver::numeric_service, error);
  if (error || endpoints.empty()) {
    error_text = "admin.listen " + listen + ": cannot resolve " + std::string(parts->host) + ": " + error.message();
    return {};
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    error_text = "admin.listen " + listen + ": cannot listen: " + error.message();
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return {};
  }
  const tcp::endpoint bound = acceptor.local_endpoint(error);
  const auto address = bound.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" + std::to_string(bound.port());
}

void Server::serve(Router router) {
  impl_->router = std::move(router);
  asio::co_spawn(impl_->io, impl_->accept_loop(), [log = impl_->log](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      log->error("admin endpoint stopped accepting: {}", e.what());
    }
  });
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

void Server::stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
  impl_->thread.join();
}

}  // namespace ferry::admin
