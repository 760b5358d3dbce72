#include "node/identity.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "handshake/text.hpp"
#include "util/uuid.hpp"

namespace ferry::node {

Identity node_identity(const config::Config& config) {
  if (!config.node.id.empty()) return {config.node.id, "from node.id"};
  const std::filesystem::path file = std::filesystem::path(config.node.data_dir) / "node-id";
  {
    std::ifstream in(file);
    std::string text;
    if (in >> text && handshake::parse_node_id(text)) return {text, "kept in " + file.string()};
  }
  const std::string id = util::random_uuid();
  std::error_code error;
  std::filesystem::create_directories(config.node.data_dir, error);
  std::ofstream out(file);
  if (!error && (out << id << '\n') && out.flush()) return {id, "new, kept in " + file.string()};
  return {id, "random for this run: " + file.string() + " cannot be written"};
}

}  // namespace ferry::node
