// Two sessions joined in memory, for tests that drive the state machine without sockets: each side has its
// source files and an in-memory sink; pump carries messages, chunks, sink calls and results between them in
// order, as a node would, with hooks that corrupt payloads or fail sink calls.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "stream/session.hpp"

namespace ferry::stream_test {

using namespace ferry::stream;

// A sink that keeps committed files in memory; fault may answer a call with an error. A lookup finds what
// it committed (a session run again into the same sink), with its size and SHA-256.
struct MemorySink {
  struct OpenFile {
    std::string path;
    std::string data;
  };
  std::map<std::string, std::string> committed;
  std::map<std::pair<uint64_t, uint64_t>, OpenFile> open;
  std::vector<std::pair<uint64_t, uint64_t>> aborted;
  std::vector<std::string> looked_up;
  std::function<std::optional<std::string>(const SinkCall&)> fault;

  std::vector<SinkResult> run(const std::vector<SinkCall>& calls);
};

// Serves requests from a map of exportable paths to files.
struct MapExports : ExportResolver {
  std::map<std::string, std::vector<SourceFile>> exports;
  std::variant<std::vector<SourceFile>, std::string> resolve(const std::string& requested) override;
};

struct Side {
  std::optional<Session> session;  // emplaced once the sources are added
  MemorySink sink;
  MapExports exports;
  std::map<std::string, std::string> sources;  // source name -> content
  std::vector<State> states;                   // every state entered
  std::vector<StreamMessage> sent;             // every message sent, chunks included
  std::vector<std::string> hashed;             // the sources it hashed, in order (HashFile steps)
  // Called with each payload this side sends: may change the bytes on their way (a corrupting link).
  std::function<void(const Chunk&, std::string&)> corrupt;
  // Payload pieces are delivered in pieces of at most this size (0: whole).
  size_t piece_size = 0;
  // Each piece is delivered with the checks a node computes as it gathers the pieces (Session::on_payload's
  // ArrivalChecks): the running CRC32C of the chunk's payload, and with the last piece its chunk_hash.
  bool checks_on_arrival = false;
};

// A file for a side to send: its SourceFile and its content registered as a source.
SourceFile add_source(Side& side, const std::string& path, const std::string& content,
                      std::vector<ByteRange> ranges = {});

std::span<const uint8_t> bytes_of(std::string_view text);
Digest sha256_of(std::string_view text);

SessionId test_id();
Settings test_settings(uint64_t chunk_size = 4);

// Carries everything between the two sides until neither has anything left to do, at most steps rounds.
// Returns the rounds used.
int pump(Side& initiator, Side& follower, int steps = 10000);

// Every message of type T that side sent, in order.
template <typename T>
std::vector<T> sent_of(const Side& side) {
  std::vector<T> found;
  for (const StreamMessage& message : side.sent)
    if (const T* m = std::get_if<T>(&message)) found.push_back(*m);
  return found;
}

}  // namespace ferry::stream_test
