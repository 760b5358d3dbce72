#include "handshake/secret_proof.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string_view>

#include <digest/hmac_sha256.hpp>

#include "handshake/text.hpp"

namespace ferry::handshake {
namespace {

constexpr size_t min_secret_bytes = 16;
constexpr std::string_view initiator_label = "FERRY initiator proof";
constexpr std::string_view responder_label = "FERRY responder proof";

std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

bool matches(std::span<const uint8_t> secret, Role role, const ProofContext& context, const Proof& proof) {
  const Proof expected = secret_proof(secret, role, context);
  return digest::equal_in_constant_time(expected, proof);
}

}  // namespace

Proof secret_proof(std::span<const uint8_t> secret, Role role, const ProofContext& context) {
  const std::span<const uint8_t> parts[] = {as_bytes(role == Role::initiator ? initiator_label : responder_label),
                                            context.responder_nonce, context.initiator_nonce, context.responder_id,
                                            context.initiator_id};
  return digest::hmac_sha256(secret, parts);
}

std::optional<Refuse> check_secret_asked(const LocalNode& local, const Identify& identify) {
  if (local.cluster_secret.empty() || identify.secret_asked) return std::nullopt;
  return Refuse{RefuseCode::authentication_failed,
                "node " + in_quotes(identify.node_name) + " asks for no proof of a cluster secret, but node " +
                    in_quotes(local.name) + " holds one (communication.cluster_secret_file): both need the same secret"};
}

std::optional<Refuse> check_initiator_proof(const LocalNode& local, const Request& request,
                                            const ProofContext& context) {
  if (local.cluster_secret.empty()) return std::nullopt;
  if (!request.proof)
    return Refuse{RefuseCode::authentication_failed,
                  "node " + in_quotes(request.node_name) + " gave no proof of the cluster secret that node " +
                      in_quotes(local.name) + " requires (communication.cluster_secret_file)"};
  if (!matches(local.cluster_secret, Role::initiator, context, *request.proof))
    return Refuse{RefuseCode::authentication_failed,
                  "node " + in_quotes(request.node_name) + " gave a wrong proof of the cluster secret: its secret differs "
                  "from node " + in_quotes(local.name) + "'s, or the handshake was replayed"};
  return std::nullopt;
}

std::optional<Refuse> check_responder_proof(const LocalNode& local, const Accept& accept,
                                            const ProofContext& context) {
  if (local.cluster_secret.empty()) return std::nullopt;
  if (!accept.proof)
    return Refuse{RefuseCode::authentication_failed,
                  "ACCEPT carries no proof of the cluster secret, though the peer asked for this node's"};
  if (!matches(local.cluster_secret, Role::responder, context, *accept.proof))
    return Refuse{RefuseCode::authentication_failed,
                  "ACCEPT carries a wrong proof of the cluster secret: the peer does not hold node " +
                      in_quotes(local.name) + "'s secret"};
  return std::nullopt;
}

Result<std::vector<uint8_t>> read_cluster_secret(const std::string& path) {
  const std::string where = "communication.cluster_secret_file " + in_quotes(path);
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{where + ": cannot open it: " + std::strerror(errno)};
  std::vector<uint8_t> secret((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return Error{where + ": cannot read it: " + std::strerror(errno)};
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < min_secret_bytes)
    return Error{where + " holds " + std::to_string(secret.size()) + " bytes; at least " +
                 std::to_string(min_secret_bytes) + " are needed (line ends at its end do not count)"};
  return secret;
}

}  // namespace ferry::handshake
