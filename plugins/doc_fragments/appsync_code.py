# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The code options shared by AppSync functions and resolvers
    # (multiregion.appsync.appsync_function and multiregion.appsync.appsync_resolver).
    DOCUMENTATION = r"""
options:
  runtime:
    description:
      - The runtime of O(code). Defaults to V(APPSYNC_JS) V(1.0.0) when O(code) or O(code_file) is given.
    type: dict
    suboptions:
      name:
        description: The runtime name.
        type: str
        choices: [APPSYNC_JS]
        default: APPSYNC_JS
      runtime_version:
        description: The runtime version.
        type: str
        default: 1.0.0
  code:
    description:
      - The APPSYNC_JS code of the function or resolver. Mutually exclusive with O(code_file) and the VTL templates.
    type: str
  code_file:
    description:
      - A file with the APPSYNC_JS code of the function or resolver, read on the host that runs the module.
    type: path
  request_template:
    description:
      - The VTL request mapping template.
    type: str
  response_template:
    description:
      - The VTL response mapping template.
    type: str
  max_batch_size:
    description:
      - The maximum batch size of a function or resolver that calls a Lambda data source in batches (0 to 2000).
        Left as it is when omitted.
    type: int
"""
