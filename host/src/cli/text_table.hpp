// Columns of text aligned for a terminal, as `ferry status` prints them.
#pragma once

#include <string>
#include <vector>

namespace ferry::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headings);
  void add(std::vector<std::string> row);  // as many cells as headings
  // Every column as wide as its widest cell, two spaces apart, no trailing spaces.
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace ferry::cli
