"""Prepares the inputs of bench/run in bench/work/: keys, chains, PKCS#12 files, PSEs and the
10,000-PSE tree. Run with the interop venv's Python (it has `cryptography`):

    .venv-interop/bin/python bench/prepare.py PSEKIT WORKDIR

Keys and certificates are made with `cryptography` (one key signs many certificates, which is
fast); PKCS#12 files with `openssl pkcs12 -export`; PSEs with psekit itself (`import_p12`,
`gen_pse`), so that each scenario compares psekit and its peer on the same key and certificates.
Everything already present is kept, so a second run of bench/run prepares nothing again.
"""

import datetime
import os
import shutil
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PIN = "1234"
P12_PASSWORD = "bench-password"
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def name(common_name):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "psekit bench"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def certificate(subject, subject_key, issuer, issuer_key, ca, serial, days=365, not_before=None):
    start = not_before or NOW - datetime.timedelta(days=1)
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer)
               .public_key(subject_key.public_key())
               .serial_number(serial)
               .not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    return builder.sign(issuer_key, hashes.SHA256())


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def write(path, data):
    with open(path, "wb") as handle:
        handle.write(data)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def run(*arguments, **kwargs):
    subprocess.run(list(arguments), check=True, stdout=subprocess.DEVNULL, **kwargs)


def chain(work, prefix, leaf_bits):
    """A root, an intermediate and a leaf with a `leaf_bits` RSA key; returns the file names."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=leaf_bits)
    root = certificate(name(f"{prefix} Root CA"), ca_key, name(f"{prefix} Root CA"), ca_key, True, 1, 3650)
    intermediate = certificate(name(f"{prefix} Issuing CA"), ca_key, root.subject, ca_key, True, 2, 1825)
    leaf = certificate(name(f"{prefix}.bench.example"), leaf_key, intermediate.subject, ca_key, False, 3)
    files = {
        "key": os.path.join(work, f"{prefix}-key.pem"),
        "cert": os.path.join(work, f"{prefix}-cert.pem"),
        "chain": os.path.join(work, f"{prefix}-chain.pem"),
    }
    write(files["key"], key_pem(leaf_key))
    write(files["cert"], pem(leaf))
    write(files["chain"], pem(intermediate) + pem(root))
    return files


def scenario1(psekit, work):
    """A PSE with PIN (10000 iterations) and a PKCS#12 with the same key, certificates and
    iteration count."""
    p12 = os.path.join(work, "s1.p12")
    pse = os.path.join(work, "s1.pse")
    if os.path.exists(pse):
        return
    files = chain(work, "s1", 2048)
    run("openssl", "pkcs12", "-export", "-inkey", files["key"], "-in", files["cert"],
        "-certfile", files["chain"], "-iter", "10000", "-maciter", "-passout", f"pass:{PIN}", "-out", p12)
    run(psekit, "import_p12", "-p", pse, "-x", PIN, "-z", PIN, p12)


def scenario2(work):
    """An RSA-4096 key with a 3-certificate chain in a PKCS#12 file as openssl writes it."""
    p12 = os.path.join(work, "s2.p12")
    if os.path.exists(p12):
        return
    files = chain(work, "s2", 4096)
    run("openssl", "pkcs12", "-export", "-inkey", files["key"], "-in", files["cert"],
        "-certfile", files["chain"], "-passout", f"pass:{P12_PASSWORD}", "-out", p12)


def scenario4(psekit, work):
    """A PSE without trusted certificates but its own, and 100 and 1000 distinct certificates."""
    base = os.path.join(work, "s4-base.pse")
    if not os.path.exists(base):
        run(psekit, "gen_pse", "-p", base, "-x", "", "-noreq", "CN=trust-list.bench.example, O=psekit bench, C=DE")
    many = os.path.join(work, "s4-1000.pem")
    if os.path.exists(many):
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificates = []
    for index in range(1000):
        subject = name(f"Bench Trusted CA {index:04d}")
        certificates.append(pem(certificate(subject, key, subject, key, True, 1000 + index, 3650)))
    write(os.path.join(work, "s4-100.pem"), b"".join(certificates[:100]))
    write(many, b"".join(certificates))


def scenario5(psekit, work, count=10_000, distinct=200):
    """`count` PSEs in 100 folders: `distinct` made by gen_pse (every fifth with PIN 1234, the
    rest without; validity 1 to 400 days), copied round-robin."""
    tree = os.path.join(work, "s5-tree")
    done = os.path.join(tree, ".complete")
    if os.path.exists(done):
        return
    shutil.rmtree(tree, ignore_errors=True)
    originals = os.path.join(work, "s5-originals")
    os.makedirs(originals, exist_ok=True)
    sources = []
    for index in range(distinct):
        path = os.path.join(originals, f"pse{index:03d}.pse")
        if not os.path.exists(path):
            pin = PIN if index % 5 == 0 else ""
            run(psekit, "gen_pse", "-p", path, "-x", pin, "-noreq", "--days", str(1 + (index * 37) % 400),
                f"CN=host{index:03d}.bench.example, O=psekit bench, C=DE")
        sources.append(path)
    for index in range(count):
        folder = os.path.join(tree, f"sid{index % 100:02d}", "sec")
        os.makedirs(folder, exist_ok=True)
        shutil.copyfile(sources[index % distinct], os.path.join(folder, f"SAPSSL{index:05d}.pse"))
    write(done, b"")


def main():
    psekit, work = sys.argv[1], sys.argv[2]
    wanted = sys.argv[3:] or ["s1", "s2", "s4", "s5"]
    os.makedirs(work, exist_ok=True)
    if "s1" in wanted:
        scenario1(psekit, work)
    if "s2" in wanted:
        scenario2(work)
    if "s4" in wanted:
        scenario4(psekit, work)
    if "s5" in wanted:
        scenario5(psekit, work)


if __name__ == "__main__":
    main()
