#include "admin/session_request.hpp"

#include <catch2/catch.hpp>

#include "admin/json_reader.hpp"

using namespace ferry::admin;

namespace {

std::string refusal(const std::string& body) {
  auto parsed = parse_session_request(body);
  REQUIRE(std::holds_alternative<Response>(parsed));
  CHECK(std::get<Response>(parsed).status == 400);
  return std::get<Response>(parsed).body;
}

}  // namespace

TEST_CASE("a session request names the peer's address and the paths to send") {
  auto parsed = parse_session_request(R"({"to": "127.0.0.1:7400", "paths": ["/data/a", "/data/b \u00e9\n"]})");
  REQUIRE(std::holds_alternative<SessionRequest>(parsed));
  const auto& request = std::get<SessionRequest>(parsed);
  CHECK(request.to == "127.0.0.1:7400");
  CHECK(request.paths == std::vector<std::string>{"/data/a", "/data/b \xc3\xa9\n"});
}

TEST_CASE("a session request that is not what the API takes is refused with what was wrong") {
  CHECK(refusal("").find("not JSON") != std::string::npos);
  CHECK(refusal("{\"to\": \"a:1\", \"paths\": [\"x\"]").find("not JSON") != std::string::npos);
  CHECK(refusal("[1]").find("not a JSON object") != std::string::npos);
  CHECK(refusal(R"({"paths": ["x"]})").find(R"(\"to\" is missing)") != std::string::npos);
  CHECK(refusal(R"({"to": "a:1"})").find(R"(\"paths\" is missing)") != std::string::npos);
  CHECK(refusal(R"({"to": "a:1", "paths": "x"})").find("array of strings") != std::string::npos);
  CHECK(refusal(R"({"to": "a:1", "paths": [1]})").find("non-empty strings") != std::string::npos);
  CHECK(refusal(R"({"to": ["a:1"], "paths": ["x"]})").find("non-empty string") != std::string::npos);
  CHECK(refusal(R"({"to": 7400, "paths": ["x"]})").find("non-empty string") != std::string::npos);
  CHECK(refusal(R"({"to": "a:1", "paths": ["x"], "fetch": []})").find(R"(unknown member \"fetch\")") !=
        std::string::npos);
}

TEST_CASE("the JSON reader refuses what is not JSON and bounds nesting") {
  CHECK(read_json("{\"a\": 1, \"b\": [true, null, \"x\"]}").error.empty());
  CHECK(read_json("{\"a\": 1} extra").error.find("after the value") != std::string::npos);
  CHECK(read_json("\"unterminated").error.find("closing double quote") != std::string::npos);
  CHECK(read_json("\"bad \\q escape\"").error.find("unknown escape") != std::string::npos);
  CHECK(read_json("\"\\ud800\"").error.find("surrogate") != std::string::npos);
  CHECK(read_json("{\"a\" 1}").error.find("':'") != std::string::npos);
  CHECK(read_json(std::string(100, '[') + std::string(100, ']')).error.find("levels deep") != std::string::npos);
  const auto read = read_json("{\"n\": -12.5e3, \"s\": \"\\ud83d\\ude00\"}");
  CHECK(read.value.text_of("n") == "-12.5e3");
  CHECK(read.value.text_of("s") == "\xf0\x9f\x98\x80");
  CHECK(read.value.text_of("missing", "none") == "none");
}
