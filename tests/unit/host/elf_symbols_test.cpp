#include <catch2/catch.hpp>

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "plugin/catalog.hpp"
#include "plugin/elf_symbols.hpp"

namespace fs = std::filesystem;
using ferry::plugin::find_exported_function;

namespace {

const fs::path test_plugins = FERRY_TEST_PLUGIN_ROOT;
const fs::path shipped_plugins = FERRY_PLUGIN_OUTPUT_DIR;
constexpr const char* kEntry = "ferry_plugin_entry";

struct ScratchDirectory {
  fs::path path = fs::temp_directory_path() / ("ferry-elf-test-" + std::to_string(::getpid()));
  ScratchDirectory() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDirectory() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::vector<char>& bytes) const {
    const auto target = path / name;
    std::ofstream(target, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ::chmod(target.c_str(), 0755);
    return target;
  }
};

std::vector<char> contents(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An ELF header alone, as a 64-bit little-endian shared object would start, with no sections.
Elf64_Ehdr bare_header() {
  Elf64_Ehdr header{};
  std::copy(ELFMAG, ELFMAG + SELFMAG, header.e_ident);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = ET_DYN;
  header.e_shentsize = sizeof(Elf64_Shdr);
  return header;
}

std::vector<char> bytes_of(const Elf64_Ehdr& header) {
  const auto* start = reinterpret_cast<const char*>(&header);
  return {start, start + sizeof header};
}

}  // namespace

TEST_CASE("a shipped plugin exports its entry in its dynamic symbol table", "[plugin][elf]") {
  const auto lookup = find_exported_function(shipped_plugins / "sink-null.so", kEntry);
  CHECK(lookup.problem.empty());
  CHECK(lookup.found);
  CHECK_FALSE(find_exported_function(shipped_plugins / "sink-null.so", "ferry_no_such_function").found);
}

TEST_CASE("a fully stripped plugin is still found and loads", "[plugin][elf]") {
  ScratchDirectory scratch;
  const auto copy = scratch.write("sink-null.so", contents(shipped_plugins / "sink-null.so"));
  const std::string strip = std::string(FERRY_STRIP) + " --strip-all '" + copy.string() + "'";
  REQUIRE(std::system(strip.c_str()) == 0);
  CHECK(find_exported_function(copy, kEntry).found);
  const auto catalog = ferry::plugin::Catalog::scan({scratch.path}, ferry::plugin::FilePolicy{false, 0});
  REQUIRE(catalog.records().size() == 1);
  CHECK(catalog.records().front().reason.empty());
  CHECK(catalog.records().front().loaded);
}

TEST_CASE("the fuzz corpus's hand-made shared object exports the entry", "[plugin][elf]") {
  // The smallest file the reader accepts: so the fuzzer starts from an input that reaches the symbols.
  const auto lookup = find_exported_function(fs::path(FERRY_FUZZ_CORPUS) / "elf_symbols" / "minimal_plugin.so", kEntry);
  CHECK(lookup.problem.empty());
  CHECK(lookup.found);
}

TEST_CASE("a shared object without the entry is read, and the entry is absent", "[plugin][elf]") {
  const auto lookup = find_exported_function(test_plugins / "no-entry" / "no-entry.so", kEntry);
  CHECK(lookup.problem.empty());
  CHECK_FALSE(lookup.found);
}

TEST_CASE("files that are not 64-bit shared objects are named for what they are", "[plugin][elf]") {
  ScratchDirectory scratch;
  CHECK(find_exported_function(scratch.write("text", {'h', 'i'}), kEntry).problem ==
        "not a shared object (no ELF header)");
  CHECK(find_exported_function(scratch.write("empty", {}), kEntry).problem == "not a shared object (no ELF header)");

  auto header = bare_header();
  auto bytes = bytes_of(header);
  bytes.resize(20);
  CHECK_THAT(find_exported_function(scratch.write("short", bytes), kEntry).problem, Catch::Contains("header is cut short"));

  header.e_ident[EI_CLASS] = ELFCLASS32;
  CHECK_THAT(find_exported_function(scratch.write("elf32", bytes_of(header)), kEntry).problem,
             Catch::Contains("not a 64-bit little-endian ELF object"));

  header = bare_header();
  header.e_type = ET_REL;
  CHECK(find_exported_function(scratch.write("object", bytes_of(header)), kEntry).problem ==
        "not a shared object (ELF type 1)");

  header = bare_header();
  CHECK_THAT(find_exported_function(scratch.write("no-sections", bytes_of(header)), kEntry).problem,
             Catch::Contains("without a dynamic symbol table"));

  header.e_shentsize = 12;
  CHECK_THAT(find_exported_function(scratch.write("odd-sections", bytes_of(header)), kEntry).problem,
             Catch::Contains("section headers of 12 bytes"));
}

TEST_CASE("offsets past the end of the file are refused, never followed", "[plugin][elf]") {
  ScratchDirectory scratch;
  auto header = bare_header();
  header.e_shoff = 1ull << 62;
  header.e_shnum = 3;
  CHECK_THAT(find_exported_function(scratch.write("far-sections", bytes_of(header)), kEntry).problem,
             Catch::Contains("truncated"));

  // A real plugin cut short: its section headers sit at the end of the file.
  auto plugin = contents(shipped_plugins / "sink-null.so");
  REQUIRE(plugin.size() > 4096);
  plugin.resize(plugin.size() - 64);
  CHECK_THAT(find_exported_function(scratch.write("cut.so", plugin), kEntry).problem, Catch::Contains("truncated"));

  // A dynamic symbol table that claims more bytes than the file holds.
  std::vector<char> bytes = bytes_of(bare_header());
  Elf64_Shdr sections[2]{};
  sections[0].sh_type = SHT_DYNSYM;
  sections[0].sh_entsize = sizeof(Elf64_Sym);
  sections[0].sh_link = 1;
  sections[0].sh_offset = 0;
  sections[0].sh_size = 1ull << 40;
  sections[1].sh_type = SHT_STRTAB;
  auto* with_sections = reinterpret_cast<Elf64_Ehdr*>(bytes.data());
  with_sections->e_shoff = bytes.size();
  with_sections->e_shnum = 2;
  const auto* raw = reinterpret_cast<const char*>(sections);
  bytes.insert(bytes.end(), raw, raw + sizeof sections);
  CHECK_THAT(find_exported_function(scratch.write("huge-table", bytes), kEntry).problem,
             Catch::Contains("dynamic symbols lie past its end"));
}
