#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::load;

namespace {

const std::vector<PluginKeySpec> fs_keys{
    {"root", plugin_key_string, true, 0, 0},           {"max_files", plugin_key_integer, false, 1, 1000},
    {"fsync", plugin_key_boolean, false, 0, 0},        {"buffer", plugin_key_size, false, 4096, 64 << 20},
    {"flush_every", plugin_key_duration, false, 0, 0}, {"offset", plugin_key_integer, false, 0, 0},
};

SinkSection sink_from(std::string_view text, const std::vector<std::string>& overrides = {}) {
  LoadResult result = load(text, overrides);
  INFO(all_errors(result));
  REQUIRE(result.config);
  return result.config->sinks.at(0);
}

}  // namespace

TEST_CASE("plugin keys are converted to the declared types", "[plugin_keys]") {
  SinkSection sink = sink_from(R"([[sink]]
name = "r"
plugin = "fs"
root = "/data"
max_files = 10
fsync = false
buffer = "64KiB"
flush_every = "2s"
offset = -5
)");
  PluginValues values;
  auto errors = validate_plugin_keys(plugin_table(sink), fs_keys, values);
  CHECK(errors.empty());
  CHECK(std::get<std::string>(values.values.at("root")) == "/data");
  CHECK(std::get<int64_t>(values.values.at("max_files")) == 10);
  CHECK_FALSE(std::get<bool>(values.values.at("fsync")));
  CHECK(std::get<int64_t>(values.values.at("buffer")) == 65536);
  CHECK(std::get<int64_t>(values.values.at("flush_every")) == 2000);
  CHECK(std::get<int64_t>(values.values.at("offset")) == -5);
  CHECK(values.values.size() == 6);
}

TEST_CASE("unknown plugin keys are reported with their location", "[plugin_keys]") {
  SinkSection sink = sink_from("[[sink]]\nname = \"r\"\nplugin = \"fs\"\nroot = \"/d\"\nrot = \"/e\"\nzzz = 1\n");
  PluginValues values;
  auto errors = validate_plugin_keys(plugin_table(sink), fs_keys, values);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].to_string() ==
        "test.toml:5:1: sink.r.rot: unknown key for sink plugin \"fs\"; did you mean \"root\"?");
  CHECK(errors[1].to_string() ==
        "test.toml:6:1: sink.r.zzz: unknown key for sink plugin \"fs\"; its keys: root, "
        "max_files, fsync, buffer, flush_every, offset");

  SinkSection null_sink = sink_from("[[sink]]\nname = \"n\"\nplugin = \"null\"\npath = \"/x\"\n");
  errors = validate_plugin_keys(plugin_table(null_sink), {}, values);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "unknown key for sink plugin \"null\", which takes no keys of its own");
}

TEST_CASE("plugin keys are checked for type, range and presence", "[plugin_keys]") {
  SinkSection sink = sink_from(R"([[sink]]
name = "r"
plugin = "fs"
max_files = 0
fsync = "yes"
buffer = "1KiB"
flush_every = 10
)");
  PluginValues values;
  auto errors = validate_plugin_keys(plugin_table(sink), fs_keys, values);
  REQUIRE(errors.size() == 5);
  CHECK(errors[0].message == "expected an integer in 1..1000, got 0");
  CHECK(errors[1].message == "expected true or false, got \"yes\" (a string)");
  CHECK(errors[2].message == "expected a size in 4KiB..64MiB, got \"1KiB\"");
  CHECK_THAT(errors[3].message, Catch::Contains("with no unit"));
  CHECK(errors[4].to_string() == "test.toml:1:1: sink.r.root: missing required key of sink plugin \"fs\"");
  CHECK(values.values.empty());
}

TEST_CASE("plugin keys set with --set are located at --set", "[plugin_keys]") {
  SinkSection sink = sink_from("[[sink]]\nname = \"r\"\nplugin = \"fs\"\nroot = \"/d\"\n", {"sink.r.max_files=5000"});
  PluginValues values;
  auto errors = validate_plugin_keys(plugin_table(sink), fs_keys, values);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].to_string() == "--set sink.r.max_files: expected an integer in 1..1000, got 5000");
}

TEST_CASE("a typo of a table's own key is suggested too", "[plugin_keys]") {
  SinkSection sink = sink_from("[[sink]]\nname = \"r\"\nplugin = \"fs\"\nroot = \"/d\"\nplugn = \"fs\"\n");
  PluginValues values;
  auto errors = validate_plugin_keys(plugin_table(sink), fs_keys, values);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].to_string() ==
        "test.toml:5:1: sink.r.plugn: unknown key for sink plugin \"fs\"; did you mean \"plugin\"?");
}
