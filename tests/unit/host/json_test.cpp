#include <catch2/catch.hpp>

#include "util/json.hpp"

using ferry::util::json_string;

TEST_CASE("JSON strings escape quotes, backslashes and control characters", "[util][json]") {
  CHECK(json_string("plain") == "\"plain\"");
  CHECK(json_string("say \"hi\"\\") == R"("say \"hi\"\\")");
  CHECK(json_string("line\nnext\ttab\r") == R"("line\nnext\ttab\r")");
  CHECK(json_string(std::string_view("\x01\x1f\x7f", 3)) == R"("\u0001\u001f\u007f")");
  CHECK(json_string(std::string_view("nul\0byte", 8)) == R"("nul\u0000byte")");
}

TEST_CASE("JSON strings keep valid UTF-8 and replace invalid bytes", "[util][json]") {
  CHECK(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa2") == "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa2\"");
  CHECK(json_string("\xff") == R"("\ufffd")");
  CHECK(json_string("\xc3") == R"("\ufffd")");             // truncated sequence
  CHECK(json_string("\xc0\xaf") == R"("\ufffd\ufffd")");   // overlong encoding
  CHECK(json_string("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");  // UTF-16 surrogate
}
