#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: psekit developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pse_info
short_description: Facts about SAP PSE files - own certificate, chain, trusted list, expiry
version_added: "0.1.0"
description:
  - Reads one PSE, or every C(*.pse) file of a folder, with the psekit CLI and returns its own
    certificate, certification path, trusted certificates and the days until each expires.
  - Never changes anything. A PSE that cannot be opened (wrong or missing PIN) is listed with its error.
options:
  path:
    description: A PSE file, or a folder whose C(*.pse) files are read.
    type: path
    required: true
  pin:
    description:
      - The PIN of the PSE(s). Omitted, psekit opens PSEs without PIN and those whose PIN
        C(seclogin) stored for the user the module runs as.
    type: str
extends_documentation_fragment:
  - psekit.sap.psekit
'''

EXAMPLES = r'''
- name: What the PSEs of an instance hold
  psekit.sap.pse_info:
    path: /usr/sap/PRD/D00/sec
  register: pses

- name: Certificates that expire within 30 days
  ansible.builtin.debug:
    msg: "{{ item.path }}: {{ item.own_certificate.subject }} expires in {{ item.own_certificate.days_left }} days"
  loop: "{{ pses.pses }}"
  when: item.own_certificate and item.own_certificate.days_left < 30
'''

RETURN = r'''
pses:
  description: One entry per PSE read.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: Path of the PSE.
      type: str
    error:
      description: Why the PSE could not be read (then the other keys are missing).
      type: str
    own_certificate:
      description: The own certificate (subject, issuer, serial, sha256_fingerprint, not_before, not_after, days_left); null in a PSE without key.
      type: dict
    certification_path:
      description: The CA chain of the own certificate, issuer first.
      type: list
      elements: dict
    trusted:
      description: The trusted certificates.
      type: list
      elements: dict
'''

import datetime
import glob
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.psekit.sap.plugins.module_utils.psekit import (
    COMMON_ARGUMENT_SPEC, Psekit, PsekitError, certificate_facts)


def with_days_left(facts, now):
    if facts and facts.get("not_after"):
        not_after = datetime.datetime.strptime(facts["not_after"], "%Y-%m-%dT%H:%M:%SZ")
        facts["days_left"] = (not_after - now).days
    return facts


def read_pse(psekit, path, pin, now):
    try:
        own = psekit.run(["get_my_name", "-p", path, "--json"], pin=pin)
        listing = psekit.run(["maintain_pk", "-l", "-p", path, "--json"], pin=pin)
    except PsekitError as error:
        return dict(path=path, error=str(error))
    return dict(
        path=path,
        own_certificate=with_days_left(certificate_facts(own.get("certificate")), now),
        certification_path=[with_days_left(certificate_facts(item), now) for item in own.get("certificationPath") or []],
        trusted=[with_days_left(certificate_facts(item.get("certificate")), now) for item in listing.get("trusted") or []],
    )


def main():
    argument_spec = dict(
        path=dict(type="path", required=True),
        pin=dict(type="str", no_log=True),
    )
    argument_spec.update(COMMON_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    path = module.params["path"]
    psekit = Psekit(module)
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "*.pse")))
    elif os.path.exists(path):
        files = [path]
    else:
        module.fail_json(msg="%s: no such file or folder" % path)
    now = datetime.datetime.utcnow()
    module.exit_json(changed=False, pses=[read_pse(psekit, item, module.params["pin"], now) for item in files])


if __name__ == "__main__":
    main()
