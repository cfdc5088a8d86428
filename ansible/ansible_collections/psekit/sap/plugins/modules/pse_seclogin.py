#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: psekit developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pse_seclogin
short_description: Store or remove the seclogin credential of an SAP PSE
version_added: "0.1.0"
description:
  - Stores the PIN of a PSE for an OS user in C(cred_v2) (C(sapgenpse seclogin)), so that SAP
    processes of that user open the PSE without asking, or removes that credential.
  - Idempotent, a credential that already holds the PIN is left alone.
  - Supports check mode. The PIN is handed to psekit through an environment variable and never logged.
options:
  path:
    description: Path of the PSE file.
    type: path
    required: true
  pin:
    description: The PSE's PIN (required with O(state=present)).
    type: str
  user:
    description: The OS user the credential is for (default, the user the module runs as).
    type: str
  secudir:
    description: The folder of C(cred_v2) (C(SECUDIR)); default, the environment's C(SECUDIR).
    type: path
  state:
    description: Whether the credential should exist.
    type: str
    default: present
    choices: [present, absent]
extends_documentation_fragment:
  - psekit.sap.psekit
'''

EXAMPLES = r'''
- name: Let prdadm open SAPSSLC.pse without a PIN prompt
  psekit.sap.pse_seclogin:
    path: /usr/sap/PRD/sec/SAPSSLC.pse
    pin: "{{ vault_pse_pin }}"
    user: prdadm
    secudir: /usr/sap/PRD/sec
'''

RETURN = r'''
user:
  description: The OS user of the credential.
  returned: always
  type: str
'''

import getpass
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.psekit.sap.plugins.module_utils.psekit import COMMON_ARGUMENT_SPEC, Psekit, PsekitError


def main():
    argument_spec = dict(
        path=dict(type="path", required=True),
        pin=dict(type="str", no_log=True),
        user=dict(type="str"),
        secudir=dict(type="path"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    argument_spec.update(COMMON_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[("state", "present", ["pin"])])
    params = module.params
    user = params["user"] or getpass.getuser()
    result = dict(changed=False, user=user)
    psekit = Psekit(module)
    user_arguments = ["-O", params["user"]] if params["user"] else []
    check = ["--check"] if module.check_mode else []
    try:
        if params["state"] == "present":
            report = psekit.run(["seclogin", "-p", params["path"], "--json"] + user_arguments + check,
                                pin=params["pin"], secudir=params["secudir"])
            result["changed"] = bool(report.get("changed"))
        else:
            entries = psekit.run(["seclogin", "-l", "--json"] + user_arguments, secudir=params["secudir"])
            spellings = {params["path"], os.path.realpath(params["path"]), os.path.normpath(params["path"])}
            if any(entry.get("psePath") in spellings and entry.get("opensForUser") for entry in entries):
                report = psekit.run(["seclogin", "-d", "-p", params["path"], "--json"] + user_arguments + check,
                                    secudir=params["secudir"])
                result["changed"] = bool(report.get("changed"))
    except PsekitError as error:
        psekit.fail(error, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
