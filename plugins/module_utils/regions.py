# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS region names, as options that list regions (replicas, other_regions) check them."""

import re

REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")


def is_region_name(name):
    """True for a name shaped like an AWS region (us-east-1, ap-southeast-2, us-gov-west-1)."""
    return bool(REGION_RE.match(name or ""))
