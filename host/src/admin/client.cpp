#include "admin/client.hpp"

#include <utility>
#include <vector>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "config/string_checks.hpp"
#include "version.hpp"

namespace ferry::admin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

// Bounds what an endpoint may answer: a status document of a very busy node stays far below.
constexpr uint64_t kMaxBody = 64u << 20;

asio::awaitable<void> exchange(tcp::resolver::results_type endpoints, std::string host, std::string path,
                               std::string token, std::chrono::milliseconds timeout, Answer& answer) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);
  co_await stream.async_connect(endpoints, asio::use_awaitable);
  http::request<http::empty_body> request{http::verb::get, path, 11};
  request.set(http::field::host, host);
  request.set(http::field::user_agent, std::string("ferry/") + FERRY_VERSION);
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBody);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  answer.status = parser.get().result_int();
  answer.body = std::move(parser.get().body());
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

Answer get(const std::string& address, const std::string& path, const std::string& token,
           std::chrono::milliseconds timeout) {
  Answer answer;
  const auto parts = config::split_host_port(address);
  if (!parts) {
    answer.error = "expected HOST:PORT, got \"" + address + "\"";
    return answer;
  }
  asio::io_context io;
  boost::system::error_code error;
  tcp::resolver resolver(io);
  auto endpoints =
      resolver.resolve(std::string(parts->host), std::string(parts->port), tcp::resolver::numeric_service, error);
  if (error) {
    answer.error = "cannot resolve " + std::string(parts->host) + ": " + error.message();
    return answer;
  }
  asio::co_spawn(io, exchange(std::move(endpoints), std::string(parts->host), path, token, timeout, answer),
                 [&answer, timeout](std::exception_ptr failure) {
                   if (!failure) return;
                   try {
                     std::rethrow_exception(failure);
                   } catch (const boost::system::system_error& e) {
                     answer.error = e.code() == beast::error::timeout
                                        ? "no answer within " + std::to_string(timeout.count()) + " ms"
                                        : e.code().message();
                   } catch (const std::exception& e) {
                     answer.error = e.what();
                   }
                 });
  io.run();
  return answer;
}

}  // namespace ferry::admin
