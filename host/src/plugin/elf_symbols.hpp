// Reads an ELF shared object's dynamic symbol table (.dynsym) without loading the object, so that a file
// which is not a plugin never runs its constructors in the host. The dynamic table is what the dynamic
// linker itself resolves names from, so a stripped plugin (no .symtab) is read like any other.
//
// The file is untrusted input: every offset and size in it is checked against the file's length before
// it is followed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ferry::plugin {

struct ExportLookup {
  bool found = false;
  std::string problem;  // why the file could not be read as a shared object; "" when it could
};

// Whether the object at path exports `name` as a defined function of default visibility (global or weak),
// which is what dlsym would find.
ExportLookup find_exported_function(const std::filesystem::path& path, std::string_view name);

}  // namespace ferry::plugin
