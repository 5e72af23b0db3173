#!/usr/bin/env python3
"""S3 through boto3, written the way Python users write it.

Run by tests/test/s3-boto3.test.ts against an embedded Stratus: the environment names the endpoint
(AWS_ENDPOINT_URL) and the credentials; the access key is a 12-digit account id, so every bucket here
belongs to that account. Each case runs in turn; the last line of stdout is a JSON summary:
{"registered": N, "cases": [{"name": ..., "ok": true|false, "error": "...", "where": "..."}]}. Arguments, when
given, name the cases to run (for debugging one case by hand). Files go to a temp dir, removed at the end.

Expected values come from real AWS: the LocalStack snapshot recordings in aws-oracle/s3 (cited by test
name where a case relies on one) and the S3 API reference. boto3 1.36+ sends CRC32 request checksums by
default (aws-chunked with a trailer for streamed bodies), as these cases do unless they say otherwise.
"""

import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zlib

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from cases import RUN, case, client_error, run_cases, unique  # tests/py/cases.py

ENDPOINT = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
ACCOUNT = os.environ["AWS_ACCESS_KEY_ID"]
REGION = os.environ["AWS_DEFAULT_REGION"]
TMP = tempfile.mkdtemp(prefix="stratus-s3-boto3-")
MiB = 1024 * 1024

# One attempt: an error must surface as the server sent it, not after retries.
CONFIG = Config(retries={"mode": "standard", "max_attempts": 1})
s3 = boto3.client("s3", config=CONFIG)

# What botocore put on the wire, per operation: the last request's headers.
SENT = {}


def _record(request, event_name, **kwargs):
    # event_name is before-send.s3.<Operation>
    SENT[event_name.rsplit(".", 1)[-1]] = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}


s3.meta.events.register("before-send.s3", _record)

def new_bucket(prefix="py", client=None):
    name = unique(prefix)
    (client or s3).create_bucket(Bucket=name)
    return name


def md5(data):
    return hashlib.md5(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MiB), b""):
            h.update(chunk)
    return h.hexdigest()


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def multipart_etag(parts):
    return '"' + hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + f'-{len(parts)}"'


def write_file(name, size):
    """A file of `size` random bytes in the scratch directory; returns its path and contents."""
    data = os.urandom(size)
    path = os.path.join(TMP, f"{RUN}-{name}")
    with open(path, "wb") as f:
        f.write(data)
    return path, data


def expect_error(fn, code, status):
    """Calls fn, which must fail with this botocore ClientError; returns the error."""
    e = client_error(fn, code, status)
    assert e.response["ResponseMetadata"].get("RequestId"), "errors carry a request id"
    return e


def http(method, url, body=None, headers=None):
    """A plain HTTP request (for presigned URLs); returns (status, headers, body bytes)."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, dict(res.headers.items()), res.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


@case
def upload_file_and_download_file_in_parts():
    bucket = new_bucket("transfer")
    path, data = write_file("upload.bin", 12 * MiB + 333)
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, max_concurrency=4)
    s3.upload_file(path, bucket, "dir/upload.bin", Config=config, ExtraArgs={"ContentType": "application/x-test", "Metadata": {"origin": "upload_file"}})
    # It went in parts (CreateMultipartUpload, three UploadParts, CompleteMultipartUpload).
    assert "UploadPart" in SENT and "CompleteMultipartUpload" in SENT, sorted(SENT)
    parts = [data[0 : 5 * MiB], data[5 * MiB : 10 * MiB], data[10 * MiB :]]
    head = s3.head_object(Bucket=bucket, Key="dir/upload.bin", ChecksumMode="ENABLED")
    assert head["ContentLength"] == len(data), head
    assert head["ETag"] == multipart_etag(parts), head
    assert head["ContentType"] == "application/x-test", head
    assert head["Metadata"] == {"origin": "upload_file"}, head
    # s3transfer asks for CRC32; S3 keeps a full-object CRC32 when the upload declared FULL_OBJECT, else
    # the composite of the parts' CRC32s.
    if head.get("ChecksumType") == "FULL_OBJECT":
        assert head["ChecksumCRC32"] == crc32_b64(data), head
    else:
        composite = crc32_b64(b"".join(base64.b64decode(crc32_b64(p)) for p in parts)) + "-3"
        assert head.get("ChecksumType") == "COMPOSITE" and head["ChecksumCRC32"] == composite, head

    out = path + ".down"
    s3.download_file(bucket, "dir/upload.bin", out, Config=config)
    assert sha256_file(out) == hashlib.sha256(data).hexdigest()
    # download_file fetched it in ranges: the last GetObject asked for one.
    assert SENT["GetObject"].get("Range", "").startswith("bytes="), SENT["GetObject"]
    os.remove(out)
    os.remove(path)

    # upload_fileobj / download_fileobj below the threshold: one PutObject.
    import io

    SENT.clear()
    s3.upload_fileobj(io.BytesIO(b"small object"), bucket, "small.txt", Config=config)
    assert "PutObject" in SENT and "UploadPart" not in SENT, sorted(SENT)
    buf = io.BytesIO()
    s3.download_fileobj(bucket, "small.txt", buf)
    assert buf.getvalue() == b"small object"


@case
def put_and_get_with_metadata_and_content_headers():
    bucket = new_bucket("meta")
    body = "hello from boto3 ✓".encode()
    put = s3.put_object(
        Bucket=bucket,
        Key="greeting.txt",
        Body=body,
        ContentType="text/plain; charset=utf-8",
        ContentDisposition='attachment; filename="greeting.txt"',
        CacheControl="no-store",
        Metadata={"Author": "boto3", "purpose": "test"},
        Tagging="a=1&b=2",
    )
    assert put["ETag"] == f'"{md5(body)}"', put
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    # boto3 sends a CRC32 with every PutObject (test_put_object_checksum: S3 echoes it).
    assert put["ChecksumCRC32"] == crc32_b64(body), put
    got = s3.get_object(Bucket=bucket, Key="greeting.txt")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/plain; charset=utf-8", got
    assert got["ContentDisposition"] == 'attachment; filename="greeting.txt"', got
    assert got["CacheControl"] == "no-store", got
    assert got["ContentLength"] == len(body), got
    # Metadata keys come back lower-cased.
    assert got["Metadata"] == {"author": "boto3", "purpose": "test"}, got
    assert got["TagCount"] == 2, got
    assert got["ETag"] == put["ETag"], got
    head = s3.head_object(Bucket=bucket, Key="greeting.txt")
    assert head["Metadata"] == got["Metadata"] and head["ContentLength"] == len(body), head
    # A streamed body, as file objects are sent.
    import io

    data = os.urandom(300_000)
    s3.put_object(Bucket=bucket, Key="streamed", Body=io.BytesIO(data))
    sent = SENT["PutObject"]
    got = s3.get_object(Bucket=bucket, Key="streamed", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ChecksumCRC32"] == crc32_b64(data), (got, sent)
    assert "ContentEncoding" not in got, got
    ranged = s3.get_object(Bucket=bucket, Key="streamed", Range="bytes=100-199")
    assert ranged["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert ranged["ContentRange"] == f"bytes 100-199/{len(data)}", ranged
    assert ranged["Body"].read() == data[100:200]


@case
def aws_chunked_upload_with_crc32_trailer():
    """botocore sends header checksums over http:// and aws-chunked bodies with the checksum in a trailer
    (STREAMING-UNSIGNED-PAYLOAD-TRAILER) over https://, which is what users of real S3 send. A client that
    switches the resolved checksum to the trailer, as botocore's https:// branch does, sends exactly that."""
    chunked = boto3.client("s3", config=CONFIG)

    def as_over_https(params, **kwargs):
        algorithm = params.get("context", {}).get("checksum", {}).get("request_algorithm")
        if isinstance(algorithm, dict):
            algorithm["in"] = "trailer"

    sent = {}
    chunked.meta.events.register("before-call.s3.PutObject", as_over_https)
    chunked.meta.events.register("before-call.s3.UploadPart", as_over_https)
    chunked.meta.events.register("before-send.s3", lambda request, event_name, **kw: sent.__setitem__(event_name.rsplit(".", 1)[-1], dict(request.headers.items())))
    bucket = new_bucket("chunked")
    import io

    data = os.urandom(3 * MiB + 17)
    put = chunked.put_object(Bucket=bucket, Key="trailer.bin", Body=io.BytesIO(data))
    h = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in sent["PutObject"].items()}
    assert h.get("x-amz-trailer") == "x-amz-checksum-crc32", h
    assert h.get("content-encoding") == "aws-chunked", h
    assert h.get("x-amz-content-sha256") == "STREAMING-UNSIGNED-PAYLOAD-TRAILER", h
    assert h.get("x-amz-decoded-content-length") == str(len(data)), h
    assert put["ChecksumCRC32"] == crc32_b64(data), put
    assert put["ETag"] == f'"{md5(data)}"', put
    got = s3.get_object(Bucket=bucket, Key="trailer.bin", ChecksumMode="ENABLED")
    assert got["ContentLength"] == len(data), got
    assert "ContentEncoding" not in got, got
    assert got["ChecksumCRC32"] == crc32_b64(data), got
    assert got["Body"].read() == data
    # A multipart upload the same way: each part aws-chunked with its trailer.
    path, big = write_file("chunked.bin", 11 * MiB)
    chunked.upload_file(path, bucket, "parts.bin", Config=TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB))
    os.remove(path)
    part = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in sent["UploadPart"].items()}
    assert part.get("x-amz-trailer") == "x-amz-checksum-crc32", part
    got = s3.get_object(Bucket=bucket, Key="parts.bin")
    assert got["ContentLength"] == len(big) and hashlib.sha256(got["Body"].read()).digest() == hashlib.sha256(big).digest()


@case
def list_objects_v2_paginator():
    bucket = new_bucket("list")
    keys = [f"logs/2024/{i:02d}.log" for i in range(23)] + ["logs/readme", "top-level", "zeta/1"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    paginator = s3.get_paginator("list_objects_v2")
    pages = list(paginator.paginate(Bucket=bucket, Prefix="logs/", PaginationConfig={"PageSize": 10}))
    assert [p["KeyCount"] for p in pages] == [10, 10, 4], [p["KeyCount"] for p in pages]
    assert [p["IsTruncated"] for p in pages] == [True, True, False]
    listed = [o["Key"] for p in pages for o in p["Contents"]]
    assert listed == sorted(k for k in keys if k.startswith("logs/")), listed
    first = pages[0]["Contents"][0]
    assert first["Size"] == len(first["Key"]) and first["ETag"] == f'"{md5(first["Key"])}"', first
    assert first["StorageClass"] == "STANDARD", first
    # build_full_result merges pages, CommonPrefixes included.
    merged = paginator.paginate(Bucket=bucket, Delimiter="/", PaginationConfig={"PageSize": 2}).build_full_result()
    assert [o["Key"] for o in merged["Contents"]] == ["top-level"], merged
    assert [p["Prefix"] for p in merged["CommonPrefixes"]] == ["logs/", "zeta/"], merged
    # JMESPath over the pages, as scripts do.
    sizes = list(paginator.paginate(Bucket=bucket).search("Contents[].Size"))
    assert sum(sizes) == sum(len(k) for k in keys), sizes
    # The v1 listing with its marker.
    v1 = s3.list_objects(Bucket=bucket, MaxKeys=5, Marker="logs/2024/20.log")
    assert [o["Key"] for o in v1["Contents"]] == ["logs/2024/21.log", "logs/2024/22.log", "logs/readme", "top-level", "zeta/1"], v1
    assert v1["IsTruncated"] is False, v1


@case
def copy_object_keeps_or_replaces_metadata():
    bucket = new_bucket("copy")
    s3.put_object(Bucket=bucket, Key="src/a b+c.txt", Body=b"original", ContentType="text/plain", Metadata={"v": "1"})
    # boto3 URL-encodes a CopySource given as a dict.
    res = s3.copy_object(Bucket=bucket, Key="dst/copy.txt", CopySource={"Bucket": bucket, "Key": "src/a b+c.txt"})
    assert res["CopyObjectResult"]["ETag"] == f'"{md5(b"original")}"', res
    head = s3.head_object(Bucket=bucket, Key="dst/copy.txt")
    assert head["Metadata"] == {"v": "1"} and head["ContentType"] == "text/plain", head
    s3.copy_object(
        Bucket=bucket,
        Key="dst/replaced.txt",
        # A string CopySource: botocore URL-encodes it too.
        CopySource=f"{bucket}/src/a b+c.txt",
        MetadataDirective="REPLACE",
        Metadata={"v": "2"},
        ContentType="application/octet-stream",
    )
    head = s3.head_object(Bucket=bucket, Key="dst/replaced.txt")
    assert head["Metadata"] == {"v": "2"} and head["ContentType"] == "application/octet-stream", head
    # The managed copy (what s3.copy does: HeadObject, then CopyObject below the threshold).
    s3.copy({"Bucket": bucket, "Key": "src/a b+c.txt"}, bucket, "dst/managed.txt")
    assert s3.get_object(Bucket=bucket, Key="dst/managed.txt")["Body"].read() == b"original"
    # test_s3_copy_object_src_not_exists
    e = expect_error(lambda: s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "random-src-key"}), "NoSuchKey", 404)
    assert e.response["Error"]["Key"] == "random-src-key", e.response


@case
def delete_objects_quiet_and_per_key_errors():
    bucket = new_bucket("del")
    for k in ["a", "b", "c/d"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    # test_delete_objects
    res = s3.delete_objects(
        Bucket=bucket,
        Delete={"Objects": [{"Key": "a"}, {"Key": "missing"}, {"Key": "b", "VersionId": "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD"}]},
    )
    assert sorted(d["Key"] for d in res["Deleted"]) == ["a", "missing"], res
    assert res["Errors"] == [
        {"Key": "b", "VersionId": "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD", "Code": "NoSuchVersion", "Message": "The specified version does not exist."}
    ], res
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b"}, {"Key": "c/d"}], "Quiet": True})
    assert "Deleted" not in quiet and "Errors" not in quiet, quiet
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    # The resource API's batch delete is DeleteObjects too.
    bucket_res = boto3.resource("s3", config=CONFIG).Bucket(bucket)
    for i in range(5):
        bucket_res.put_object(Key=f"r/{i}", Body=b"r")
    assert sorted(o.key for o in bucket_res.objects.filter(Prefix="r/")) == [f"r/{i}" for i in range(5)]
    deleted = bucket_res.objects.all().delete()
    assert sorted(d["Key"] for r in deleted for d in r["Deleted"]) == [f"r/{i}" for i in range(5)], deleted
    bucket_res.delete()
    expect_error(lambda: s3.head_bucket(Bucket=bucket), "404", 404)


@case
def versioning_and_delete_markers():
    bucket = new_bucket("ver")
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"two")["VersionId"]
    assert v1 and v2 and v1 != v2
    dm = s3.delete_object(Bucket=bucket, Key="k")
    assert dm["DeleteMarker"] is True and dm["VersionId"], dm
    assert dm["ResponseMetadata"]["HTTPStatusCode"] == 204
    # test_delete_object_versioned: the delete marker headers come with the error.
    e = expect_error(lambda: s3.get_object(Bucket=bucket, Key="k"), "NoSuchKey", 404)
    headers = e.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers.get("x-amz-delete-marker") == "true" and headers.get("x-amz-version-id") == dm["VersionId"], headers
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v1)["Body"].read() == b"one"
    versions = s3.list_object_versions(Bucket=bucket)
    assert [(v["VersionId"], v["IsLatest"]) for v in versions["Versions"]] == [(v2, False), (v1, False)], versions
    assert [(m["VersionId"], m["IsLatest"]) for m in versions["DeleteMarkers"]] == [(dm["VersionId"], True)], versions
    # The paginator over versions.
    pages = list(s3.get_paginator("list_object_versions").paginate(Bucket=bucket, PaginationConfig={"PageSize": 1}))
    seen = [v["VersionId"] for p in pages for v in p.get("Versions", []) + p.get("DeleteMarkers", [])]
    assert sorted(seen) == sorted([v1, v2, dm["VersionId"]]), pages
    s3.delete_object(Bucket=bucket, Key="k", VersionId=dm["VersionId"])
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"two"
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"
    # Suspended: a write becomes the "null" version, and PutObject names no version (the API reference's
    # "versioning suspended" example response has no x-amz-version-id).
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"three")
    assert "VersionId" not in put, put
    latest = [v for v in s3.list_object_versions(Bucket=bucket)["Versions"] if v["IsLatest"]]
    assert [(v["VersionId"], v["Size"]) for v in latest] == [("null", 5)], latest
    assert s3.get_object(Bucket=bucket, Key="k", VersionId="null")["Body"].read() == b"three"


@case
def presigned_urls():
    bucket = new_bucket("presign")
    s3.put_object(Bucket=bucket, Key="file name.txt", Body=b"presigned content", ContentType="text/plain")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "file name.txt"}, ExpiresIn=300)
    status, headers, body = http("GET", url)
    assert status == 200, (status, body)
    assert body == b"presigned content"
    assert headers.get("Content-Type") == "text/plain", headers
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "via-url.json", "ContentType": "application/json"}, ExpiresIn=300)
    doc = b'{"from": "url"}'
    status, headers, body = http("PUT", put_url, doc, {"Content-Type": "application/json"})
    assert status == 200, (status, body)
    assert headers.get("ETag") == f'"{md5(doc)}"', headers
    got = s3.get_object(Bucket=bucket, Key="via-url.json")
    assert got["Body"].read() == doc and got["ContentType"] == "application/json", got
    # A presigned POST (browser form upload).
    post = s3.generate_presigned_post(bucket, "posted/${filename}", Conditions=[["content-length-range", 1, 1000]], ExpiresIn=300)
    boundary = "----stratus" + RUN
    parts = []
    for k, v in post["fields"].items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="form.txt"\r\nContent-Type: text/plain\r\n\r\nform body\r\n'.encode())
    parts.append(f"--{boundary}--\r\n".encode())
    status, headers, body = http("POST", post["url"], b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 204, (status, body)
    assert s3.get_object(Bucket=bucket, Key="posted/form.txt")["Body"].read() == b"form body"
    # test_s3_presigned_url_expired[s3] and [s3v4]: an expired URL is refused. botocore presigns S3 with
    # SigV2 query auth (Expires=) unless told s3v4 (X-Amz-Expires=); Stratus's clock is moved past both.
    v4 = boto3.client("s3", config=Config(retries={"mode": "standard", "max_attempts": 1}, signature_version="s3v4"))
    short_v2 = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "file name.txt"}, ExpiresIn=30)
    short_v4 = v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "file name.txt"}, ExpiresIn=30)
    assert "X-Amz-Expires=30" in short_v4 and "Expires=" in short_v2 and "X-Amz-Expires" not in short_v2, (short_v2, short_v4)
    assert http("GET", short_v4)[0] == 200
    req = urllib.request.Request(f"{ENDPOINT}/_stratus/clock", data=json.dumps({"advanceSeconds": 60}).encode(), method="POST")
    with urllib.request.urlopen(req) as res:
        assert res.status == 200
    for url, expires_field in ((short_v2, False), (short_v4, True)):
        status, headers, body = http("GET", url)
        assert status == 403, (status, body)
        assert b"<Code>AccessDenied</Code>" in body and b"<Message>Request has expired</Message>" in body, body
        assert b"<Expires>" in body and b"<ServerTime>" in body, body
        assert (b"<X-Amz-Expires>30</X-Amz-Expires>" in body) == expires_field, body


@case
def errors_as_botocore_surfaces_them():
    bucket = new_bucket("err")
    # test_range_key_not_exists: the modeled exception class and S3's message and fields.
    e = expect_error(lambda: s3.get_object(Bucket=bucket, Key="no/such/key"), "NoSuchKey", 404)
    assert isinstance(e, s3.exceptions.NoSuchKey), type(e)
    assert e.response["Error"]["Message"] == "The specified key does not exist.", e.response
    assert e.response["Error"]["Key"] == "no/such/key", e.response
    # test_get_object_no_such_bucket
    missing = f"no-such-bucket-{RUN}"
    e = expect_error(lambda: s3.list_objects_v2(Bucket=missing), "NoSuchBucket", 404)
    assert isinstance(e, s3.exceptions.NoSuchBucket), type(e)
    assert e.response["Error"]["Message"] == "The specified bucket does not exist", e.response
    assert e.response["Error"]["BucketName"] == missing, e.response
    expect_error(lambda: s3.get_object(Bucket=missing, Key="k"), "NoSuchBucket", 404)
    # HEAD has no body: botocore names the error by its status (test_create_bucket_head_bucket).
    e = expect_error(lambda: s3.head_object(Bucket=bucket, Key="no-such-key"), "404", 404)
    assert e.response["Error"]["Message"] == "Not Found", e.response
    expect_error(lambda: s3.head_bucket(Bucket=missing), "404", 404)
    # test_create_bucket_with_existing_name: outside us-east-1 a second create is BucketAlreadyOwnedByYou.
    eu = boto3.client("s3", config=CONFIG, region_name="eu-west-1")
    name = unique("eu")
    eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    e = expect_error(lambda: eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}), "BucketAlreadyOwnedByYou", 409)
    assert isinstance(e, s3.exceptions.BucketAlreadyOwnedByYou), type(e)
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    # ... and us-east-1 buckets have no location constraint.
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None
    # test_delete_bucket_with_objects
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    e = expect_error(lambda: s3.delete_bucket(Bucket=bucket), "BucketNotEmpty", 409)
    assert e.response["Error"]["Message"] == "The bucket you tried to delete is not empty", e.response
    # test_multipart_no_such_upload
    e = expect_error(lambda: s3.upload_part(Bucket=bucket, Key="k", UploadId="fakeid", PartNumber=1, Body=b"x"), "NoSuchUpload", 404)
    assert isinstance(e, s3.exceptions.NoSuchUpload), type(e)
    assert e.response["Error"]["UploadId"] == "fakeid", e.response
    # test_invalid_range_error
    e = expect_error(lambda: s3.get_object(Bucket=bucket, Key="k", Range="bytes=1024-4096"), "InvalidRange", 416)
    assert e.response["Error"]["ActualObjectSize"] == "1", e.response
    # test_put_object_checksum[CRC32]
    e = expect_error(lambda: s3.put_object(Bucket=bucket, Key="bad", Body=b"abc", ChecksumCRC32=crc32_b64(b"abd")), "BadDigest", 400)
    assert e.response["Error"]["Message"] == "The CRC32 you specified did not match the calculated checksum.", e.response
    # A waiter built on HeadObject.
    s3.get_waiter("object_exists").wait(Bucket=bucket, Key="k", WaiterConfig={"Delay": 1, "MaxAttempts": 1})
    s3.get_waiter("object_not_exists").wait(Bucket=bucket, Key="gone", WaiterConfig={"Delay": 1, "MaxAttempts": 1})


@case
def multipart_by_hand_with_abort():
    bucket = new_bucket("mpu")
    up = s3.create_multipart_upload(Bucket=bucket, Key="manual", ChecksumAlgorithm="SHA256")
    uid = up["UploadId"]
    assert up["ChecksumAlgorithm"] == "SHA256", up
    p1 = os.urandom(5 * MiB)
    r1 = s3.upload_part(Bucket=bucket, Key="manual", UploadId=uid, PartNumber=1, Body=p1, ChecksumAlgorithm="SHA256")
    assert r1["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(p1).digest()).decode(), r1
    r2 = s3.upload_part(Bucket=bucket, Key="manual", UploadId=uid, PartNumber=2, Body=b"tail", ChecksumAlgorithm="SHA256")
    uploads = s3.list_multipart_uploads(Bucket=bucket)["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("manual", uid)], uploads
    parts = s3.list_parts(Bucket=bucket, Key="manual", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["Size"], p["ChecksumSHA256"]) for p in parts] == [(1, 5 * MiB, r1["ChecksumSHA256"]), (2, 4, r2["ChecksumSHA256"])], parts
    done = s3.complete_multipart_upload(
        Bucket=bucket,
        Key="manual",
        UploadId=uid,
        MultipartUpload={
            "Parts": [
                {"PartNumber": 1, "ETag": r1["ETag"], "ChecksumSHA256": r1["ChecksumSHA256"]},
                {"PartNumber": 2, "ETag": r2["ETag"], "ChecksumSHA256": r2["ChecksumSHA256"]},
            ]
        },
    )
    assert done["ETag"] == multipart_etag([p1, b"tail"]), done
    # test_upload_file_multipart: a composite checksum ends with the part count.
    composite = base64.b64encode(hashlib.sha256(hashlib.sha256(p1).digest() + hashlib.sha256(b"tail").digest()).digest()).decode() + "-2"
    assert done["ChecksumSHA256"] == composite, done
    assert s3.get_object(Bucket=bucket, Key="manual")["Body"].read() == p1 + b"tail"

    up2 = s3.create_multipart_upload(Bucket=bucket, Key="aborted")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="aborted", UploadId=up2, PartNumber=1, Body=b"x")
    s3.abort_multipart_upload(Bucket=bucket, Key="aborted", UploadId=up2)
    e = expect_error(lambda: s3.list_parts(Bucket=bucket, Key="aborted", UploadId=up2), "NoSuchUpload", 404)
    assert e.response["Error"]["Message"].startswith("The specified upload does not exist."), e.response
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


if __name__ == "__main__":
    run_cases(sys.argv[1:], cleanup=lambda: shutil.rmtree(TMP, ignore_errors=True))
