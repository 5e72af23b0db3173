"""The case runner every tests/py script shares.

A script marks its cases with @case and ends with `run_cases(sys.argv[1:])`, which runs them (or only those
named in argv) and prints one JSON line the node test reads (tests/src/python.ts):
{"registered": N, "cases": [{"name": ..., "ok": true|false, "error": "...", "where": "..."}]}.
"""
import json
import os
import traceback
import urllib.request
import uuid

from botocore.exceptions import ClientError

ENDPOINT = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
RUN = uuid.uuid4().hex[:8]
CASES = []
_counter = [0]


def case(fn):
    CASES.append(fn)
    return fn


def unique(prefix="py"):
    """A name no other case or run uses."""
    _counter[0] += 1
    return f"{prefix}-{RUN}-{_counter[0]}"


def advance_clock(seconds):
    """Moves Stratus's clock through its admin API (POST /_stratus/clock)."""
    req = urllib.request.Request(
        f"{ENDPOINT}/_stratus/clock",
        data=json.dumps({"advanceSeconds": seconds}).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req) as res:
        assert res.status == 200, res.status


def client_error(fn, code, status):
    """Calls fn, which must fail with a botocore ClientError of this code and HTTP status; returns it."""
    try:
        fn()
    except ClientError as e:
        err = e.response["Error"]
        got_status = e.response["ResponseMetadata"]["HTTPStatusCode"]
        assert err["Code"] == code, f"expected Code {code}, got {err}"
        assert got_status == status, f"expected HTTP {status}, got {got_status} ({err})"
        return e
    raise AssertionError(f"expected {code}, but the call succeeded")


def run_cases(argv, cleanup=None):
    wanted = set(argv)
    results = []
    for fn in CASES:
        if wanted and fn.__name__ not in wanted:
            continue
        try:
            fn()
            results.append({"name": fn.__name__, "ok": True})
        except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
            tb = traceback.extract_tb(e.__traceback__)
            # The innermost line of the script itself, not of this runner or of botocore.
            script = fn.__code__.co_filename
            where = next((f"line {f.lineno}: {f.line}" for f in reversed(tb) if f.filename == script), "")
            results.append({"name": fn.__name__, "ok": False, "error": f"{type(e).__name__}: {e}", "where": where})
    if cleanup:
        cleanup()
    print(json.dumps({"registered": len(CASES), "cases": results}))
