#include "loopback.hpp"

#include <algorithm>

#include "stream/crc32c.hpp"
#include "stream/sha256.hpp"

namespace ferry::stream_test {

std::vector<SinkResult> MemorySink::run(const std::vector<SinkCall>& calls) {
  std::vector<SinkResult> results;
  for (const SinkCall& call : calls) {
    const std::optional<std::string> error = fault ? fault(call) : std::nullopt;
    std::visit(
        [&](const auto& c) {
          using T = std::decay_t<decltype(c)>;
          const auto key = std::make_pair(c.file, c.attempt);
          if constexpr (std::is_same_v<T, SinkOpen>) {
            if (!error) open[key] = OpenFile{c.path, std::string(c.size, '\0')};
            results.push_back({c.file, c.attempt, SinkOp::open, error});
          } else if constexpr (std::is_same_v<T, SinkWrite>) {
            const auto found = open.find(key);
            std::optional<std::string> outcome = error;
            if (found == open.end())
              outcome = "no such open file";
            else if (!error)
              found->second.data.replace(c.offset, c.data.size(), reinterpret_cast<const char*>(c.data.data()),
                                         c.data.size());
            results.push_back({c.file, c.attempt, SinkOp::write, outcome});
          } else if constexpr (std::is_same_v<T, SinkCommit>) {
            const auto found = open.find(key);
            std::optional<std::string> outcome = error;
            if (found == open.end()) outcome = "no such open file";
            if (!outcome) committed[found->second.path] = found->second.data;
            if (found != open.end()) open.erase(found);
            results.push_back({c.file, c.attempt, SinkOp::commit, outcome});
          } else if constexpr (std::is_same_v<T, SinkLookup>) {
            looked_up.push_back(c.path);
            const auto found = committed.find(c.path);
            SinkResult result{c.file, c.attempt, SinkOp::lookup, error};
            if (!error && found != committed.end() && found->second.size() == c.size)
              result.held_digest = sha256_of(found->second);
            results.push_back(result);
          } else {
            open.erase(key);
            aborted.push_back(key);
          }
        },
        call);
  }
  return results;
}

std::variant<std::vector<SourceFile>, std::string> MapExports::resolve(const std::string& requested) {
  const auto found = exports.find(requested);
  if (found == exports.end()) return "'" + requested + "' is not under an export root";
  return found->second;
}

SourceFile add_source(Side& side, const std::string& path, const std::string& content,
                      std::vector<ByteRange> ranges) {
  const std::string source = "/src/" + path;
  side.sources[source] = content;
  return SourceFile{path, source, content.size(), 0640, 1700000000123456789, std::move(ranges), {}};
}

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

Digest sha256_of(std::string_view text) {
  Sha256 hash;
  hash.update(bytes_of(text));
  return hash.finish();
}

SessionId test_id() { return SessionId{0x5e, 0x55, 0x10, 0x4e, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; }

Settings test_settings(uint64_t chunk_size) {
  Settings settings;
  settings.chunk_size = chunk_size;
  settings.max_retries = 2;
  settings.chunk_crc32c = true;
  return settings;
}

namespace {

void deliver(const StreamMessage& message, Side& to) {
  if (const Prepare* prepare = std::get_if<Prepare>(&message);
      prepare != nullptr && to.session->role() == Role::follower && to.session->state() == State::initialized)
    to.session->follow(*prepare, to.exports);
  else
    to.session->on_message(message);
}

// Takes what from asked for and carries it out; true when anything happened.
bool drain(Side& from, Side& to) {
  bool progress = false;
  for (;;) {
    Effects effects = from.session->take_effects();
    if (effects.messages.empty() && effects.sink_calls.empty() && effects.states.empty()) return progress;
    progress = true;
    from.states.insert(from.states.end(), effects.states.begin(), effects.states.end());
    for (const StreamMessage& message : effects.messages) {
      from.sent.push_back(message);
      deliver(message, to);
    }
    for (const SinkResult& result : from.sink.run(effects.sink_calls)) from.session->on_sink_result(result);
  }
}

bool send_one(Side& from, Side& to) {
  std::optional<SendStep> step = from.session->next_send();
  if (!step) return false;
  if (const HashFile* hash = std::get_if<HashFile>(&*step)) {
    from.hashed.push_back(hash->source);
    from.session->file_hashed(hash->file, hash->attempt, sha256_of(from.sources.at(hash->source)));
  } else if (const ReadChunk* read = std::get_if<ReadChunk>(&*step)) {
    const std::string& content = from.sources.at(read->source);
    std::string bytes = content.substr(read->offset, read->length);
    std::optional<Chunk> chunk = from.session->chunk_read(read->file, read->attempt, read->offset, bytes_of(bytes));
    if (!chunk) return true;
    if (from.corrupt) from.corrupt(*chunk, bytes);
    from.sent.push_back(*chunk);
    to.session->on_message(*chunk);
    const size_t piece = from.piece_size == 0 ? bytes.size() : from.piece_size;
    uint32_t running_crc = 0;
    for (size_t at = 0; at < bytes.size(); at += piece) {
      const auto part = bytes_of(bytes).subspan(at, std::min(piece, bytes.size() - at));
      running_crc = crc32c_extend(running_crc, part);
      ArrivalChecks computed;
      if (to.checks_on_arrival) {
        computed.crc32c = running_crc;
        if (at + part.size() == bytes.size()) computed.xxh3 = chunk_hash(bytes_of(bytes));
      }
      to.session->on_payload(part, computed);
    }
    drain(to, from);  // the sink writes point into bytes: carry them out while it lives
  } else {
    const StreamMessage message = std::holds_alternative<FileHeader>(*step)
                                      ? StreamMessage(std::get<FileHeader>(*step))
                                      : StreamMessage(std::get<FileDone>(*step));
    from.sent.push_back(message);
    to.session->on_message(message);
  }
  return true;
}

}  // namespace

int pump(Side& initiator, Side& follower, int steps) {
  for (int round = 0; round < steps; ++round) {
    bool progress = drain(initiator, follower);
    progress |= drain(follower, initiator);
    progress |= send_one(initiator, follower);
    progress |= drain(initiator, follower);
    progress |= drain(follower, initiator);
    progress |= send_one(follower, initiator);
    if (!progress) return round;
  }
  return steps;
}

}  // namespace ferry::stream_test
