// Fuzz target of the plugin loader's ELF reader: the input is a file in a plugin directory. It is read
// through a memory file, so that every offset and size in it is followed (or refused) as on disk. A
// lookup either finds the entry or explains nothing went wrong, never both a find and a problem. Any
// crash or sanitizer report is a bug.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "plugin/elf_symbols.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = ::memfd_create("ferry-elf-fuzz", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  size_t done = 0;
  while (done < size) {
    const ssize_t wrote = ::write(fd, data + done, size - done);
    if (wrote <= 0) std::abort();
    done += static_cast<size_t>(wrote);
  }
  const auto lookup = ferry::plugin::find_exported_function("/proc/self/fd/" + std::to_string(fd), "ferry_plugin_entry");
  ::close(fd);
  if (lookup.found && !lookup.problem.empty()) std::abort();
  return 0;
}
