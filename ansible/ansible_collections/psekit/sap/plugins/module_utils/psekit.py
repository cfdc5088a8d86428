# -*- coding: utf-8 -*-
# Copyright: psekit developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Runs the psekit CLI for the psekit.sap modules and reads its JSON contract."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

# The environment variable the modules hand a PIN to psekit in (--pin-env): never argv.
PIN_VARIABLE = "PSEKIT_ANSIBLE_PIN"

COMMON_ARGUMENT_SPEC = dict(
    psekit=dict(type="str", default="psekit"),
)


class PsekitError(Exception):
    """psekit failed: its message and exit code."""

    def __init__(self, message, rc=None, command=None):
        super(PsekitError, self).__init__(message)
        self.rc = rc
        self.command = command


class Psekit(object):
    """One module's access to the psekit binary."""

    def __init__(self, module):
        self.module = module
        binary = module.params.get("psekit") or "psekit"
        if os.sep not in binary:
            found = module.get_bin_path(binary, required=False)
            if not found:
                module.fail_json(msg="psekit was not found on PATH; install it or give its path with the psekit parameter")
            binary = found
        self.binary = binary

    def run(self, arguments, pin=None, secudir=None, expect_json=True):
        """Runs psekit with arguments; returns (rc, parsed JSON or stdout, stderr)."""
        environ = {}
        command = [self.binary] + list(arguments)
        if pin is not None:
            environ[PIN_VARIABLE] = pin
            command += ["--pin-env", PIN_VARIABLE]
        if secudir is not None:
            environ["SECUDIR"] = secudir
        rc, out, err = self.module.run_command(command, environ_update=environ, data="", binary_data=True)
        if rc != 0:
            raise PsekitError(err.strip() or out.strip() or "psekit exited with %d" % rc, rc=rc, command=arguments[0])
        if not expect_json:
            return out
        try:
            return json.loads(out)
        except ValueError:
            raise PsekitError("psekit %s printed no JSON: %s" % (arguments[0], out[:200]), rc=rc, command=arguments[0])

    def fail(self, error, **result):
        self.module.fail_json(msg=str(error), rc=getattr(error, "rc", None), **result)


def certificate_facts(summary):
    """The facts a module returns for one certificate of psekit's JSON."""
    if not summary:
        return None
    return dict(
        subject=summary.get("subject"),
        issuer=summary.get("issuer"),
        serial=summary.get("serialNumber"),
        sha256_fingerprint=summary.get("sha256Fingerprint"),
        not_before=summary.get("notBefore"),
        not_after=summary.get("notAfter"),
    )


def change_items(items):
    """psekit's change items (added, removed, ...) as module results."""
    return [dict(subject=item.get("subject"), sha256_fingerprint=item.get("sha256Fingerprint"),
                 path=item.get("path"), user=item.get("user"), kind=item.get("kind")) for item in items or []]
