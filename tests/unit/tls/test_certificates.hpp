// Certificates made at test run time with OpenSSL's API: a CA, leaves it signs (with SAN DNS names and a
// validity window relative to now), and self-signed ones, written as PEM files into a directory the
// object owns and deletes. Used by the TLS unit tests and the TLS fuzz target.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ferry::test {

struct CertificateFiles {
  std::string cert;  // PEM certificate
  std::string key;   // PEM private key
};

struct LeafSpec {
  std::vector<std::string> dns_names;  // the subjectAltName
  int valid_from_days = -1;            // relative to now
  int valid_until_days = 30;
};

class TestPki {
 public:
  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  // A self-signed CA named name.
  CertificateFiles authority(const std::string& name);
  // A leaf named name signed by the CA `issuer` (made by authority()), or self-signed when issuer is "".
  CertificateFiles leaf(const std::string& name, const std::string& issuer, const LeafSpec& spec = {});

  const std::filesystem::path& directory() const { return directory_; }

 private:
  struct Made;
  CertificateFiles make(const std::string& name, const std::string& issuer, const LeafSpec& spec, bool is_ca);

  std::filesystem::path directory_;
  std::map<std::string, std::unique_ptr<Made>> made_;
};

}  // namespace ferry::test
