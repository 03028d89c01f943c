"""Validation's share of a typical UpdateImageVersion call, measured in one run.

    python benchmarks/validation_share.py              # the reference figure
    python benchmarks/validation_share.py --quick      # a fast smoke run

Both figures come from the same process, interleaved: the median cost of `validate_request` on
the request's JSON (after warm-up) and the median cost of the whole in-process boto3 call under
`mock_aws` (client-side work, moto's dispatch, validation, the store, the response). The goal is
a share under 5%. Exit status 1 when it is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any, Callable

GOAL = 0.05
REQUEST = {
    "ImageName": "bench-image",
    "Version": 1,
    "AliasesToAdd": ["candidate", "stable"],
    "JobType": "TRAINING",
    "MLFramework": "TensorFlow 2.13",
    "ProgrammingLang": "Python 3.10",
    "Processor": "GPU",
    "Horovod": False,
    "VendorGuidance": "STABLE",
    "ReleaseNotes": "Weekly rebuild with patched base image",
}


def per_call(action: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        action()
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats")
    args = parser.parse_args(argv)
    repeats, calls, validations = (3, 50, 2000) if args.quick else (9, 200, 20000)

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ.setdefault(name, "testing")
    import boto3
    from moto import mock_aws

    import moto_sagemaker_imgver  # noqa: F401  (installs the operations into moto)
    from moto_sagemaker_imgver.validation import validate_request

    body = json.loads(json.dumps(REQUEST))  # what the server decodes
    with mock_aws():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_image(ImageName="bench-image", RoleArn="arn:aws:iam::123456789012:role/Bench")
        sm.create_image_version(ImageName="bench-image",
                                BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1")

        def boto3_call() -> None:
            sm.update_image_version(**REQUEST)

        def validation() -> None:
            validate_request("UpdateImageVersion", body)

        boto3_call(), validation()  # warm-up: model, checkers, client
        call_costs, validation_costs = [], []
        for _ in range(repeats):
            call_costs.append(per_call(boto3_call, calls))
            validation_costs.append(per_call(validation, validations))

    call_cost = statistics.median(call_costs)
    validation_cost = statistics.median(validation_costs)
    share = validation_cost / call_cost
    print(f"UpdateImageVersion, in-process boto3 call: {call_cost * 1e6:9.1f} us (median of {repeats})")
    print(f"validate_request on the same request:      {validation_cost * 1e6:9.1f} us (median of {repeats})")
    print(f"validation's share of the call: {share:.2%} (ratio {share:.4f}; goal < {GOAL:.0%})")
    return 0 if share < GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
