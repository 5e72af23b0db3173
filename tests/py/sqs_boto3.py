#!/usr/bin/env python3
"""SQS and STS through boto3, written the way Python users write it.

Run by tests/test/sqs-boto3.test.ts against an embedded Stratus: the environment names the endpoint
(AWS_ENDPOINT_URL) and the credentials; the access key is a 12-digit account id, so every queue here
lives in that account. Each case runs in turn; the last line of stdout is a JSON summary:
{"registered": N, "cases": [{"name": ..., "ok": true|false, "error": "...", "where": "..."}]}. Arguments, when given, name the cases
to run (for debugging one case by hand).

Expected values come from real AWS: the LocalStack snapshot recordings in aws-oracle/sqs (cited by
test name where a case relies on one) and the SQS API reference. botocore (>= 1.34.90) speaks SQS's
JSON protocol and surfaces the legacy query code from `x-amzn-query-error` as Error.Code, the JSON
`__type` shape name as Error.QueryErrorCode.
"""

import hashlib
import json
import os
import struct
import sys
import uuid

import boto3
from botocore.config import Config
from cases import RUN, advance_clock, case, client_error, run_cases, unique  # tests/py/cases.py

ENDPOINT = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
ACCOUNT = os.environ["AWS_ACCESS_KEY_ID"]
REGION = os.environ["AWS_DEFAULT_REGION"]

# One attempt: an error must surface as the server sent it, not after retries.
CONFIG = Config(retries={"mode": "standard", "max_attempts": 1})
sqs = boto3.client("sqs", config=CONFIG)
sts = boto3.client("sts", config=CONFIG)

def new_queue(attributes=None, name=None, **kwargs):
    name = name or unique()
    return sqs.create_queue(QueueName=name, Attributes=attributes or {}, **kwargs)["QueueUrl"]


def md5(data):
    return hashlib.md5(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def md5_of_attributes(attributes):
    """The MD5 SQS computes over message (or message system) attributes: names in order, each as
    length-prefixed name, data type, a transport byte (1 string, 2 binary) and the length-prefixed
    value (SQS developer guide, "Calculating the MD5 message digest for message attributes")."""

    def field(b):
        return struct.pack(">I", len(b)) + b

    buf = b""
    for name in sorted(attributes):
        a = attributes[name]
        buf += field(name.encode()) + field(a["DataType"].encode())
        if "StringValue" in a:
            buf += b"\x01" + field(a["StringValue"].encode())
        else:
            buf += b"\x02" + field(a["BinaryValue"])
    return hashlib.md5(buf).hexdigest()


def counts(url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return [
        int(a["ApproximateNumberOfMessages"]),
        int(a["ApproximateNumberOfMessagesNotVisible"]),
        int(a["ApproximateNumberOfMessagesDelayed"]),
    ]


def expect_error(fn, code, status=400, query_code=None, message=None, message_start=None):
    """Calls fn, which must fail with this botocore ClientError; returns the error dict."""
    e = client_error(fn, code, status)
    err = e.response["Error"]
    assert err.get("Type") == "Sender", f"expected Type Sender, got {err}"
    if query_code is not None:
        assert err.get("QueryErrorCode") == query_code, f"expected QueryErrorCode {query_code}, got {err}"
    if message is not None:
        assert err["Message"] == message, f"expected message {message!r}, got {err['Message']!r}"
    if message_start is not None:
        assert err["Message"].startswith(message_start), f"expected message starting {message_start!r}, got {err['Message']!r}"
    assert e.response["ResponseMetadata"].get("RequestId"), "errors carry a request id"
    return e


@case
def create_queue_with_attributes_and_tags():
    name = unique("create")
    res = sqs.create_queue(
        QueueName=name,
        Attributes={
            "DelaySeconds": "1",
            "VisibilityTimeout": "45",
            "MaximumMessageSize": "2048",
            "MessageRetentionPeriod": "3600",
            "ReceiveMessageWaitTimeSeconds": "2",
        },
        tags={"team": "payments", "env": "py"},
    )
    url = res["QueueUrl"]
    assert url == f"{ENDPOINT}/{ACCOUNT}/{name}", url
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 200
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert a["DelaySeconds"] == "1", a
    assert a["VisibilityTimeout"] == "45", a
    assert a["MaximumMessageSize"] == "2048", a
    assert a["MessageRetentionPeriod"] == "3600", a
    assert a["ReceiveMessageWaitTimeSeconds"] == "2", a
    assert a["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", a
    assert a["ApproximateNumberOfMessages"] == "0", a
    assert int(a["CreatedTimestamp"]) > 1_600_000_000, a
    assert int(a["LastModifiedTimestamp"]) >= int(a["CreatedTimestamp"]), a
    assert "FifoQueue" not in a, a
    only = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "DelaySeconds"])["Attributes"]
    assert only == {"VisibilityTimeout": "45", "DelaySeconds": "1"}, only
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "payments", "env": "py"}
    # Creating it again with the same attributes is a no-op answering the same URL.
    assert new_queue({"DelaySeconds": "1", "VisibilityTimeout": "45", "MaximumMessageSize": "2048",
                      "MessageRetentionPeriod": "3600", "ReceiveMessageWaitTimeSeconds": "2"}, name) == url
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "5"})
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"] == {"VisibilityTimeout": "5"}


@case
def get_queue_url_and_delete_queue():
    name = unique("url")
    url = new_queue(name=name)
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
    assert sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ACCOUNT)["QueueUrl"] == url
    sqs.delete_queue(QueueUrl=url)
    expect_error(lambda: sqs.get_queue_url(QueueName=name), "AWS.SimpleQueueService.NonExistentQueue")


@case
def list_queues_with_prefix_and_paging():
    prefix = unique("list")
    urls = sorted(new_queue(name=f"{prefix}-{i}") for i in range(5))
    new_queue(name=unique("other"))
    listed = sqs.list_queues(QueueNamePrefix=prefix)
    assert sorted(listed["QueueUrls"]) == urls, listed
    assert "NextToken" not in listed, listed
    # MaxResults / NextToken by hand (test_list_queues_pagination: a page of MaxResults and a
    # NextToken, then the rest and no NextToken).
    pages = []
    kwargs = {"QueueNamePrefix": prefix, "MaxResults": 2}
    while True:
        page = sqs.list_queues(**kwargs)
        pages.append(page["QueueUrls"])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
        assert len(pages) < 10, "paging does not end"
    assert [len(p) for p in pages] == [2, 2, 1], pages
    assert sorted(u for p in pages for u in p) == urls, pages
    # The paginator, as most Python code lists queues.
    paginator = sqs.get_paginator("list_queues")
    seen = [u for page in paginator.paginate(QueueNamePrefix=prefix, PaginationConfig={"PageSize": 3}) for u in page["QueueUrls"]]
    assert sorted(seen) == urls, seen
    # No match: the key is absent, not an empty list.
    empty = sqs.list_queues(QueueNamePrefix=f"nothing-{RUN}")
    assert "QueueUrls" not in empty, empty


@case
def md5_helper_matches_aws():
    # Digests recorded from AWS (test_receive_message_message_attribute_names_filters,
    # test_send_message_with_binary_attributes) check this script's own MD5 helper.
    attrs = {
        "Help.Me": {"DataType": "String", "StringValue": "Me"},
        "Hello": {"DataType": "String", "StringValue": "There"},
        "General": {"DataType": "String", "StringValue": "Kenobi"},
    }
    assert md5_of_attributes(attrs) == "4c360f3fdafd970e05fae2f149d997f5"
    assert md5_of_attributes({k: attrs[k] for k in ("Hello", "General")}) == "fca026605781cb4126a1e9044df24232"
    assert md5("msg") == "6e2baaf3b97dbeef01c0043275f9a0e7"


@case
def send_and_receive_with_message_attributes_and_md5s():
    url = new_queue()
    body = "héllo ✓ <xml> & \"quotes\"\r\nline 2 \U0001F600"
    attrs = {
        "s": {"DataType": "String", "StringValue": "v ✓"},
        "n": {"DataType": "Number", "StringValue": "42.5"},
        "b": {"DataType": "Binary", "BinaryValue": bytes([0, 1, 2, 255, 254])},
        "c": {"DataType": "String.custom", "StringValue": "x"},
        "bc": {"DataType": "Binary.gzip", "BinaryValue": b"\x1f\x8b"},
    }
    system = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}
    sent = sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attrs, MessageSystemAttributes=system)
    assert sent["MD5OfMessageBody"] == md5(body), sent
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attrs), sent
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes(system), sent
    uuid.UUID(sent["MessageId"])
    assert "SequenceNumber" not in sent, sent

    got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])
    assert len(got["Messages"]) == 1, got
    m = got["Messages"][0]
    assert m["Body"] == body, m["Body"]
    assert m["MessageId"] == sent["MessageId"]
    assert m["MD5OfBody"] == md5(body)
    assert m["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert m["MessageAttributes"] == attrs, m["MessageAttributes"]
    assert m["ReceiptHandle"]
    sa = m["Attributes"]
    assert sa["ApproximateReceiveCount"] == "1", sa
    assert sa["AWSTraceHeader"] == system["AWSTraceHeader"]["StringValue"], sa
    assert sa["SenderId"], sa
    assert int(sa["SentTimestamp"]) > 1_600_000_000_000, sa
    assert int(sa["ApproximateFirstReceiveTimestamp"]) >= int(sa["SentTimestamp"]), sa
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert counts(url) == [0, 0, 0]


@case
def receive_filters_attribute_names():
    # test_receive_message_message_attribute_names_filters and test_receive_message_attribute_names_filters.
    url = new_queue({"VisibilityTimeout": "0"})
    attrs = {
        "Help.Me": {"DataType": "String", "StringValue": "Me"},
        "Hello": {"DataType": "String", "StringValue": "There"},
        "General": {"DataType": "String", "StringValue": "Kenobi"},
    }
    sent = sqs.send_message(QueueUrl=url, MessageBody="msg", MessageAttributes=attrs)
    assert sent["MD5OfMessageAttributes"] == "4c360f3fdafd970e05fae2f149d997f5", sent
    assert sent["MD5OfMessageBody"] == "6e2baaf3b97dbeef01c0043275f9a0e7", sent

    def receive(names, **kwargs):
        res = sqs.receive_message(QueueUrl=url, MessageAttributeNames=names, **kwargs)
        assert len(res["Messages"]) == 1, res
        return res["Messages"][0]

    m = receive([])
    assert "MessageAttributes" not in m and "MD5OfMessageAttributes" not in m and "Attributes" not in m, m
    for names in (["All"], [".*"], ["*"]):
        m = receive(names)
        assert m["MessageAttributes"] == attrs, (names, m)
        assert m["MD5OfMessageAttributes"] == "4c360f3fdafd970e05fae2f149d997f5", (names, m)
    m = receive(["Foo", "Help"])
    assert "MessageAttributes" not in m and "MD5OfMessageAttributes" not in m, m
    m = receive(["Hello", "General"])
    assert set(m["MessageAttributes"]) == {"Hello", "General"}, m
    assert m["MD5OfMessageAttributes"] == "fca026605781cb4126a1e9044df24232", m
    m = receive(["Foo", "Hello"])
    assert set(m["MessageAttributes"]) == {"Hello"}, m
    assert m["MD5OfMessageAttributes"] == "a311262e065454b75da111d535b8dacd", m
    m = receive(["Hel.*"])
    assert set(m["MessageAttributes"]) == {"Hello", "Help.Me"}, m
    assert m["MD5OfMessageAttributes"] == "83fee93c1bcd8b9a5a923ffacdc636c7", m

    # System attributes: the new MessageSystemAttributeNames and the deprecated AttributeNames.
    standard = {"ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"}
    m = receive([], MessageSystemAttributeNames=["All"])
    assert set(m["Attributes"]) == standard, m
    m = receive([], AttributeNames=["All"])
    assert set(m["Attributes"]) == standard, m
    m = receive([], MessageSystemAttributeNames=["SenderId"])
    assert set(m["Attributes"]) == {"SenderId"}, m
    # SequenceNumber exists only on FIFO queues: asking for it on a standard queue adds nothing.
    m = receive([], AttributeNames=["SenderId", "SequenceNumber"])
    assert set(m["Attributes"]) == {"SenderId"}, m
    # Both lists given: their union (test_message_system_attribute_names_with_attribute_names).
    m = receive([], MessageSystemAttributeNames=["All"], AttributeNames=["SenderId"])
    assert set(m["Attributes"]) == standard, m
    m = receive([], MessageSystemAttributeNames=["ApproximateReceiveCount"], AttributeNames=["SentTimestamp"])
    assert set(m["Attributes"]) == {"ApproximateReceiveCount", "SentTimestamp"}, m


@case
def send_message_batch_with_failing_entries():
    url = new_queue()
    res = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "ok-1", "MessageBody": "one", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
            {"Id": "too-late", "MessageBody": "two", "DelaySeconds": 1000},
            {"Id": "bad-chars", "MessageBody": "\x01"},
            {"Id": "ok_2", "MessageBody": "three"},
        ],
    )
    ok = {s["Id"]: s for s in res["Successful"]}
    assert set(ok) == {"ok-1", "ok_2"}, res
    assert ok["ok-1"]["MD5OfMessageBody"] == md5("one")
    assert ok["ok-1"]["MD5OfMessageAttributes"] == md5_of_attributes({"k": {"DataType": "String", "StringValue": "v"}})
    assert ok["ok_2"]["MD5OfMessageBody"] == md5("three")
    failed = {f["Id"]: f for f in res["Failed"]}
    assert set(failed) == {"too-late", "bad-chars"}, res
    assert all(f["SenderFault"] is True for f in failed.values()), res
    # test_batch_send_with_invalid_char_should_succeed
    assert failed["bad-chars"]["Code"] == "InvalidMessageContents", failed
    assert failed["too-late"]["Code"] and failed["too-late"]["Message"], failed
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    assert sorted(m["Body"] for m in got["Messages"]) == ["one", "three"], got
    # A whole-batch problem fails the call: test_too_many_entries_in_batch_request.
    expect_error(
        lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(20)]),
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        query_code="TooManyEntriesInBatchRequest",
        message="Maximum number of entries per request are 10. You have sent 20.",
    )
    expect_error(
        lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a:b", "MessageBody": "x"}]),
        "AWS.SimpleQueueService.InvalidBatchEntryId",
        query_code="InvalidBatchEntryId",
        message="A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    )
    expect_error(
        lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "x", "MessageBody": "a"}, {"Id": "x", "MessageBody": "b"}]),
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        query_code="BatchEntryIdsNotDistinct",
    )


@case
def visibility_timeout_and_change_message_visibility():
    url = new_queue({"VisibilityTimeout": "20"})
    sqs.send_message(QueueUrl=url, MessageBody="once")
    first = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    assert counts(url) == [0, 1, 0]
    # Back in view after the queue's timeout passes on Stratus's clock.
    advance_clock(21)
    second = sqs.receive_message(QueueUrl=url, VisibilityTimeout=300, MessageSystemAttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert second["MessageId"] == first["MessageId"]
    assert second["Attributes"]["ApproximateReceiveCount"] == "2", second
    assert second["ReceiptHandle"] != first["ReceiptHandle"]
    # The per-receive timeout (300 s) holds past the queue's 20 s.
    advance_clock(21)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    # change_message_visibility to 0 makes it visible at once.
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"], VisibilityTimeout=0)
    third = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert third["MessageId"] == first["MessageId"]
    # ... and a longer one keeps it hidden past the queue timeout.
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=third["ReceiptHandle"], VisibilityTimeout=120)
    advance_clock(60)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    res = sqs.change_message_visibility_batch(
        QueueUrl=url,
        Entries=[{"Id": "a", "ReceiptHandle": third["ReceiptHandle"], "VisibilityTimeout": 0}, {"Id": "b", "ReceiptHandle": "garbage", "VisibilityTimeout": 0}],
    )
    assert [s["Id"] for s in res["Successful"]] == ["a"], res
    assert res["Failed"][0]["Id"] == "b" and res["Failed"][0]["Code"] == "ReceiptHandleIsInvalid", res
    fourth = sqs.receive_message(QueueUrl=url)["Messages"][0]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=fourth["ReceiptHandle"])
    # test_change_visibility_on_deleted_message_raises_invalid_parameter_value
    handle = fourth["ReceiptHandle"]
    expect_error(
        lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=42),
        "InvalidParameterValue",
        query_code="InvalidParameterValueException",
        message=f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.",
    )
    # test_invalid_receipt_handle_should_return_error_message
    expect_error(
        lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="INVALID", VisibilityTimeout=60),
        "ReceiptHandleIsInvalid",
        status=404,
    )


@case
def delete_message_and_delete_message_batch():
    url = new_queue()
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(4)])
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(got) == 4, got
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    # Deleting with a handle already used is fine on a standard queue.
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    res = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got[1:])] + [{"Id": "bad", "ReceiptHandle": "garbage"}],
    )
    assert sorted(s["Id"] for s in res["Successful"]) == ["d0", "d1", "d2"], res
    assert len(res["Failed"]) == 1, res
    f = res["Failed"][0]
    assert f["Id"] == "bad" and f["Code"] == "ReceiptHandleIsInvalid" and f["SenderFault"] is True, f
    assert counts(url) == [0, 0, 0]
    # test_delete_message_with_illegal_receipt_handle
    expect_error(
        lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage"),
        "ReceiptHandleIsInvalid",
        status=404,
        query_code="ReceiptHandleIsInvalid",
        message='The input receipt handle "garbage" is not a valid receipt handle.',
    )
    expect_error(
        lambda: sqs.delete_message_batch(QueueUrl=url, Entries=[]),
        "AWS.SimpleQueueService.EmptyBatchRequest",
        query_code="EmptyBatchRequest",
    )


@case
def fifo_queue_orders_groups_and_deduplicates():
    name = f"{unique('fifo')}.fifo"
    url = new_queue({"FifoQueue": "true"}, name)
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert a["FifoQueue"] == "true" and a["ContentBasedDeduplication"] == "false", a
    sent = []
    for group, body in [("g1", "a1"), ("g2", "b1"), ("g1", "a2"), ("g1", "a3"), ("g2", "b2")]:
        r = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=f"dedup-{body}")
        sent.append(r)
    seqs = [int(r["SequenceNumber"]) for r in sent]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5, seqs
    # The same deduplication id within 5 minutes is accepted and dropped, even in another group
    # (test_fifo_deduplication_not_on_message_group_id).
    sqs.send_message(QueueUrl=url, MessageBody="a1 again", MessageGroupId="g3", MessageDeduplicationId="dedup-a1")
    assert counts(url)[0] == 5, counts(url)
    # Receive everything, deleting as we go; within a group the order is the send order.
    order = {"g1": [], "g2": []}
    for _ in range(10):
        res = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"])
        for m in res.get("Messages", []):
            attrs = m["Attributes"]
            order[attrs["MessageGroupId"]].append(m["Body"])
            assert attrs["MessageDeduplicationId"] == f"dedup-{m['Body']}", attrs
            assert attrs["SequenceNumber"], attrs
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if sum(len(v) for v in order.values()) == 5:
            break
    assert order == {"g1": ["a1", "a2", "a3"], "g2": ["b1", "b2"]}, order
    # A group is held while one of its messages is in flight.
    for body in ["x1", "x2"]:
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="gx", MessageDeduplicationId=f"dx-{body}")
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"][0]
    assert first["Body"] == "x1", first
    assert "Messages" not in sqs.receive_message(QueueUrl=url), "x2 must wait for x1"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "x2"
    # Content-based deduplication: the body's SHA-256 is the id.
    cbd = new_queue({"FifoQueue": "true", "ContentBasedDeduplication": "true"}, f"{unique('cbd')}.fifo")
    one = sqs.send_message(QueueUrl=cbd, MessageBody="same", MessageGroupId="g")
    two = sqs.send_message(QueueUrl=cbd, MessageBody="same", MessageGroupId="g")
    assert one["MD5OfMessageBody"] == two["MD5OfMessageBody"]
    got = sqs.receive_message(QueueUrl=cbd, MaxNumberOfMessages=10, MessageSystemAttributeNames=["MessageDeduplicationId"])["Messages"]
    assert len(got) == 1, got
    assert got[0]["Attributes"]["MessageDeduplicationId"] == hashlib.sha256(b"same").hexdigest(), got
    # test_posting_to_fifo_requires_deduplicationid_group_id
    expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d"),
        "MissingParameter",
        query_code="MissingRequiredParameterException",
        message="The request must contain the parameter MessageGroupId.",
    )
    expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g"),
        "InvalidParameterValue",
        query_code="InvalidParameterValueException",
        message="The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    )
    # test_fifo_queue_send_message_with_delay_seconds_fails
    expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d", DelaySeconds=2),
        "InvalidParameterValue",
        message="Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
    )


@case
def dead_letter_queue_redrive_on_the_clock():
    # Mirrors test_dead_letter_queue_message_attributes, with Stratus's clock instead of sleeps.
    dlq = new_queue(name=unique("dlq"))
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})
    src = new_queue({"RedrivePolicy": policy, "VisibilityTimeout": "10"}, unique("src"))
    src_arn = sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    got_policy = json.loads(sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
    assert got_policy == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}, got_policy
    attrs = {"MyAttribute": {"StringValue": "foobar", "DataType": "String"}}
    sqs.send_message(QueueUrl=src, MessageBody="poison", MessageAttributes=attrs)
    first = sqs.receive_message(QueueUrl=src)["Messages"]
    assert [m["Body"] for m in first] == ["poison"], first
    advance_clock(11)
    # Its next receive would exceed maxReceiveCount: it moves to the DLQ instead.
    assert "Messages" not in sqs.receive_message(QueueUrl=src)
    assert counts(src) == [0, 0, 0]
    dead = sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])["Messages"]
    assert len(dead) == 1, dead
    m = dead[0]
    assert m["Body"] == "poison" and m["MessageId"] == first[0]["MessageId"], m
    assert m["MessageAttributes"] == attrs, m
    assert m["MD5OfMessageAttributes"] == "adb59cd4678ea5a855436b949cd07ab6", m
    assert m["Attributes"]["DeadLetterQueueSourceArn"] == src_arn, m
    assert m["Attributes"]["ApproximateReceiveCount"] == "2", m
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [src]


@case
def purge_queue():
    name = unique("purge")
    url = new_queue(name=name)
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(3)])
    sqs.receive_message(QueueUrl=url)
    assert counts(url) == [2, 1, 0], counts(url)
    sqs.purge_queue(QueueUrl=url)
    assert counts(url) == [0, 0, 0], counts(url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    # test_successive_purge_calls_fail
    expect_error(
        lambda: sqs.purge_queue(QueueUrl=url),
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        status=403,
        query_code="PurgeQueueInProgress",
        message=f"Only one PurgeQueue operation on {name} is allowed every 60 seconds.",
    )


@case
def tag_untag_and_list_tags():
    # test_tag_untag_queue
    url = new_queue()
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=url)
    sqs.tag_queue(QueueUrl=url, Tags={"tag1": "value1", "tag2": "value2", "tag3": ""})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"tag1": "value1", "tag2": "value2", "tag3": ""}
    sqs.untag_queue(QueueUrl=url, TagKeys=["tag1", "tag3"])
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"tag2": "value2"}
    sqs.tag_queue(QueueUrl=url, Tags={"tag2": "changed"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"tag2": "changed"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["tag2"])
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=url)


@case
def errors_as_botocore_surfaces_them():
    missing_url = f"{ENDPOINT}/{ACCOUNT}/no-such-queue-{RUN}"
    # test_non_existent_queue: the legacy code as Code, the shape name as QueryErrorCode, and the
    # modeled exception class.
    e = expect_error(
        lambda: sqs.get_queue_url(QueueName=f"no-such-queue-{RUN}"),
        "AWS.SimpleQueueService.NonExistentQueue",
        query_code="QueueDoesNotExist",
        message="The specified queue does not exist.",
    )
    assert isinstance(e, sqs.exceptions.QueueDoesNotExist), type(e)
    e = expect_error(
        lambda: sqs.get_queue_attributes(QueueUrl=missing_url, AttributeNames=["All"]),
        "AWS.SimpleQueueService.NonExistentQueue",
        query_code="QueueDoesNotExist",
        message="The specified queue does not exist.",
    )
    assert isinstance(e, sqs.exceptions.QueueDoesNotExist), type(e)
    expect_error(lambda: sqs.send_message(QueueUrl=missing_url, MessageBody="x"), "AWS.SimpleQueueService.NonExistentQueue")

    url = new_queue({"DelaySeconds": "0"}, unique("err"))
    name = url.rsplit("/", 1)[1]
    # test_create_queue_with_different_attributes_raises_exception
    e = expect_error(
        lambda: sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"}),
        "QueueAlreadyExists",
        query_code="QueueNameExists",
        message="A queue already exists with the same name and a different value for attribute DelaySeconds",
    )
    assert isinstance(e, sqs.exceptions.QueueNameExists), type(e)
    # test_send_receive_max_number_of_messages, test_send_receive_wait_time_seconds
    expect_error(
        lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11),
        "InvalidParameterValue",
        query_code="InvalidParameterValueException",
        message="Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
    )
    expect_error(
        lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21),
        "InvalidParameterValue",
        message="Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.",
    )
    # test_send_empty_message
    expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody=""),
        "MissingParameter",
        query_code="MissingRequiredParameterException",
        message="The request must contain the parameter MessageBody.",
    )
    # test_send_message_with_invalid_payload_characters
    e = expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody=f"Invalid-{chr(0)}-{chr(8)}-{chr(19)}-{chr(65535)}"),
        "InvalidMessageContents",
    )
    assert isinstance(e, sqs.exceptions.InvalidMessageContents), type(e)
    # test_send_oversized_message
    expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody="a" * (1024 * 1024 + 1)),
        "InvalidParameterValue",
        message="One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
    )
    # test_send_message_with_empty_string_attribute
    expect_error(
        lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes={"ErrorDetails": {"DataType": "String", "StringValue": ""}}),
        "InvalidParameterValue",
        message="Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    )
    # test_set_unsupported_attribute_standard, test_create_standard_queue_with_fifo_attribute_raises_error
    expect_error(
        lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"}),
        "InvalidAttributeName",
        query_code="InvalidAttributeName",
        message="Unknown Attribute FifoQueue.",
    )
    expect_error(
        lambda: sqs.create_queue(QueueName=unique("std"), Attributes={"ContentBasedDeduplication": "true"}),
        "InvalidAttributeName",
        message="Unknown Attribute ContentBasedDeduplication.",
    )
    e = expect_error(
        lambda: sqs.create_queue(QueueName=unique("vt"), Attributes={"VisibilityTimeout": "50000"}),
        "InvalidAttributeValue",
        query_code="InvalidAttributeValue",
    )
    assert isinstance(e, sqs.exceptions.InvalidAttributeValue), type(e)
    expect_error(lambda: sqs.create_queue(QueueName="bad name!"), "InvalidParameterValue")


@case
def binary_message_attribute_round_trip():
    # test_send_message_with_binary_attributes (MD5 recorded from AWS).
    url = new_queue()
    value = b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"
    attrs = {"attr1": {"DataType": "Binary", "BinaryValue": value}}
    sent = sqs.send_message(QueueUrl=url, MessageBody="test", MessageAttributes=attrs)
    assert sent["MD5OfMessageAttributes"] == "8cbe4db156db8a94db8b801b7addb984", sent
    m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    assert m["MessageAttributes"]["attr1"]["BinaryValue"] == value, m
    assert m["MD5OfMessageAttributes"] == "8cbe4db156db8a94db8b801b7addb984", m
    assert m["MD5OfBody"] == "098f6bcd4621d373cade4e832627b4f6", m


@case
def sts_get_caller_identity_names_the_account():
    me = sts.get_caller_identity()
    assert me["Account"] == ACCOUNT, me
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:root", me
    assert me["UserId"], me
    # A key that is not 12 digits falls back to the default account.
    other = boto3.client("sts", config=CONFIG, aws_access_key_id="test", aws_secret_access_key="test")
    assert other.get_caller_identity()["Account"] == "000000000000"
    # ... and queues are per account.
    name = unique("acct")
    url = new_queue(name=name)
    other_sqs = boto3.client("sqs", config=CONFIG, aws_access_key_id="test", aws_secret_access_key="test")
    expect_error(lambda: other_sqs.get_queue_url(QueueName=name), "AWS.SimpleQueueService.NonExistentQueue")
    assert other_sqs.create_queue(QueueName=name)["QueueUrl"] == f"{ENDPOINT}/000000000000/{name}"
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url


if __name__ == "__main__":
    run_cases(sys.argv[1:])
