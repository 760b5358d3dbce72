"""Certificates made at test run time with the `openssl` command: certificate authorities, node certificates
they sign (subjectAltName DNS entries, a validity window relative to now) and self-signed ones, as PEM files
in a directory; and the --set options that give a ferry process TLS with one of them."""
import os
import subprocess

CURVE = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]


def _openssl(*args):
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed: {result.stderr}")


class Certificates:
    def __init__(self, directory):
        self.directory = directory

    def _path(self, name, suffix):
        return os.path.join(self.directory, f"{name}.{suffix}")

    def authority(self, name):
        """A self-signed CA; returns the path of its certificate."""
        _openssl("req", "-x509", *CURVE, "-keyout", self._path(name, "key"), "-out", self._path(name, "pem"),
                 "-days", "30", "-subj", f"/CN={name}",
                 "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign")
        return self._path(name, "pem")

    def leaf(self, name, issuer, dns=None, days=30):
        """A certificate for name, whose subjectAltName holds the DNS entries dns (default: name), signed by the
        CA issuer, or self-signed when issuer is None. days < 0 makes it expired. Returns (cert, key)."""
        cert, key, csr = self._path(name, "pem"), self._path(name, "key"), self._path(name, "csr")
        extensions = self._path(name, "ext")
        with open(extensions, "w", encoding="utf-8") as out:
            out.write("subjectAltName=" + ",".join(f"DNS:{entry}" for entry in (dns or [name])) + "\n")
        _openssl("req", *CURVE, "-keyout", key, "-out", csr, "-subj", f"/CN={name}")
        if issuer is None:
            _openssl("x509", "-req", "-in", csr, "-key", key, "-days", str(days), "-extfile", extensions, "-out", cert)
        else:
            _openssl("x509", "-req", "-in", csr, "-CA", self._path(issuer, "pem"), "-CAkey", self._path(issuer, "key"),
                     "-CAcreateserial", "-days", str(days), "-extfile", extensions, "-out", cert)
        return cert, key


def tls_options(cert, key, ca, *extra):
    """The --set arguments that turn TLS on with these files; extra: more "tls.KEY=VALUE" settings."""
    options = ["--set", "tls.enabled=true", "--set", f"tls.cert={cert}", "--set", f"tls.key={key}",
               "--set", f"tls.ca={ca}"]
    for setting in extra:
        options += ["--set", setting]
    return options
