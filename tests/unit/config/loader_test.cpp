#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "support.hpp"

// The public header must stay free of toml++ so that the rest of the host compiles fast.
#ifdef TOML_LIB_MAJOR
#error "config/config.hpp pulls in toml++"
#endif

using namespace ferry::config;
using namespace std::chrono_literals;
using test::all_errors;
using test::load;

namespace {

struct TempFile {
  explicit TempFile(std::string_view contents)
      : path(std::filesystem::temp_directory_path() /
             ("ferry-config-test-" + std::to_string(reinterpret_cast<uintptr_t>(this)) + ".toml")) {
    std::ofstream(path, std::ios::binary) << contents;
  }
  ~TempFile() { std::filesystem::remove(path); }
  std::filesystem::path path;
};

}  // namespace

TEST_CASE("built-in defaults load without errors and match the documented values", "[loader]") {
  LoadResult result = load_defaults({});
  INFO(all_errors(result));
  REQUIRE(result.config);
  const Config& c = *result.config;
  CHECK(c.source == "(built-in defaults)");
  CHECK(c.node.name == "ferry");
  CHECK(c.node.cluster == "ferry");
  CHECK(c.node.id.empty());
  CHECK(c.node.data_dir == "/var/lib/ferry");
  CHECK(c.node.plugin_dirs.empty());
  CHECK(c.transport.plugin == "tcp");
  CHECK(c.transport.listen == "127.0.0.1:7400");
  CHECK(c.protocol.max_version.empty());
  CHECK(c.communication.io_threads == 1);
  CHECK(c.communication.ack_threshold == 32);
  CHECK(c.communication.ack_interval == 100ms);
  CHECK(c.communication.unacked_limit == 4096);
  CHECK(c.communication.message_queue_limit == 1024);
  CHECK(c.communication.queue_full == "wait");
  CHECK(c.communication.connections_per_peer == 1);
  CHECK(c.communication.idle_timeout == 10min);
  CHECK(c.communication.connect_timeout == 5s);
  CHECK(c.communication.max_connect_timeout == 60s);
  CHECK(c.communication.handshake_timeout == 10s);
  CHECK(c.communication.reconnect_attempts == 10);
  CHECK(c.communication.max_message_size == 16u << 20);
  CHECK(c.communication.checksum == "crc32c");
  CHECK_FALSE(c.tls.enabled);
  CHECK_FALSE(c.tls.required);
  CHECK(c.tls.require_client_cert);
  CHECK(c.tls.min_version == "1.3");
  CHECK(c.stream.chunk_size == 2u << 20);
  CHECK(c.stream.max_retries == 3);
  CHECK(c.stream.throughput_limit == 0);
  CHECK(c.stream.default_sink == "null");
  CHECK(c.stream.keepalive_interval == 5s);
  CHECK(c.admin.enabled);
  CHECK(c.admin.listen == "127.0.0.1:7401");
  CHECK(c.log.level == "info");
  CHECK(c.log.format == "text");
  REQUIRE(c.sinks.size() == 1);
  CHECK(c.sinks[0].name == "null");
  CHECK(c.sinks[0].plugin == "null");
  CHECK(result.warnings.empty());
}

TEST_CASE("an empty file is the defaults, with the file as source", "[loader]") {
  LoadResult result = load("");
  REQUIRE(result.config);
  CHECK(result.config->source == "test.toml");
  CHECK(result.config->sinks.size() == 1);
}

TEST_CASE("values from the file replace defaults", "[loader]") {
  LoadResult result = load(R"(
[node]
name = "alpha"
id = "0F8E5C2A-7d4b-4c1e-9a3f-6b2d8e1c5a70"
plugin_dirs = ["/opt/ferry/plugins", "/usr/lib/ferry/plugins"]
[communication]
ack_interval = "250ms"
max_message_size = "64MiB"
paired_connections = true
[stream]
chunk_size = 65536
throughput_limit = "100MB"
)");
  INFO(all_errors(result));
  REQUIRE(result.config);
  CHECK(result.config->node.name == "alpha");
  CHECK(result.config->node.plugin_dirs == std::vector<std::string>{"/opt/ferry/plugins", "/usr/lib/ferry/plugins"});
  CHECK(result.config->communication.ack_interval == 250ms);
  CHECK(result.config->communication.max_message_size == 64u << 20);
  CHECK(result.config->communication.paired_connections);
  CHECK(result.config->stream.chunk_size == 65536);
  CHECK(result.config->stream.throughput_limit == 100000000);
}

TEST_CASE("a TOML syntax error gives the parser's description and position", "[loader][errors]") {
  LoadResult result = load("[node]\nname = \"a\"\ncluster = = 3\n");
  CHECK_FALSE(result.config);
  REQUIRE(result.errors.size() == 1);
  const ConfigError& error = result.errors[0];
  CHECK(error.file == "test.toml");
  CHECK(error.line == 3);
  CHECK(error.column > 0);
  CHECK_FALSE(error.message.empty());
  CHECK(error.to_string().rfind("test.toml:3:", 0) == 0);
}

TEST_CASE("load_file reads a file and names it in errors", "[loader]") {
  TempFile file("[log]\nlevel = \"debug\"\n[node]\nnmae = \"x\"\n");
  LoadResult result = load_file(file.path, {});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].file == file.path.string());
  CHECK(result.errors[0].line == 4);

  TempFile good("[log]\nlevel = \"debug\"\n");
  result = load_file(good.path, {});
  REQUIRE(result.config);
  CHECK(result.config->log.level == "debug");
  CHECK(result.config->source == good.path.string());
}

TEST_CASE("a missing file or a directory is an error naming it", "[loader][robustness]") {
  LoadResult missing = load_file("/nonexistent/ferry.toml", {});
  CHECK_FALSE(missing.config);
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].to_string() == "/nonexistent/ferry.toml: cannot open: No such file or directory");

  LoadResult directory = load_file(std::filesystem::temp_directory_path(), {});
  CHECK_FALSE(directory.config);
  REQUIRE(directory.errors.size() == 1);
  CHECK_THAT(directory.errors[0].to_string(), Catch::Contains("is a directory"));
}

TEST_CASE("bad input never crashes", "[loader][robustness]") {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
  std::string nul_inside("[node]\nname = \"a\0b\"\n", 21);
  std::string deep = "x = " + std::string(10000, '[') + std::string(10000, ']');
  std::string deep_tables = "a = " + std::string(5000, '{') + std::string(5000, '}');
  std::string huge_integer = "[communication]\nack_threshold = 99999999999999999999999\n";
  std::string long_key = "[node]\n" + std::string(100000, 'k') + " = 1\n";
  for (const std::string& text :
       {garbage, nul_inside, deep, deep_tables, huge_integer, long_key, std::string("[[sink]]\n[[sink]]\n"),
        std::string("sink = 3\n"), std::string("node = [1]\n")}) {
    LoadResult result = load(text);
    CHECK_FALSE(result.config);
    CHECK_FALSE(result.errors.empty());
  }
}

TEST_CASE("a byte-order mark alone is an empty file", "[loader][robustness]") { CHECK(load("\xEF\xBB\xBF").config); }

TEST_CASE("negative and huge sizes are range errors, not wrap-arounds", "[loader][robustness]") {
  LoadResult result = load(
      "[stream]\nchunk_size = -4096\nthroughput_limit = -1\n[communication]\n"
      "max_message_size = \"99999999999TiB\"\n");
  CHECK(result.errors.size() == 3);
  CHECK_THAT(all_errors(result), Catch::Contains("stream.chunk_size: expected a size in 4KiB..64MiB, got -4096"));
  CHECK_THAT(all_errors(result), Catch::Contains("stream.throughput_limit: expected a size, got -1"));
}
