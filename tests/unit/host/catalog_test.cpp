#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "plugin/catalog.hpp"

namespace fs = std::filesystem;
using ferry::plugin::Catalog;
using ferry::plugin::FilePolicy;

namespace {

const fs::path test_plugins = FERRY_TEST_PLUGIN_ROOT;
const fs::path shipped_plugins = FERRY_PLUGIN_OUTPUT_DIR;
const FilePolicy lenient{false, 0};

const ferry::plugin::PluginRecord& only_record(const Catalog& catalog) {
  REQUIRE(catalog.records().size() == 1);
  return catalog.records().front();
}

std::string refusal_of(const std::string& case_name) {
  const auto catalog = Catalog::scan({test_plugins / case_name}, lenient);
  const auto& record = only_record(catalog);
  CHECK_FALSE(record.loaded);
  CHECK(record.library == nullptr);
  return record.reason;
}

// A private copy of a plugin whose owner and mode the test may change.
struct ScratchDirectory {
  fs::path path = fs::temp_directory_path() / ("ferry-catalog-test-" + std::to_string(::getpid()));
  ScratchDirectory() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDirectory() { fs::remove_all(path); }
  fs::path copy_of(const fs::path& file) {
    const auto target = path / file.filename();
    fs::copy_file(file, target, fs::copy_options::overwrite_existing);
    ::chmod(target.c_str(), 0755);
    return target;
  }
};

}  // namespace

TEST_CASE("the shipped sinks load", "[plugin][catalog]") {
  const auto catalog = Catalog::scan({shipped_plugins}, lenient);
  const auto library = catalog.find("sink", "null");
  REQUIRE(library != nullptr);
  CHECK(std::string(library->descriptor().version) == "1.0.0");
  CHECK(catalog.names("sink") == std::vector<std::string>{"fs", "null", "sqlite"});
}

TEST_CASE("a sink written in C loads", "[plugin][catalog]") {
  const auto catalog = Catalog::scan({test_plugins / "valid-c-sink"}, lenient);
  const auto& record = only_record(catalog);
  CHECK(record.loaded);
  CHECK(record.kind == "sink");
  CHECK(record.name == "c-sink");
  CHECK(record.reason.empty());
}

TEST_CASE("each bad plugin is refused with a one-line reason", "[plugin][catalog]") {
  CHECK_THAT(refusal_of("no-entry"), Catch::Contains("no entry symbol 'ferry_plugin_entry'"));
  CHECK_THAT(refusal_of("other-major"), Catch::Contains("the major differs"));
  CHECK_THAT(refusal_of("newer-minor"), Catch::Contains("newer than this host's ABI"));
  CHECK_THAT(refusal_of("small-descriptor"), Catch::Contains("descriptor is 16 bytes"));
  CHECK_THAT(refusal_of("small-table"), Catch::Contains("sink table is 8 bytes"));
  CHECK_THAT(refusal_of("unknown-kind"), Catch::Contains("unknown kind 99"));
  CHECK_THAT(refusal_of("missing-hook"), Catch::Contains("lacks the mandatory hook on_sink_file_commit"));
}

TEST_CASE("a second plugin with a taken name is refused and the first keeps it", "[plugin][catalog]") {
  // A directory holding only the null sink, so that other shipped plugins do not change the count.
  ScratchDirectory scratch;
  scratch.copy_of(shipped_plugins / "sink-null.so");
  const auto catalog = Catalog::scan({scratch.path, test_plugins / "duplicate-name"}, lenient);
  REQUIRE(catalog.records().size() == 2);
  CHECK(catalog.records()[0].loaded);
  const auto& duplicate = catalog.records()[1];
  CHECK_FALSE(duplicate.loaded);
  CHECK_THAT(duplicate.reason, Catch::Contains("name 'null' is already taken by"));
  CHECK(catalog.find("sink", "null")->path() == catalog.records()[0].path);
}

TEST_CASE("a file that is not a shared object is refused, not fatal", "[plugin][catalog]") {
  ScratchDirectory scratch;
  {
    std::FILE* file = std::fopen((scratch.path / "garbage.so").c_str(), "w");
    std::fputs("this is not an ELF file", file);
    std::fclose(file);
  }
  const auto catalog = Catalog::scan({scratch.path}, lenient);
  CHECK(only_record(catalog).reason == "not a shared object (no ELF header)");
}

TEST_CASE("a missing plugin directory is a warning", "[plugin][catalog]") {
  const auto catalog = Catalog::scan({"/nonexistent/ferry/plugins"}, lenient);
  CHECK(catalog.records().empty());
  REQUIRE(catalog.warnings().size() == 1);
  CHECK_THAT(catalog.warnings()[0], Catch::Contains("/nonexistent/ferry/plugins cannot be read"));
}

TEST_CASE("the ownership policy refuses files others could have replaced", "[plugin][catalog]") {
  ScratchDirectory scratch;
  const auto plugin = scratch.copy_of(shipped_plugins / "sink-null.so");
  const FilePolicy strict{true, ::geteuid()};

  SECTION("owned by the running user and not writable by others: loaded") {
    CHECK(only_record(Catalog::scan({scratch.path}, strict)).loaded);
  }
  SECTION("group-writable") {
    ::chmod(plugin.c_str(), 0775);
    CHECK_THAT(only_record(Catalog::scan({scratch.path}, strict)).reason,
               Catch::Contains("writable by group or others (mode 0775)"));
  }
  SECTION("world-writable") {
    ::chmod(plugin.c_str(), 0757);
    CHECK_THAT(only_record(Catalog::scan({scratch.path}, strict)).reason,
               Catch::Contains("writable by group or others (mode 0757)"));
  }
  SECTION("owned by another user") {
    const FilePolicy other_owner{true, ::geteuid() + 1};
    CHECK_THAT(only_record(Catalog::scan({scratch.path}, other_owner)).reason,
               Catch::Contains("not by the user running ferry"));
  }
  SECTION("without enforcement (not root) the mode is not held against it") {
    ::chmod(plugin.c_str(), 0777);
    CHECK(only_record(Catalog::scan({scratch.path}, lenient)).loaded);
  }
}

TEST_CASE("the ownership policy also guards the plugin's directory", "[plugin][catalog]") {
  ScratchDirectory scratch;
  scratch.copy_of(shipped_plugins / "sink-null.so");
  const FilePolicy strict{true, ::geteuid()};
  ::chmod(scratch.path.c_str(), 0777);
  CHECK_THAT(only_record(Catalog::scan({scratch.path}, strict)).reason,
             Catch::Contains("directory writable by group or others (mode 0777)"));
  ::chmod(scratch.path.c_str(), 01777);
  CHECK(only_record(Catalog::scan({scratch.path}, strict)).loaded);
  ::chmod(scratch.path.c_str(), 0755);
}
