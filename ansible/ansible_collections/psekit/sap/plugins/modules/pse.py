#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: psekit developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pse
short_description: Create or remove an SAP PSE with its own key and certificate
version_added: "0.1.0"
description:
  - Creates a Personal Security Environment (PSE) file with a new RSA key and a self-signed
    certificate for O(dn), as C(sapgenpse gen_pse) does, using the psekit CLI on the managed host.
  - Idempotent. A PSE whose own certificate already has the requested subject is left alone;
    one with another subject is only replaced with O(force=true).
  - Supports check mode (psekit's C(--check)). The PIN is handed to psekit through an
    environment variable, never on a command line, and never logged.
options:
  path:
    description: Path of the PSE file.
    type: path
    required: true
  dn:
    description:
      - Distinguished name of the PSE owner, in SAP's syntax (for example
        C(CN=client.example.com, O=Example, C=DE)). Required with O(state=present).
    type: str
  pin:
    description: The PSE's PIN; empty or omitted for a PSE without PIN (what the SAP Cloud Connector and WebSocket RFC clients need).
    type: str
    default: ""
  key_size:
    description: RSA key size in bits.
    type: int
    default: 2048
    choices: [2048, 3072, 4096]
  state:
    description: Whether the PSE should exist.
    type: str
    default: present
    choices: [present, absent]
  force:
    description: Replace an existing PSE whose own certificate has another subject (its key and trusted list are lost).
    type: bool
    default: false
extends_documentation_fragment:
  - psekit.sap.psekit
'''

EXAMPLES = r'''
- name: A client PSE without PIN for WebSocket RFC
  psekit.sap.pse:
    path: /usr/sap/RFC/sec/client.pse
    dn: "CN={{ inventory_hostname }}, OU=RFC, O=Example, C=DE"

- name: A PSE with PIN from the vault
  psekit.sap.pse:
    path: /usr/sap/PRD/sec/SAPSSLC.pse
    dn: "CN=prd-client, O=Example, C=DE"
    pin: "{{ vault_pse_pin }}"
    key_size: 4096

- name: No PSE there
  psekit.sap.pse:
    path: /tmp/old.pse
    state: absent
'''

RETURN = r'''
path:
  description: Path of the PSE.
  returned: always
  type: str
subject:
  description: Subject of the own certificate.
  returned: when the PSE exists (or would)
  type: str
  sample: CN=client.example.com, O=Example, C=DE
serial:
  description: Serial number of the own certificate, colon-separated hex.
  returned: when the PSE exists
  type: str
sha256_fingerprint:
  description: SHA-256 fingerprint of the own certificate.
  returned: when the PSE exists
  type: str
not_after:
  description: End of the own certificate's validity (ISO 8601, UTC).
  returned: when the PSE exists
  type: str
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.psekit.sap.plugins.module_utils.psekit import (
    COMMON_ARGUMENT_SPEC, Psekit, PsekitError, certificate_facts)


def own_certificate(psekit, path, pin):
    report = psekit.run(["get_my_name", "-p", path, "--json"], pin=pin)
    return certificate_facts(report.get("certificate"))


def requested_subject(psekit, path, dn, key_size, pin):
    """The DN as psekit writes it (SAP's order and spelling), from a --check run."""
    report = psekit.run(["gen_pse", "-p", path, "-noreq", "-s", str(key_size), "--force", "--check", "--json", dn], pin=pin)
    return report


def main():
    argument_spec = dict(
        path=dict(type="path", required=True),
        dn=dict(type="str"),
        pin=dict(type="str", default="", no_log=True),
        key_size=dict(type="int", default=2048, choices=[2048, 3072, 4096]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        force=dict(type="bool", default=False),
    )
    argument_spec.update(COMMON_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[("state", "present", ["dn"])])
    path = module.params["path"]
    pin = module.params["pin"]
    result = dict(changed=False, path=path)
    psekit = Psekit(module)

    if module.params["state"] == "absent":
        if os.path.lexists(path):
            result["changed"] = True
            if not module.check_mode:
                os.remove(path)
                if os.path.exists(path + ".lock"):
                    os.remove(path + ".lock")
        module.exit_json(**result)

    try:
        wanted = requested_subject(psekit, path, module.params["dn"], module.params["key_size"], pin)
        if os.path.exists(path):
            current = own_certificate(psekit, path, pin)
            if current and current["subject"] == wanted["subject"]:
                result.update(current)
                module.exit_json(**result)
            if not module.params["force"]:
                module.fail_json(msg="%s exists for %s, not for %s; set force: true to replace it (its key and trusted list are lost)"
                                 % (path, current["subject"] if current else "no own certificate", wanted["subject"]), **result)
        arguments = ["gen_pse", "-p", path, "-noreq", "-s", str(module.params["key_size"]), "--json"]
        if os.path.exists(path):
            arguments.append("--force")
        if module.check_mode:
            arguments.append("--check")
        report = psekit.run(arguments + [module.params["dn"]], pin=pin)
        result["changed"] = report.get("changed", True)
        result.update(certificate_facts(report.get("certificate")))
    except PsekitError as error:
        psekit.fail(error, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
