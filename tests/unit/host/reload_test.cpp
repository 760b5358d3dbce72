// A reload computed without a process: a scratch plugin directory changes between two scans, and
// prepare_reload says what new connections would be offered, or why the reload is refused.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "handshake/text.hpp"
#include "node/reload.hpp"

namespace fs = std::filesystem;
using namespace ferry;

namespace {

const fs::path test_plugins = FERRY_TEST_PLUGIN_ROOT;
const fs::path shipped_plugins = FERRY_PLUGIN_OUTPUT_DIR;
const plugin::FilePolicy lenient{false, 0};

struct PluginDirectory {
  fs::path path = fs::temp_directory_path() / ("ferry-reload-test-" + std::to_string(::getpid()));
  PluginDirectory() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~PluginDirectory() { fs::remove_all(path); }
  void add(const fs::path& file) { fs::copy_file(file, path / file.filename(), fs::copy_options::overwrite_existing); }
  void add_codec(const std::string& name) { add(shipped_plugins / (name + ".so")); }
  void remove(const std::string& file) { fs::remove(path / file); }
};

config::LoadResult config_for(const PluginDirectory& directory, const std::string& extra = "") {
  return config::load_string("[node]\nplugin_dirs = [\"" + directory.path.string() + "\"]\n" + extra, "node.toml", {});
}

node::RunningSet running_set(const PluginDirectory& directory, const std::string& extra = "") {
  const auto loaded = config_for(directory, extra);
  REQUIRE(loaded.config);
  auto catalog = plugin::Catalog::scan(node::plugin_directories(*loaded.config), lenient);
  const auto id = handshake::parse_node_id("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  auto protocol = node::prepare_protocol(*loaded.config, catalog, *id, 7, nullptr);
  REQUIRE(std::holds_alternative<node::ProtocolSetup>(protocol));
  return {*loaded.config, std::move(catalog), std::get<node::ProtocolSetup>(std::move(protocol))};
}

std::vector<std::string> offered(const node::ProtocolSetup& protocol) {
  std::vector<std::string> versions;
  for (const auto& offer : protocol.local->codecs) versions.push_back(handshake::to_string(offer.version));
  return versions;
}

}  // namespace

TEST_CASE("a reload offers a codec dropped in beside the others, keeping the node's identity", "[node][reload]") {
  PluginDirectory directory;
  directory.add_codec("codec-1.0");
  const auto running = running_set(directory);
  directory.add_codec("codec-1.1");
  auto reload = node::prepare_reload(running, config_for(directory), lenient, nullptr);
  REQUIRE(std::holds_alternative<node::Reload>(reload));
  const auto& result = std::get<node::Reload>(reload);
  CHECK(offered(result.next.protocol) == std::vector<std::string>{"1.0", "1.1"});
  CHECK(result.changes == std::vector<std::string>{"codecs added: codec-1.1 (1.1)"});
  REQUIRE(result.loaded.size() == 1);
  CHECK_THAT(result.loaded[0], Catch::Contains("codec plugin codec-1.1 1.1.0") && Catch::Contains("protocol 1.1"));
  CHECK(result.next.protocol.local->incarnation == 7);
  CHECK(result.next.protocol.local->id == running.protocol.local->id);
  CHECK(result.not_applied.empty());
}

TEST_CASE("a reload that replaces a codec says it stays loaded for the connections that speak it", "[node][reload]") {
  PluginDirectory directory;
  directory.add_codec("codec-1.0");
  const auto running = running_set(directory);
  directory.remove("codec-1.0.so");
  directory.add_codec("codec-1.1");
  auto reload = node::prepare_reload(running, config_for(directory), lenient, nullptr);
  REQUIRE(std::holds_alternative<node::Reload>(reload));
  const auto& result = std::get<node::Reload>(reload);
  CHECK(offered(result.next.protocol) == std::vector<std::string>{"1.1"});
  REQUIRE(result.changes.size() == 2);
  CHECK(result.changes[0] == "codecs added: codec-1.1 (1.1)");
  CHECK_THAT(result.changes[1], Catch::StartsWith("codecs removed: codec-1.0 (1.0) (each stays loaded until"));
  // The running set's codec instance still works: live connections keep it, and with it its library.
  CHECK(running.protocol.codecs.at(0)->version().text() == "1.0");
  CHECK(std::holds_alternative<std::unique_ptr<plugin::CodecStream>>(running.protocol.codecs[0]->open({plugin::CodecMode::stable, 0, 1u << 20})));
}

TEST_CASE("a reload that meets a broken plugin is refused and names it", "[node][reload]") {
  PluginDirectory directory;
  directory.add_codec("codec-1.0");
  const auto running = running_set(directory);
  directory.add_codec("codec-1.1");
  directory.add(test_plugins / "other-major" / "other-major.so");
  auto reload = node::prepare_reload(running, config_for(directory), lenient, nullptr);
  REQUIRE(std::holds_alternative<std::string>(reload));
  CHECK_THAT(std::get<std::string>(reload),
             Catch::Contains("plugin " + (directory.path / "other-major.so").string() + " is refused: ") &&
                 Catch::Contains("(the major differs)"));
}

TEST_CASE("a plugin refused when the node started does not block later reloads", "[node][reload]") {
  PluginDirectory directory;
  directory.add_codec("codec-1.0");
  directory.add(test_plugins / "no-entry" / "no-entry.so");
  const auto running = running_set(directory);
  directory.add_codec("codec-1.1");
  auto reload = node::prepare_reload(running, config_for(directory), lenient, nullptr);
  REQUIRE(std::holds_alternative<node::Reload>(reload));
  CHECK(offered(std::get<node::Reload>(reload).next.protocol) == std::vector<std::string>{"1.0", "1.1"});
}

TEST_CASE("a reload with an invalid configuration or without codecs is refused", "[node][reload]") {
  PluginDirectory directory;
  directory.add_codec("codec-1.0");
  const auto running = running_set(directory);

  auto invalid = node::prepare_reload(running, config_for(directory, "[protocol]\nmax_version = \"one\"\n"), lenient,
                                      nullptr);
  REQUIRE(std::holds_alternative<std::string>(invalid));
  CHECK_THAT(std::get<std::string>(invalid),
             Catch::StartsWith("the configuration is invalid: node.toml:") && Catch::Contains("protocol.max_version"));

  directory.remove("codec-1.0.so");
  auto empty = node::prepare_reload(running, config_for(directory), lenient, nullptr);
  REQUIRE(std::holds_alternative<std::string>(empty));
  CHECK(std::get<std::string>(empty) == "no codec plugin is loaded, so this node can speak no protocol version");
}

TEST_CASE("a reload applies [protocol] and names the keys that take a restart", "[node][reload]") {
  PluginDirectory directory;
  directory.add_codec("codec-1.0");
  directory.add_codec("codec-1.1");
  const auto running = running_set(directory);
  auto reload = node::prepare_reload(
      running,
      config_for(directory, "[protocol]\nmax_version = \"1.0\"\n[communication]\nack_threshold = 7\n"
                            "[[sink]]\nname = \"archive\"\nplugin = \"null\"\n"),
      lenient, nullptr);
  REQUIRE(std::holds_alternative<node::Reload>(reload));
  const auto& result = std::get<node::Reload>(reload);
  CHECK(result.changes == std::vector<std::string>{"protocol.max_version: none -> 1.0"});
  CHECK(result.next.protocol.local->max_version == handshake::Version{1, 0});
  CHECK(node::describe_codecs(result.next.protocol) ==
        "codec-1.0 (1.0), codec-1.1 (1.1), pinned to 1.0 by protocol.max_version");
  CHECK(result.not_applied == std::vector<std::string>{"communication.ack_threshold", "stream.default_sink",
                                                       "sink.archive", "sink.null"});
}
