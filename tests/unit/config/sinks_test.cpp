#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::find_error;
using test::load;

TEST_CASE("without [[sink]] tables there is one null sink", "[sinks]") {
  for (const char* text : {"", "sink = []\n"}) {
    LoadResult result = load(text);
    REQUIRE(result.config);
    REQUIRE(result.config->sinks.size() == 1);
    CHECK(result.config->sinks[0].name == "null");
    CHECK(result.config->sinks[0].plugin == "null");
    CHECK(result.config->sinks[0].keys.empty());
    CHECK(result.config->stream.default_sink == "null");
  }
}

TEST_CASE("sink tables keep their plugin keys raw, with locations", "[sinks]") {
  LoadResult result = load(R"([[sink]]
name = "received"
plugin = "fs"
root = "/var/lib/ferry/received"
max_files = 100
fsync = true
ratio = 0.5
exclude = ["*.tmp", "*.part"]
none = []

[[sink]]
name = "db"
plugin = "sqlite"
)");
  INFO(all_errors(result));
  REQUIRE(result.config);
  const auto& sinks = result.config->sinks;
  REQUIRE(sinks.size() == 2);
  CHECK(sinks[0].name == "received");
  CHECK(sinks[0].plugin == "fs");
  CHECK(sinks[0].location.line == 1);
  CHECK(sinks[0].plugin_location.line == 3);
  CHECK(sinks[0].plugin_location.column == 10);
  REQUIRE(sinks[0].keys.size() == 6);
  CHECK(sinks[0].keys[0].name == "root");
  CHECK(sinks[0].keys[0].location.line == 4);
  CHECK(sinks[0].keys[0].location.column == 1);
  CHECK(std::get<std::string>(sinks[0].keys[0].raw) == "/var/lib/ferry/received");
  CHECK(std::get<int64_t>(sinks[0].keys[1].raw) == 100);
  CHECK(std::get<bool>(sinks[0].keys[2].raw));
  CHECK(std::get<double>(sinks[0].keys[3].raw) == 0.5);
  CHECK(std::get<std::vector<std::string>>(sinks[0].keys[4].raw) == std::vector<std::string>{"*.tmp", "*.part"});
  CHECK(std::get<std::vector<std::string>>(sinks[0].keys[5].raw).empty());
  CHECK(sinks[1].location.line == 11);
  CHECK(result.config->stream.default_sink == "received");
}

TEST_CASE("a sink needs a valid name and plugin", "[sinks]") {
  LoadResult result = load(R"([[sink]]
plugin = "fs"
[[sink]]
name = "Bad Name"
plugin = "fs"
[[sink]]
name = "ok"
plugin = 3
[[sink]]
name = "nested"
plugin = "fs"
options = { a = 1 }
when = 1979-05-27
)");
  INFO(all_errors(result));
  CHECK(result.errors.size() == 5);
  CHECK(find_error(result, "sink[0].name")->to_string() ==
        "test.toml:1:1: sink[0].name: missing required key \"name\"");
  CHECK(find_error(result, "sink[0].plugin") == nullptr);
  CHECK_THAT(find_error(result, "sink[1].name")->message, Catch::Contains("got \"Bad Name\""));
  CHECK(find_error(result, "sink.ok.plugin")->message == "expected a string, got 3 (an integer)");
  CHECK_THAT(find_error(result, "sink.nested.options")->message, Catch::EndsWith("got a table"));
  CHECK_THAT(find_error(result, "sink.nested.when")->message, Catch::EndsWith("got 1979-05-27 (a date)"));
}

TEST_CASE("duplicate sink names are errors", "[sinks]") {
  LoadResult result = load("[[sink]]\nname = \"a\"\nplugin = \"null\"\n\n[[sink]]\nname = \"a\"\nplugin = \"fs\"\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() ==
        "test.toml:5:1: sink.a.name: duplicate sink name \"a\" (first defined at test.toml:1:1)");
}

TEST_CASE("a plain [sink] table is an error", "[sinks]") {
  LoadResult result = load("[sink]\nname = \"a\"\nplugin = \"fs\"\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].key == "sink");
  CHECK_THAT(result.errors[0].message, Catch::StartsWith("expected [[sink]] tables"));
}

TEST_CASE("stream.default_sink must name a defined sink", "[sinks]") {
  LoadResult result = load("[stream]\ndefault_sink = \"archive\"\n[[sink]]\nname = \"a\"\nplugin = \"null\"\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() ==
        "test.toml:2:16: stream.default_sink: no [[sink]] named \"archive\"; defined sinks: \"a\"");

  result = load("", {"stream.default_sink=archive"});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() ==
        "--set stream.default_sink: no [[sink]] named \"archive\"; defined sinks: \"null\"");

  result = load(
      "[stream]\ndefault_sink = \"b\"\n[[sink]]\nname = \"a\"\nplugin = \"null\"\n[[sink]]\nname = \"b\"\nplugin = "
      "\"null\"\n");
  REQUIRE(result.config);
  CHECK(result.config->stream.default_sink == "b");
}
