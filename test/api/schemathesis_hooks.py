"""Schemathesis hooks for test/api/schemathesis.test.ts: every 4xx must name the problem.

A 4xx answer must be the service's one error shape, {statusCode, error, message}, with a message
that says more than the status text (Fastify's bare "Unsupported Media Type" would not do).
"""
import json

import schemathesis

GENERIC = {
    "bad request",
    "unauthorized",
    "forbidden",
    "not found",
    "method not allowed",
    "payload too large",
    "unsupported media type",
    "too many requests",
    "error",
    "invalid",
}


@schemathesis.check
def client_error_names_the_problem(ctx, response, case):
    """A 4xx carries {statusCode, error, message} and a message naming what was wrong."""
    status = response.status_code
    if status < 400 or status >= 500 or case.method.upper() == "HEAD":
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{status} answer is not JSON: {response.content[:200]!r}")
    if not isinstance(body, dict):
        raise AssertionError(f"{status} answer is not a JSON object: {body!r}")
    if body.get("statusCode") != status:
        raise AssertionError(f"{status} answer has statusCode {body.get('statusCode')!r}")
    if not isinstance(body.get("error"), str) or not body["error"]:
        raise AssertionError(f"{status} answer has no 'error' title: {body!r}")
    message = body.get("message")
    if not isinstance(message, str) or len(message.strip()) < 8 or message.strip().lower() in GENERIC:
        raise AssertionError(f"{status} answer does not name the problem: message={message!r}")
    return None
