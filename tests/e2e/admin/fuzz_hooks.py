"""Keeps the generated admin requests away from the caller's own access.

schemathesis reuses identifiers from earlier answers (GET /v1/admins lists
the caller's own right, GET /v1/tenants the system tenant), so without this a
run could remove its own right or revoke its own token and spend the rest of
its requests on 401 and 403. Requests that would act on the system tenant are
sent to the run's own tenant instead, and the caller's own right is never the
one deleted.
"""

import os
from urllib.parse import unquote

import schemathesis

TENANT = os.environ["FUZZ_TENANT"]
CALLER = os.environ["FUZZ_CALLER"]


@schemathesis.hook
def before_call(ctx, case, kwargs):
    params = case.path_parameters
    if not params:
        return
    # Values taken from earlier answers arrive percent-encoded.
    if unquote(str(params.get("tenant", ""))) == "system":
        params["tenant"] = TENANT
    if unquote(str(params.get("subject", ""))) == CALLER:
        params["subject"] = "client:not-the-caller"
