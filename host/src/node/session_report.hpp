// What a session has done so far, for progress lines, the final summary and the status API.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "stream/session_types.hpp"

namespace ferry::node {

struct SessionReport {
  std::string session;  // the UUID, as text
  std::string peer;
  std::string sink;     // where this side's received files go
  stream::Role role = stream::Role::initiator;
  stream::State state = stream::State::initialized;
  std::string reason;  // why it failed
  uint64_t files_to_send = 0, bytes_to_send = 0;        // this side's files, as announced
  uint64_t files_to_receive = 0, bytes_to_receive = 0;  // the peer's, as announced
  uint64_t files_sent = 0;      // committed by the peer
  uint64_t files_received = 0;  // committed by this side's sink
  uint64_t bytes_sent = 0;      // chunk bytes the peer acknowledged; all of bytes_to_send once COMPLETE
  uint64_t bytes_received = 0;
  uint64_t retries = 0;
  uint64_t skipped = 0;        // files the receiving sink held, both ways
  uint64_t bytes_skipped = 0;  // their data bytes, which did not travel
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration elapsed{};  // until it finished, or so far
};

}  // namespace ferry::node
