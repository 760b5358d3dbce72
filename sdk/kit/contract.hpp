// The sink contract of PRODUCT.md §7 as checks that take any SinkUnderTest: open -> write -> commit makes a
// file visible atomically, abort leaves nothing, a sink's errors reach the host with its own message, names
// that would leave the sink are refused, odd but legal names work, files of different threads do not mix,
// and a large file goes through in bounded memory. Each check expects an empty sink, fresh for it (its
// statistics start at zero). Failures are reported through Catch2's assertions.
#pragma once

#include <cstdint>

#include "sink_under_test.hpp"

namespace ferry::sink_kit {

void commit_makes_the_file_visible_at_once(SinkUnderTest& under_test);
void abort_leaves_nothing(SinkUnderTest& under_test);
void incomplete_file_fails_to_commit_and_leaves_nothing(SinkUnderTest& under_test);
void hostile_names_are_refused(SinkUnderTest& under_test);
void odd_names_round_trip(SinkUnderTest& under_test);
void concurrent_files_stay_apart(SinkUnderTest& under_test);
// Writes a file of size bytes, mostly zeros with a data chunk every 64 MiB, and checks that the process's
// peak resident memory grows by less than memory_bound while it passes through the sink.
void large_file_in_bounded_memory(SinkUnderTest& under_test, uint64_t size, uint64_t memory_bound);

}  // namespace ferry::sink_kit
