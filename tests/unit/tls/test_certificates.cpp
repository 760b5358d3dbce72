#include "test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <stdexcept>

namespace ferry::test {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("test certificates: " + what); }

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr || X509_add_ext(certificate, extension, -1) != 1) fail("cannot add " + value);
  X509_EXTENSION_free(extension);
}

void write_pem(const std::filesystem::path& path, auto&& write) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) fail("cannot write " + path.string());
  const int ok = write(file);
  std::fclose(file);
  if (ok != 1) fail("cannot encode " + path.string());
}

}  // namespace

struct TestPki::Made {
  EVP_PKEY* key = nullptr;
  X509* certificate = nullptr;
  ~Made() {
    EVP_PKEY_free(key);
    X509_free(certificate);
  }
};

TestPki::TestPki() {
  char pattern[] = "/tmp/ferry-pki-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) fail("cannot create a directory");
  directory_ = pattern;
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

CertificateFiles TestPki::authority(const std::string& name) { return make(name, "", {{}, -1, 365}, true); }

CertificateFiles TestPki::leaf(const std::string& name, const std::string& issuer, const LeafSpec& spec) {
  return make(name, issuer, spec, false);
}

CertificateFiles TestPki::make(const std::string& name, const std::string& issuer, const LeafSpec& spec, bool is_ca) {
  auto made = std::make_unique<Made>();
  made->key = EVP_EC_gen("P-256");
  made->certificate = X509_new();
  if (made->key == nullptr || made->certificate == nullptr) fail("cannot create a key for " + name);
  X509* certificate = made->certificate;
  const Made* signer = made.get();
  if (!issuer.empty()) {
    const auto found = made_.find(issuer);
    if (found == made_.end()) fail("no CA named " + issuer);
    signer = found->second.get();
  }

  X509_set_version(certificate, X509_VERSION_3);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(certificate), static_cast<long>(spec.valid_from_days) * 86400);
  X509_gmtime_adj(X509_getm_notAfter(certificate), static_cast<long>(spec.valid_until_days) * 86400);
  X509_set_pubkey(certificate, made->key);
  X509_NAME* subject = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(certificate, X509_get_subject_name(signer->certificate));

  X509* issuer_certificate = signer->certificate;
  add_extension(certificate, issuer_certificate, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_extension(certificate, issuer_certificate, NID_key_usage,
                is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
  add_extension(certificate, issuer_certificate, NID_subject_key_identifier, "hash");
  if (!is_ca) {
    add_extension(certificate, issuer_certificate, NID_ext_key_usage, "serverAuth,clientAuth");
    std::string names;
    for (const std::string& dns : spec.dns_names) names += (names.empty() ? "DNS:" : ",DNS:") + dns;
    if (!names.empty()) add_extension(certificate, issuer_certificate, NID_subject_alt_name, names);
  }
  if (X509_sign(certificate, signer->key, EVP_sha256()) == 0) fail("cannot sign " + name);

  const CertificateFiles files{(directory_ / (name + ".crt")).string(), (directory_ / (name + ".key")).string()};
  write_pem(files.cert, [&](FILE* f) { return PEM_write_X509(f, certificate); });
  write_pem(files.key, [&](FILE* f) { return PEM_write_PrivateKey(f, made->key, nullptr, nullptr, 0, nullptr, nullptr); });
  made_[name] = std::move(made);
  return files;
}

}  // namespace ferry::test
