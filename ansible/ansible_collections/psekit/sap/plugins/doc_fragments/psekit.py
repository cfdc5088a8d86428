# -*- coding: utf-8 -*-
# Copyright: psekit developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # What every psekit.sap module takes and needs.
    DOCUMENTATION = r'''
options:
  psekit:
    description: The psekit binary, by name on C(PATH) or by path.
    type: str
    default: psekit
notes:
  - Requires the psekit CLI on the managed host.
  - Supports C(check_mode).
author:
  - psekit developers (@psekit)
'''
