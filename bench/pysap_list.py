"""Scenario 1's pysap peer: open a PSE with its PIN and list its certificates (subject and
issuer), as `psekit maintain_pk -l` does. Usage: python bench/pysap_list.py PSE PIN"""

import sys

from cryptography import x509
from pysap.SAPPSE import SAPPSEFile

with open(sys.argv[1], "rb") as handle:
    pse = SAPPSEFile(handle.read())
for index, der in enumerate(pse.get_certificates(sys.argv[2]), start=1):
    certificate = x509.load_der_x509_certificate(der)
    print(f"{index}: {certificate.subject.rfc4514_string()} (issuer {certificate.issuer.rfc4514_string()})")
