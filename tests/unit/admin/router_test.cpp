#include "admin/router.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace ferry::admin;

namespace {

Router sample_router() {
  Router router;
  router.add("GET", "/healthz", [](const Request&) { return Response{200, "text/plain", "ok\n", {}}; }, true);
  router.add("GET", "/v1/things", [](const Request&) { return Response{200, "application/json", "[]", {}}; });
  router.add("POST", "/v1/things", [](const Request& r) { return Response{202, "application/json", r.body, {}}; });
  router.add("GET", "/v1/broken", [](const Request&) -> Response { throw std::runtime_error("disk on fire"); });
  return router;
}

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return {};
}

}  // namespace

TEST_CASE("routes by path and method; the query string is ignored") {
  const Router router = sample_router();
  CHECK(router.handle({"GET", "/v1/things?verbose=1", "", ""}).body == "[]");
  CHECK(router.handle({"POST", "/v1/things", "", "{\"a\":1}"}).status == 202);
}

TEST_CASE("an unknown path is 404 and a known path with another method 405 with Allow") {
  const Router router = sample_router();
  const auto missing = router.handle({"GET", "/nope", "", ""});
  CHECK(missing.status == 404);
  CHECK(missing.body.find("/nope") != std::string::npos);
  const auto wrong = router.handle({"DELETE", "/v1/things", "", ""});
  CHECK(wrong.status == 405);
  CHECK(header(wrong, "Allow") == "GET, POST");
}

TEST_CASE("with a token, closed routes need the right bearer token and open ones do not") {
  Router router = sample_router();
  router.require_token("s3cret");
  const auto missing = router.handle({"GET", "/v1/things", "", ""});
  CHECK(missing.status == 401);
  CHECK(missing.body.find("missing bearer token") != std::string::npos);
  CHECK(header(missing, "WWW-Authenticate").starts_with("Bearer"));
  CHECK(router.handle({"GET", "/v1/things", "Basic czNjcmV0", ""}).body.find("not a bearer token") !=
        std::string::npos);
  const auto wrong = router.handle({"GET", "/v1/things", "Bearer s3cre", ""});
  CHECK(wrong.status == 401);
  CHECK(wrong.body.find("wrong bearer token") != std::string::npos);
  CHECK(router.handle({"GET", "/v1/things", "Bearer s3cretX", ""}).status == 401);
  CHECK(router.handle({"GET", "/v1/things", "Bearer s3cret", ""}).status == 200);
  CHECK(router.handle({"GET", "/healthz", "", ""}).status == 200);
}

TEST_CASE("a handler's exception becomes a 500 that names it") {
  const auto response = sample_router().handle({"GET", "/v1/broken", "", ""});
  CHECK(response.status == 500);
  CHECK(response.body.find("disk on fire") != std::string::npos);
}
