#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/schema.hpp"
#include "support.hpp"

using namespace ferry::config;
using test::all_errors;

namespace {

const std::filesystem::path source_dir = FERRY_SOURCE_DIR;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "section.key" for every key written in the file, commented out or not.
std::set<std::string> keys_mentioned(const std::string& text) {
  std::set<std::string> keys;
  std::istringstream lines(text);
  std::string line, section;
  while (std::getline(lines, line)) {
    size_t start = line.find_first_not_of("# ");
    if (start == std::string::npos) continue;
    line = line.substr(start);
    if (line.front() == '[') {
      section = line.substr(1, line.find(']') - 1);
      continue;
    }
    size_t equals = line.find(" = ");
    if (equals != std::string::npos && line.find(' ') == equals) keys.insert(section + "." + line.substr(0, equals));
  }
  return keys;
}

}  // namespace

TEST_CASE("every example under configs/ loads without errors or warnings", "[examples]") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source_dir / "configs"))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  CHECK(files.size() >= 5);
  for (const auto& file : files) {
    LoadResult result = load_file(file, {});
    INFO(file.string() << "\n" << all_errors(result));
    CHECK(result.config);
    CHECK(result.warnings.empty());
  }
}

TEST_CASE("the example cluster is three nodes that peer with each other", "[examples]") {
  std::vector<std::string> listens;
  for (const char* name : {"node-a", "node-b", "node-c"}) {
    LoadResult result = load_file(source_dir / "configs/cluster" / (std::string(name) + ".toml"), {});
    REQUIRE(result.config);
    CHECK(result.config->node.name == name);
    CHECK(result.config->transport.peers.size() == 2);
    listens.push_back(result.config->transport.listen);
  }
  CHECK(listens == std::vector<std::string>{"127.0.0.1:7410", "127.0.0.1:7420", "127.0.0.1:7430"});
}

TEST_CASE("configs/node.toml shows every key", "[examples]") {
  std::set<std::string> shown = keys_mentioned(read(source_dir / "configs/node.toml"));
  for (const KeySpec& key : schema()) CHECK(shown.count(key.path()) == 1);
}

TEST_CASE("docs/configuration.md documents every key", "[examples]") {
  std::string docs = read(source_dir / "docs/configuration.md");
  for (const KeySpec& key : schema()) CHECK_THAT(docs, Catch::Contains("`" + key.path() + "`"));
}
