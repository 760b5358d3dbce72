#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::load;

TEST_CASE("an override replaces a value from the file", "[overrides]") {
  LoadResult result = load("[communication]\nack_threshold = 8\n",
                           {"communication.ack_threshold=64", "log.level=debug", "node.plugin_dirs=[\"/a\",\"/b\"]",
                            "stream.chunk_size=\"64KiB\"", "communication.idle_timeout=30s"});
  INFO(all_errors(result));
  REQUIRE(result.config);
  CHECK(result.config->communication.ack_threshold == 64);
  CHECK(result.config->log.level == "debug");
  CHECK(result.config->node.plugin_dirs == std::vector<std::string>{"/a", "/b"});
  CHECK(result.config->stream.chunk_size == 64 * 1024);
  CHECK(result.config->communication.idle_timeout == std::chrono::seconds(30));
}

TEST_CASE("overrides apply on top of the defaults and later ones win", "[overrides]") {
  LoadResult result = load_defaults({"node.name=first", "node.name=second", "transport.listen=0.0.0.0:7400",
                                     "tls.enabled=true", "tls.cert=/c", "tls.key=/k", "tls.ca=/ca"});
  INFO(all_errors(result));
  REQUIRE(result.config);
  CHECK(result.config->node.name == "second");
  CHECK(result.config->transport.listen == "0.0.0.0:7400");
  CHECK(result.config->tls.enabled);
}

TEST_CASE("an override of a string key keeps the text as written", "[overrides]") {
  LoadResult result = load_defaults(
      {"tls.min_version=1.2", "node.name=2024", "node.data_dir = /srv/ferry ", "node.cluster=\"quoted\""});
  INFO(all_errors(result));
  REQUIRE(result.config);
  CHECK(result.config->tls.min_version == "1.2");
  CHECK(result.config->node.name == "2024");
  CHECK(result.config->node.data_dir == "/srv/ferry");
  CHECK(result.config->node.cluster == "quoted");
}

TEST_CASE("an overridden value is validated like a written one, and located at --set", "[overrides]") {
  LoadResult result = load("[log]\nlevel = \"info\"\n", {"log.level=loud", "communication.ack_threshold=0",
                                                         "node.plugin_dirs=/a", "communication.ack_interval=100"});
  CHECK_FALSE(result.config);
  INFO(all_errors(result));
  REQUIRE(result.errors.size() == 4);
  CHECK_THAT(all_errors(result),
             Catch::Contains("--set communication.ack_threshold: expected an integer in 1..65535, got 0\n"));
  CHECK_THAT(all_errors(result), Catch::Contains("--set log.level: expected one of \"trace\""));
  CHECK_THAT(all_errors(result), Catch::Contains("--set node.plugin_dirs: expected an array of strings, got \"/a\""));
  CHECK_THAT(all_errors(result), Catch::Contains("--set communication.ack_interval: expected a duration"));
}

TEST_CASE("a malformed override is an error", "[overrides]") {
  LoadResult result = load_defaults({"log.level", "=debug", " = 1"});
  REQUIRE(result.errors.size() == 3);
  CHECK(result.errors[0].to_string() == "--set log.level: expected KEY=VALUE, got \"log.level\"");
  CHECK(result.errors[1].to_string() == "--set: expected KEY=VALUE, got \"=debug\"");
  CHECK(result.errors[2].key.empty());
}

TEST_CASE("an override of an unknown key or a whole section is an error", "[overrides]") {
  LoadResult result = load_defaults({"communication.ack_treshold=1", "bogus=1", "log={level=\"debug\"}", "a.b.c=1"});
  REQUIRE(result.errors.size() == 4);
  CHECK(result.errors[0].to_string() ==
        "--set communication.ack_treshold: unknown key; did you mean \"communication.ack_threshold\"?");
  CHECK(result.errors[1].key == "bogus");
  CHECK(result.errors[2].to_string() ==
        "--set log: a whole section cannot be set; set one of its keys, e.g. log.level");
  CHECK(result.errors[3].key == "a.b.c");
}

TEST_CASE("an override sink.NAME.KEY sets a key of that sink", "[overrides]") {
  std::string file = "[[sink]]\nname = \"archive.v2\"\nplugin = \"fs\"\nroot = \"/old\"\n";
  LoadResult result = load(file, {"sink.archive.v2.root=/new", "sink.archive.v2.fsync=true"});
  INFO(all_errors(result));
  REQUIRE(result.config);
  const SinkSection& sink = result.config->sinks.at(0);
  REQUIRE(sink.keys.size() == 2);
  CHECK(sink.keys[0].name == "fsync");
  CHECK(std::get<bool>(sink.keys[0].raw));
  CHECK(sink.keys[1].name == "root");
  CHECK(std::get<std::string>(sink.keys[1].raw) == "/new");
  CHECK(sink.keys[1].location.file == "--set");

  result = load(file, {"sink.missing.root=/x", "sink.root=/x", "sink.archive.v2.name=BAD"});
  REQUIRE(result.errors.size() == 3);
  CHECK(result.errors[0].to_string() == "--set sink.missing.root: no [[sink]] named \"missing\"");
  CHECK(result.errors[1].key == "sink.root");
  CHECK_THAT(result.errors[2].to_string(), Catch::StartsWith("--set sink[0].name: expected a name"));
}

TEST_CASE("a value that is not exactly one TOML value is a bare string", "[overrides]") {
  LoadResult result = load_defaults({"node.data_dir=\"a\"\nbogus = 1", "admin.token_file=/etc/ferry/token # x"});
  INFO(all_errors(result));
  REQUIRE(result.config);
  CHECK(result.config->node.data_dir == "\"a\"\nbogus = 1");
  CHECK(result.config->admin.token_file == "/etc/ferry/token # x");
}
