// Whether a connection's two ends are on one machine: then its bytes never reach a network card, and
// sendfile's page references buy nothing over a copy of the bytes the sender has already read for the
// chunk checks (on loopback the copy was the faster of the two, docs/performance.md).
#pragma once

#include <sys/socket.h>

namespace ferry::comm {

// A local socket (AF_UNIX), a loopback address, or a peer whose address is the socket's own.
bool same_host(const sockaddr_storage& local, const sockaddr_storage& peer);
// The same for a connected socket; false when its addresses cannot be read.
bool same_host(int fd);

}  // namespace ferry::comm
