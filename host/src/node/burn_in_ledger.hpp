// The bookkeeping of a burn-in stream (`ferry node --burn-in RATE`, docs/operations.md): numbered test
// messages that every node sends to every peer and checks on receipt, so that an operator can watch a
// cluster lose nothing while it is upgraded, reloaded and restarted. Pure: no I/O, no clock, no lock.
//
// What is counted. A sender run (one process of a node) sends one stream per peer: DATA messages on
// kBurnInChannel whose body is the stream's id (the sender's incarnation) and a sequence number 1, 2, 3...
// A message that fails (the peer restarted or stopped; see docs/protocol.md §3.3, §3.5) is sent again,
// before anything newer, once the peer is back. The receiver accepts each number once, in order:
//   - accepted: the next number of the stream;
//   - resent: a number at or below the position the receiver's previous run saved when it stopped, seen
//     before this run accepted anything of that stream: the previous run had it but had not acknowledged
//     it yet, so the sender sent it again. Dropped, and expected across a restart;
//   - duplicated: any other number already accepted: the same message delivered twice. Must be 0;
//   - lost: numbers skipped. Must be 0. A stream that is new to the receiver starts at 1, so a receiver
//     that restarted without its saved positions (it crashed) counts what its previous run got as lost:
//     the check cannot vouch for it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ferry::node {

// A DATA channel of its own, so that burn-in messages never mix with an application's.
inline constexpr uint64_t kBurnInChannel = 0xB1;

struct BurnInMessage {
  uint64_t stream = 0;
  uint64_t sequence = 0;
};

std::vector<uint8_t> encode_burn_in(const BurnInMessage& message);
// nullopt for a body that is not 16 bytes.
std::optional<BurnInMessage> decode_burn_in(std::span<const uint8_t> body);

// One stream to one peer.
class BurnInSender {
 public:
  // The numbers to send now, oldest first: failed ones again, then new ones; at most budget, and never
  // more than window in flight. None while paused.
  std::vector<uint64_t> take(size_t budget, size_t window);
  void completed(uint64_t sequence, bool delivered);
  // A send failed: nothing goes out until resume() (the peer is back, or the caller's patience ran out).
  bool paused() const { return paused_; }
  void resume() { paused_ = false; }

  uint64_t sent() const { return next_ - 1; }       // the highest number sent so far
  uint64_t acknowledged() const { return acknowledged_; }
  uint64_t resent() const { return resent_; }
  size_t in_flight() const { return in_flight_; }
  size_t retrying() const { return retry_.size(); }

 private:
  uint64_t next_ = 1;
  uint64_t acknowledged_ = 0;
  uint64_t resent_ = 0;
  size_t in_flight_ = 0;
  std::set<uint64_t> retry_;
  bool paused_ = false;
};

// Every stream a node receives, from every peer.
class BurnInReceiver {
 public:
  enum class Verdict { accepted, resent, duplicated, lost };

  struct Stream {
    uint64_t next = 1;            // the number expected next; accepted through next - 1
    uint64_t saved = 0;           // the position the previous run saved (0: none)
    bool accepted_this_run = false;
    uint64_t accepted = 0, resent = 0, duplicated = 0, lost = 0;
  };
  using Key = std::pair<std::string, uint64_t>;  // peer id, stream id

  Verdict receive(const std::string& peer, const BurnInMessage& message);
  const std::map<Key, Stream>& streams() const { return streams_; }

  // "PEER STREAM NEXT" lines: what a stopping node keeps for its next run.
  std::string positions() const;
  // Reads what positions() wrote; returns how many streams it restored, or nullopt for a malformed text.
  std::optional<size_t> restore(const std::string& text);

 private:
  std::map<Key, Stream> streams_;
};

}  // namespace ferry::node
