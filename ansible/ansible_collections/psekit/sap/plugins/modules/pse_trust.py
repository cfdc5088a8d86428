#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: psekit developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pse_trust
short_description: Trust certificates in an SAP PSE, or stop trusting them
version_added: "0.1.0"
description:
  - Adds the certificates of a file on the managed host to a PSE's trusted list (C(maintain_pk -a)),
    or removes them, with the psekit CLI. Idempotent by SHA-256 fingerprint.
  - With O(url), fetches the chain a TLS server presents, completes it to its root and trusts it,
    but only when a certificate of that chain has the pinned O(fingerprint) (C(psekit trust --expect-fingerprint)).
  - Supports check mode. The PIN is handed to psekit through an environment variable and never logged.
options:
  path:
    description: Path of the PSE file.
    type: path
    required: true
  pin:
    description: The PSE's PIN; empty for a PSE without PIN.
    type: str
    default: ""
  certificate:
    description: A PEM, DER, Base64, PKCS#7 (C(.p7b)) or C(.zip) file of certificates on the managed host.
    type: path
  url:
    description: An C(https://) URL whose server chain is to be trusted (with O(fingerprint)); O(state=present) only.
    type: str
  fingerprint:
    description: SHA-256 fingerprint (C(SHA256:AA:BB:...) or hex) of a certificate of the server's chain, checked before anything is trusted.
    type: str
  ca_file:
    description: Candidate issuers for completing a server's chain (otherwise the host's CA store).
    type: path
  state:
    description: Whether the certificates should be trusted.
    type: str
    default: present
    choices: [present, absent]
extends_documentation_fragment:
  - psekit.sap.psekit
'''

EXAMPLES = r'''
- name: Trust the landscape's CA chain
  psekit.sap.pse_trust:
    path: /usr/sap/RFC/sec/client.pse
    certificate: /etc/pki/sap/chain.p7b

- name: Trust a cloud system's chain, pinned
  psekit.sap.pse_trust:
    path: /usr/sap/RFC/sec/client.pse
    url: https://my-tenant.example.com
    fingerprint: "SHA256:2F:...:9A"

- name: Stop trusting an old root
  psekit.sap.pse_trust:
    path: /usr/sap/RFC/sec/client.pse
    certificate: /etc/pki/sap/old-root.pem
    state: absent
'''

RETURN = r'''
added:
  description: Certificates added to the trusted list (or that would be, in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{"subject": "CN=Example Root CA, O=Example", "sha256_fingerprint": "2F:...:9A"}]
removed:
  description: Certificates removed from the trusted list.
  returned: always
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.psekit.sap.plugins.module_utils.psekit import (
    COMMON_ARGUMENT_SPEC, Psekit, PsekitError, change_items)


def main():
    argument_spec = dict(
        path=dict(type="path", required=True),
        pin=dict(type="str", default="", no_log=True),
        certificate=dict(type="path"),
        url=dict(type="str"),
        fingerprint=dict(type="str"),
        ca_file=dict(type="path"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    argument_spec.update(COMMON_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_one_of=[("certificate", "url")],
                           mutually_exclusive=[("certificate", "url")],
                           required_by={"url": "fingerprint"})
    params = module.params
    result = dict(changed=False, added=[], removed=[])
    psekit = Psekit(module)
    if params["url"] and params["state"] == "absent":
        module.fail_json(msg="state: absent takes a certificate file, not a url: name the certificates to stop trusting")

    if params["url"]:
        arguments = ["trust", params["url"], "-p", params["path"], "--expect-fingerprint", params["fingerprint"], "--json"]
        if params["ca_file"]:
            arguments += ["--ca-file", params["ca_file"]]
    elif params["state"] == "present":
        arguments = ["maintain_pk", "-p", params["path"], "-a", params["certificate"], "--json"]
    else:
        arguments = ["maintain_pk", "-p", params["path"], "--delete-file", params["certificate"], "--json"]
    if module.check_mode:
        arguments.append("--check")
    try:
        report = psekit.run(arguments, pin=params["pin"])
    except PsekitError as error:
        psekit.fail(error, **result)
    result["changed"] = bool(report.get("changed"))
    result["added"] = change_items(report.get("added"))
    result["removed"] = change_items(report.get("removed"))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
