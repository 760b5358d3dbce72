// The fs sink against the sink contract that every sink must honour.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "fs_harness.hpp"
#include "contract.hpp"

using namespace ferry::test;

TEST_CASE("fs sink: commit makes a file visible at once", "[sink][fs][contract]") {
  FsSinkUnderTest fs;
  commit_makes_the_file_visible_at_once(fs.under_test);
}

TEST_CASE("fs sink: abort leaves nothing", "[sink][fs][contract]") {
  FsSinkUnderTest fs;
  abort_leaves_nothing(fs.under_test);
  CHECK(std::filesystem::is_empty(fs.root / ".ferry-tmp"));
}

TEST_CASE("fs sink: an incomplete file fails to commit and leaves nothing", "[sink][fs][contract]") {
  FsSinkUnderTest fs;
  incomplete_file_fails_to_commit_and_leaves_nothing(fs.under_test);
  CHECK(std::filesystem::is_empty(fs.root / ".ferry-tmp"));
}

TEST_CASE("fs sink: hostile names are refused", "[sink][fs][contract]") {
  FsSinkUnderTest fs;
  hostile_names_are_refused(fs.under_test);
  CHECK_FALSE(std::filesystem::exists(fs.scratch.path() / "escape.bin"));
}

TEST_CASE("fs sink: odd names round-trip", "[sink][fs][contract]") {
  FsSinkUnderTest fs;
  odd_names_round_trip(fs.under_test);
}

TEST_CASE("fs sink: concurrent files stay apart", "[sink][fs][contract]") {
  FsSinkUnderTest fs;
  concurrent_files_stay_apart(fs.under_test);
}

TEST_CASE("fs sink: a large sparse file passes in bounded memory and stays sparse", "[sink][fs][contract][large]") {
  FsSinkUnderTest fs;
  constexpr uint64_t size = (1ull << 30) + 12345;
  large_file_in_bounded_memory(fs.under_test, size, 32ull << 20);
  struct stat status {};
  REQUIRE(::stat((fs.root / "big/sparse.bin").c_str(), &status) == 0);
  CHECK(static_cast<uint64_t>(status.st_size) == size);
  CHECK(static_cast<uint64_t>(status.st_blocks) * 512 < size / 8);
}
