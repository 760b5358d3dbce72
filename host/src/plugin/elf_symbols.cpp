#include "plugin/elf_symbols.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "util/unique_fd.hpp"

namespace ferry::plugin {

namespace {

class ElfReader {
 public:
  ElfReader(util::UniqueFd fd, uint64_t size) : fd_(std::move(fd)), size_(size) {}

  uint64_t size() const { return size_; }

  // All of [offset, offset + length), or false when any of it lies past the end of the file.
  bool read(uint64_t offset, void* out, uint64_t length) const {
    if (offset > size_ || length > size_ - offset) return false;
    auto* bytes = static_cast<char*>(out);
    uint64_t done = 0;
    while (done < length) {
      const ssize_t got = ::pread(fd_.get(), bytes + done, length - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      done += static_cast<uint64_t>(got);
    }
    return true;
  }

 private:
  util::UniqueFd fd_;
  uint64_t size_;
};

ExportLookup problem(std::string reason) { return ExportLookup{false, std::move(reason)}; }

bool is_callable_export(const Elf64_Sym& symbol) {
  const unsigned binding = ELF64_ST_BIND(symbol.st_info);
  return symbol.st_shndx != SHN_UNDEF && (binding == STB_GLOBAL || binding == STB_WEAK) &&
         ELF64_ST_TYPE(symbol.st_info) == STT_FUNC && ELF64_ST_VISIBILITY(symbol.st_other) == STV_DEFAULT;
}

}  // namespace

ExportLookup find_exported_function(const std::filesystem::path& path, std::string_view name) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return problem(std::string("not a readable shared object: ") + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return problem(std::string("not a readable shared object: ") + std::strerror(errno));
  const ElfReader file(std::move(fd), static_cast<uint64_t>(status.st_size));

  unsigned char ident[EI_NIDENT] = {};
  if (!file.read(0, ident, SELFMAG) || std::memcmp(ident, ELFMAG, SELFMAG) != 0)
    return problem("not a shared object (no ELF header)");
  Elf64_Ehdr header{};
  if (!file.read(0, &header, sizeof header)) return problem("a truncated ELF file: its header is cut short");
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB)
    return problem("not a 64-bit little-endian ELF object, the only kind this host loads");
  if (header.e_type != ET_DYN) return problem("not a shared object (ELF type " + std::to_string(header.e_type) + ")");
  if (header.e_shentsize != sizeof(Elf64_Shdr))
    return problem("a malformed ELF file: section headers of " + std::to_string(header.e_shentsize) + " bytes");

  std::vector<Elf64_Shdr> sections(header.e_shnum);
  if (!file.read(header.e_shoff, sections.data(), sections.size() * sizeof(Elf64_Shdr)))
    return problem("a truncated ELF file: its section headers lie past its end (" + std::to_string(file.size()) +
                   " bytes)");
  const Elf64_Shdr* symbols = nullptr;
  for (const auto& section : sections)
    if (section.sh_type == SHT_DYNSYM) symbols = &section;
  if (symbols == nullptr) return problem("a shared object without a dynamic symbol table: it exports nothing");
  if (symbols->sh_entsize != sizeof(Elf64_Sym) || symbols->sh_link >= sections.size() ||
      sections[symbols->sh_link].sh_type != SHT_STRTAB)
    return problem("a malformed ELF file: its dynamic symbol table does not have the standard layout");
  const Elf64_Shdr& strings = sections[symbols->sh_link];

  // Sizes beyond the file's own are refused by read() before anything that large is allocated.
  if (symbols->sh_size > file.size() || strings.sh_size > file.size())
    return problem("a truncated ELF file: its dynamic symbols lie past its end");
  std::vector<Elf64_Sym> table(symbols->sh_size / sizeof(Elf64_Sym));
  std::vector<char> names(strings.sh_size);
  if (!file.read(symbols->sh_offset, table.data(), table.size() * sizeof(Elf64_Sym)) ||
      !file.read(strings.sh_offset, names.data(), names.size()))
    return problem("a truncated ELF file: its dynamic symbols lie past its end");

  for (const auto& symbol : table) {
    if (!is_callable_export(symbol) || symbol.st_name >= names.size()) continue;
    const char* start = names.data() + symbol.st_name;
    const size_t room = names.size() - symbol.st_name;
    const size_t length = strnlen(start, room);
    if (length < room && std::string_view(start, length) == name) return ExportLookup{true, ""};
  }
  return ExportLookup{};
}

}  // namespace ferry::plugin
