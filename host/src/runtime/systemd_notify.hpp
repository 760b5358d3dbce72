// Tells the service manager how the node is doing, in the protocol of sd_notify(3): one datagram of
// "KEY=VALUE" lines to the AF_UNIX socket named by $NOTIFY_SOCKET. Written here in a few lines so that the
// binary needs no libsystemd; without $NOTIFY_SOCKET (not started by systemd with Type=notify) it does nothing.
//
// Thread safety: notify() may be called from any thread; each call sends one whole datagram.
#pragma once

#include <string>
#include <string_view>

namespace ferry::runtime {

class ServiceNotifier {
 public:
  // socket: a file system path, or "@name" for an abstract socket; "" disables the notifier.
  explicit ServiceNotifier(std::string socket);
  // The socket named by $NOTIFY_SOCKET, if any.
  static ServiceNotifier from_environment();

  bool enabled() const { return !socket_.empty(); }

  // Sends state (e.g. "READY=1"); returns "" when it was sent or the notifier is disabled, else a
  // sentence naming the socket and what failed.
  std::string notify(std::string_view state) const;

  // The states a node reports at its turning points.
  std::string ready() const { return notify("READY=1"); }
  // RELOADING=1 carries the time the reload began, which systemd requires alongside it.
  std::string reloading() const;
  std::string stopping() const { return notify("STOPPING=1"); }

 private:
  std::string socket_;
};

}  // namespace ferry::runtime
