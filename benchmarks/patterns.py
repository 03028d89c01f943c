"""Figure 11: pattern checks cost time linear in the value, and never stall another request.

Every pattern of SageMaker's model is checked on adversarial values of 64 KB: the cases that
froze a server before (long runs of a character a pattern repeats, ended by one it refuses, after
each literal start the model's patterns share) and a generator over fills and endings. Each
check runs on a pattern compiled afresh, so it pays for what a first request pays.

The second row sends CreatePipeline with validation of every operation on, holding a 64 KB
definition of the kind that took minutes before, to the server command, while ListImages is
timed on another connection, against ListImages alone.
"""
from __future__ import annotations

import json
import statistics
import threading
import time
from typing import Any, Callable, Iterator

SIZE = 64 * 1024
FILLS = ["a", "1", " ", "-", "a/", "1.", " \u2028", "A b", "\u00e9", "\U0001F600"]
STARTS = ["", "https://", "arn:aws:sagemaker:us-east-1:123456789012:",
          "arn:aws:lambda:us-east-1:123456789012:function:", "ip-"]
ENDINGS = ["!", "a", "\u2028"]


def adversarial_values() -> Iterator[list[str]]:
    """Families of values, one per literal start; the first holds the cases reported."""
    yield [" " * 28 + "\u2028",  # PipelineDefinition's exponential case
           "1" * 1600 + "\n",  # MlflowVersion's cubic case
           json.dumps({"k": ["v \u2028" * 40] * 200}, indent=2, ensure_ascii=False)]
    for start in STARTS:
        family = []
        for fill in FILLS:
            for ending in ENDINGS:
                body = SIZE - len(start) - len(ending)
                family.append(start + (fill * (body // len(fill) + 1))[:body] + ending)
        yield family


def worst_check() -> tuple[float, float, str, str]:
    """The slowest check of any pattern on any adversarial value (seconds, first use), the
    median one, and what the slowest was."""
    from moto_sagemaker_imgver.validation import patterns
    from moto_sagemaker_imgver.validation import model_patterns

    times: list[float] = []
    worst = (0.0, "", "")
    families = list(adversarial_values())
    for pattern in model_patterns():
        for family in families:
            patterns.compile_pattern.cache_clear()  # first use: RE2 builds its states afresh
            compiled = patterns.compile_pattern(pattern)
            for value in family:
                started = time.perf_counter()
                compiled.fullmatch(value)
                took = time.perf_counter() - started
                times.append(took)
                if took > worst[0]:
                    worst = (took, pattern, value[:24])
    return worst[0], statistics.median(times), worst[1], worst[2]


def delayed_list(url: str, client: Callable[[str], Any], repeats: int) -> tuple[list[float], list[float]]:
    """ListImages round trips while a 64 KB CreatePipeline is checked, and alone."""
    import requests

    definition = json.dumps({"Steps": [{"Name": "s", "Arguments": {"x": " " * 40 + "\u2028"}}]
                            * 600}, indent=2, ensure_ascii=False)
    body = json.dumps({"PipelineName": "p", "RoleArn": "arn:aws:iam::123456789012:role/r",
                       "ClientRequestToken": "t" * 32, "PipelineDefinition": definition})
    headers = {"X-Amz-Target": "SageMaker.CreatePipeline",
               "Content-Type": "application/x-amz-json-1.1",
               "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/sagemaker/aws4_request, "
                                "SignedHeaders=host, Signature=0"}
    sm = client(url)
    sm.list_images()

    def list_once() -> float:
        started = time.perf_counter()
        sm.list_images()
        return time.perf_counter() - started

    alone, beside = [], []
    for _ in range(repeats):
        alone.append(list_once())
        sender = threading.Thread(target=requests.post, args=(url,),
                                  kwargs={"data": body.encode(), "headers": headers, "timeout": 600})
        sender.start()
        time.sleep(0.002)  # the check is under way
        beside.append(list_once())
        sender.join()
    return beside, alone
