#!/usr/bin/env python3
"""DynamoDB and DynamoDB Streams through boto3, written the way Python users write it: the low-level
client, the resource layer with boto3.dynamodb.conditions (Key, Attr) and batch_writer, waiters and
paginators.

Run by tests/test/dynamodb-boto3.test.ts against an embedded Stratus: the environment names the
endpoint (AWS_ENDPOINT_URL) and the credentials. Each case runs in turn; the last line of stdout is a
JSON summary: {"registered": N, "cases": [{"name": ..., "ok": true|false, "error": "...", "where": "..."}]}.
Arguments, when given, name the cases to run (for debugging one case by hand).

botocore checks every DynamoDB answer's X-Amz-Crc32 header against the body (a mismatch is a
ChecksumError), so every successful call here also checks that header. Expected values come from the
DynamoDB API reference and the recorded AWS answers in aws-oracle/dynamodb.
"""

import json
import os
import sys
import time
import urllib.request
import zlib
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import Binary
from botocore.config import Config
from cases import advance_clock, case, client_error, run_cases, unique  # tests/py/cases.py

ENDPOINT = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
ACCOUNT = os.environ["AWS_ACCESS_KEY_ID"]
REGION = os.environ["AWS_DEFAULT_REGION"]

# One attempt: an error (or a CRC32 mismatch) must surface as the server sent it, not after retries.
CONFIG = Config(retries={"mode": "standard", "max_attempts": 1})
client = boto3.client("dynamodb", config=CONFIG)
resource = boto3.resource("dynamodb", config=CONFIG)
streams = boto3.client("dynamodbstreams", config=CONFIG)
WAITER = {"Delay": 1, "MaxAttempts": 30}

def clock_now_seconds():
    with urllib.request.urlopen(f"{ENDPOINT}/_stratus/clock") as res:
        now = json.loads(res.read())["now"]
    if isinstance(now, (int, float)):
        return int(now / 1000)
    from datetime import datetime

    return int(datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp())


def expect_error(fn, code, status=400, message=None, message_start=None):
    """Calls fn, which must fail with this botocore ClientError; returns the ClientError."""
    e = client_error(fn, code, status)
    err = e.response["Error"]
    if message is not None:
        assert err["Message"] == message, f"expected message {message!r}, got {err['Message']!r}"
    if message_start is not None:
        assert err["Message"].startswith(message_start), f"expected message starting {message_start!r}, got {err['Message']!r}"
    assert e.response["ResponseMetadata"].get("RequestId"), "errors carry a request id"
    return e


def new_table(name=None, range_type="N", **extra):
    """A pay-per-request table keyed pk (S) + sk, active; returns its resource."""
    name = name or unique("tbl")
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": range_type}]
    definitions += extra.pop("AttributeDefinitions", [])
    table = resource.create_table(
        TableName=name,
        AttributeDefinitions=definitions,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    table.wait_until_exists(WaiterConfig=WAITER)
    return table


@case
def client_creates_a_table_with_indexes_and_waits_for_it():
    name = unique("idx")
    created = client.create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "gsi", "AttributeType": "N"},
            {"AttributeName": "lsi", "AttributeType": "B"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-gsi",
                "KeySchema": [{"AttributeName": "gsi", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "lsi", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    d = created["TableDescription"]
    assert d["TableStatus"] == "CREATING", d
    assert d["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST", d
    assert d["TableArn"] == f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}", d
    # botocore parses the epoch-seconds timestamp.
    assert d["CreationDateTime"].year >= 2024, d
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig=WAITER)
    t = client.describe_table(TableName=name)["Table"]
    assert t["TableStatus"] == "ACTIVE", t
    assert [i["IndexName"] for i in t["GlobalSecondaryIndexes"]] == ["by-gsi"], t
    assert t["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE", t
    assert [i["IndexName"] for i in t["LocalSecondaryIndexes"]] == ["by-lsi"], t
    names = [n for page in client.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}) for n in page["TableNames"]]
    assert name in names, names
    assert names == sorted(names), names
    # A second create of the same name is refused.
    expect_error(
        lambda: client.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        ),
        "ResourceInUseException",
        message_start="Table already exists",
    )
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig=WAITER)


@case
def resource_puts_gets_updates_and_deletes_python_values():
    table = new_table()
    item = {
        "pk": "user#1",
        "sk": Decimal(1),
        "name": "Ann",
        "age": Decimal("42"),
        "ratio": Decimal("0.125"),
        "active": True,
        "nothing": None,
        "tags": {"a", "b"},
        "scores": {Decimal(1), Decimal("2.5")},
        "blob": Binary(b"\x00\x01\xff"),
        "blobs": {Binary(b"x"), Binary(b"y")},
        "nested": {"list": [Decimal(1), "two", {"three": [True]}]},
    }
    table.put_item(Item=item)
    got = table.get_item(Key={"pk": "user#1", "sk": 1}, ConsistentRead=True)["Item"]
    assert got == item, got
    assert isinstance(got["age"], Decimal), type(got["age"])
    assert got["blob"].value == b"\x00\x01\xff", got["blob"]

    res = table.update_item(
        Key={"pk": "user#1", "sk": 1},
        UpdateExpression="SET age = age + :one, #n = :name REMOVE ratio ADD tags :more DELETE scores :gone",
        ConditionExpression=Attr("active").eq(True) & Attr("age").lt(100),
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":one": 1, ":name": "Annie", ":more": {"c"}, ":gone": {Decimal("2.5")}},
        ReturnValues="UPDATED_NEW",
    )
    assert res["Attributes"] == {"age": Decimal(43), "name": "Annie", "tags": {"a", "b", "c"}, "scores": {Decimal(1)}}, res

    old = table.put_item(Item={"pk": "user#1", "sk": 1, "v": 2}, ReturnValues="ALL_OLD")["Attributes"]
    assert old["name"] == "Annie", old

    e = expect_error(
        lambda: table.put_item(
            Item={"pk": "user#1", "sk": 1},
            ConditionExpression=Attr("pk").not_exists(),
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
        "ConditionalCheckFailedException",
        message="The conditional request failed",
    )
    assert e.response["Item"] == {"pk": {"S": "user#1"}, "sk": {"N": "1"}, "v": {"N": "2"}}, e.response

    deleted = table.delete_item(Key={"pk": "user#1", "sk": 1}, ReturnValues="ALL_OLD")
    assert deleted["Attributes"]["v"] == 2, deleted
    assert "Item" not in table.get_item(Key={"pk": "user#1", "sk": 1})


@case
def queries_and_scans_with_key_and_attr_conditions():
    table = new_table()
    with table.batch_writer() as batch:
        for i in range(30):
            batch.put_item(Item={"pk": "p" if i < 20 else "q", "sk": i, "color": ["red", "green", "blue"][i % 3], "size": i * 10})
    res = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").between(5, 9))
    assert [int(i["sk"]) for i in res["Items"]] == [5, 6, 7, 8, 9], res["Items"]
    res = table.query(
        KeyConditionExpression=Key("pk").eq("p") & Key("sk").gte(10),
        FilterExpression=Attr("color").is_in(["red", "blue"]) & Attr("size").gt(120),
        ScanIndexForward=False,
    )
    assert [int(i["sk"]) for i in res["Items"]] == [18, 17, 15, 14], res["Items"]
    assert res["Count"] == 4 and res["ScannedCount"] == 10, res
    res = table.scan(FilterExpression=Attr("color").begins_with("gr") & Attr("missing").not_exists(), ProjectionExpression="sk")
    assert sorted(int(i["sk"]) for i in res["Items"]) == [1, 4, 7, 10, 13, 16, 19, 22, 25, 28], res["Items"]

    # Pages, as the paginators follow them.
    pages = list(client.get_paginator("query").paginate(
        TableName=table.name,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        PaginationConfig={"PageSize": 6},
    ))
    assert [len(p["Items"]) for p in pages] == [6, 6, 6, 2], [len(p["Items"]) for p in pages]
    scanned = [i for p in client.get_paginator("scan").paginate(TableName=table.name, PaginationConfig={"PageSize": 7}) for i in p["Items"]]
    assert len(scanned) == 30, len(scanned)
    counted = table.scan(Select="COUNT", FilterExpression=Attr("pk").eq("q"))
    assert counted["Count"] == 10 and "Items" not in counted, counted
    expect_error(
        lambda: table.query(KeyConditionExpression=Key("sk").eq(1)),
        "ValidationException",
        message="Query condition missed key schema element: pk",
    )


@case
def batch_writer_overwrites_and_deletes_in_batches():
    table = new_table()
    # overwrite_by_pkeys folds repeated keys within a buffered batch (a batch may not name a key twice).
    with table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        for i in range(60):
            batch.put_item(Item={"pk": "b", "sk": i % 55, "n": i})
        for i in range(5):
            batch.delete_item(Key={"pk": "b", "sk": i})
    res = table.query(KeyConditionExpression=Key("pk").eq("b"), Select="COUNT")
    assert res["Count"] == 50, res
    got = resource.batch_get_item(
        RequestItems={table.name: {"Keys": [{"pk": "b", "sk": s} for s in (5, 6, 54, 99)], "ProjectionExpression": "sk, n"}}
    )
    found = sorted((int(i["sk"]), int(i["n"])) for i in got["Responses"][table.name])
    assert found == [(5, 5), (6, 6), (54, 54)], found
    assert got["UnprocessedKeys"] == {}, got
    expect_error(
        lambda: client.batch_write_item(
            RequestItems={table.name: [{"PutRequest": {"Item": {"pk": {"S": "x"}, "sk": {"N": "1"}}}}] * 2}
        ),
        "ValidationException",
        message="Provided list of item keys contains duplicates",
    )


@case
def transactions_report_cancellation_reasons():
    table = new_table()
    table.put_item(Item={"pk": "t", "sk": 1, "stock": 1})
    e = expect_error(
        lambda: client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table.name, "Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}}},
                {
                    "Update": {
                        "TableName": table.name,
                        "Key": {"pk": {"S": "t"}, "sk": {"N": "1"}},
                        "UpdateExpression": "SET stock = stock - :n",
                        "ConditionExpression": "stock >= :n",
                        "ExpressionAttributeValues": {":n": {"N": "5"}},
                    }
                },
            ]
        ),
        "TransactionCanceledException",
        message="Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
    )
    assert e.response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
    ], e.response
    assert "Item" not in table.get_item(Key={"pk": "t", "sk": 2}), "nothing of a cancelled transaction is written"
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table.name, "Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}}},
            {"ConditionCheck": {"TableName": table.name, "Key": {"pk": {"S": "t"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_exists(stock)"}},
        ]
    )
    got = client.transact_get_items(
        TransactItems=[{"Get": {"TableName": table.name, "Key": {"pk": {"S": "t"}, "sk": {"N": n}}}} for n in ("1", "2", "3")]
    )
    assert got["Responses"] == [
        {"Item": {"pk": {"S": "t"}, "sk": {"N": "1"}, "stock": {"N": "1"}}},
        {"Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}},
        {},
    ], got["Responses"]


@case
def numbers_keep_38_digits_as_decimals():
    table = new_table()
    big = Decimal("98765432109876543210987654321098765432")
    small = Decimal("-0.12345678901234567890123456789012345678")
    table.put_item(Item={"pk": "n", "sk": 1, "big": big, "small": small, "ns": {big, Decimal("1.0")}})
    got = table.get_item(Key={"pk": "n", "sk": 1})["Item"]
    assert got["big"] == big and str(got["big"]) == str(big), got
    assert got["small"] == small and str(got["small"]) == str(small), got
    # DynamoDB trims trailing zeros: 1.0 comes back as 1.
    raw = client.get_item(TableName=table.name, Key={"pk": {"S": "n"}, "sk": {"N": "1"}})["Item"]
    assert sorted(raw["ns"]["NS"]) == sorted([str(big), "1"]), raw
    added = table.update_item(Key={"pk": "n", "sk": 1}, UpdateExpression="ADD big :d", ExpressionAttributeValues={":d": Decimal(-32)}, ReturnValues="UPDATED_NEW")
    assert added["Attributes"]["big"] == Decimal("98765432109876543210987654321098765400"), added
    expect_error(
        lambda: client.put_item(TableName=table.name, Item={"pk": {"S": "n"}, "sk": {"N": "2"}, "x": {"N": "1e126"}}),
        "ValidationException",
        message="Number overflow. Attempting to store a number with magnitude larger than supported range",
    )


@case
def errors_have_dynamodb_codes_and_messages():
    table = new_table()
    expect_error(
        lambda: client.get_item(TableName=unique("missing"), Key={"pk": {"S": "x"}}),
        "ResourceNotFoundException",
        message="Requested resource not found",
    )
    expect_error(
        lambda: client.put_item(TableName=table.name, Item={"pk": {"N": "1"}, "sk": {"N": "1"}}),
        "ValidationException",
        message="One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
    )
    expect_error(
        lambda: client.update_item(TableName=table.name, Key={"pk": {"S": "x"}, "sk": {"N": "1"}}, UpdateExpression="SET a = :missing"),
        "ValidationException",
        message="Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :missing",
    )
    e = expect_error(lambda: client.describe_table(TableName=unique("missing")), "ResourceNotFoundException")
    assert len(e.response["ResponseMetadata"]["RequestId"]) == 52, e.response["ResponseMetadata"]


@case
def answers_carry_a_crc32_that_botocore_checks():
    table = new_table()
    big = "x" * 300_000
    table.put_item(Item={"pk": "big", "sk": 1, "blob": big})
    res = client.get_item(TableName=table.name, Key={"pk": {"S": "big"}, "sk": {"N": "1"}})
    assert res["Item"]["blob"]["S"] == big
    headers = res["ResponseMetadata"]["HTTPHeaders"]
    expected = zlib.crc32(json.dumps(res["Item"] and {"Item": res["Item"]}, separators=(",", ":")).encode()) & 0xFFFFFFFF
    assert headers["x-amz-crc32"].isdigit(), headers
    # The body is exactly the compact JSON of the answer here, so the header can be recomputed.
    assert int(headers["x-amz-crc32"]) == expected, (headers["x-amz-crc32"], expected)
    assert headers["content-type"] == "application/x-amz-json-1.0", headers


@case
def streams_client_reads_the_changes_of_a_table():
    table = new_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    table.put_item(Item={"pk": "s", "sk": 1, "v": 1})
    table.update_item(Key={"pk": "s", "sk": 1}, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": 2})
    table.delete_item(Key={"pk": "s", "sk": 1})
    arn = table.latest_stream_arn
    assert arn and arn.startswith(table.table_arn + "/stream/"), arn
    listed = streams.list_streams(TableName=table.name)["Streams"]
    assert [s["StreamArn"] for s in listed] == [arn], listed
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert desc["StreamStatus"] == "ENABLED" and desc["StreamViewType"] == "NEW_AND_OLD_IMAGES", desc
    shard = desc["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"], records
    assert records[1]["dynamodb"]["OldImage"]["v"] == {"N": "1"}, records[1]
    assert records[1]["dynamodb"]["NewImage"]["v"] == {"N": "2"}, records[1]
    # botocore parses the record's epoch-seconds creation time.
    assert records[0]["dynamodb"]["ApproximateCreationDateTime"].year >= 2024, records[0]
    first = records[0]["dynamodb"]["SequenceNumber"]
    after = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=first)["ShardIterator"]
    assert [r["eventName"] for r in streams.get_records(ShardIterator=after)["Records"]] == ["MODIFY", "REMOVE"]


@case
def time_to_live_deletes_expired_items_when_the_clock_moves():
    table = new_table()
    client.update_time_to_live(TableName=table.name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
    assert client.describe_time_to_live(TableName=table.name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
    now = clock_now_seconds()
    table.put_item(Item={"pk": "ttl", "sk": 1, "ttl": now + 60})
    table.put_item(Item={"pk": "ttl", "sk": 2, "ttl": now + 86400})
    advance_clock(120)
    for _ in range(50):
        left = [int(i["sk"]) for i in table.query(KeyConditionExpression=Key("pk").eq("ttl"), ConsistentRead=True)["Items"]]
        if left == [2]:
            break
        time.sleep(0.02)
    assert left == [2], left


if __name__ == "__main__":
    run_cases(sys.argv[1:])
