"""Reference solution of the Kinesis lab: a stream, three customer records read back, and a Firehose stream to S3."""

import json

CUSTOMERS = [
    {"customerid": 293, "firstname": "Catherine", "lastname": "Abel", "fullname": "Catherine Abel"},
    {"customerid": 295, "firstname": "Kim", "lastname": "Abercrombie", "fullname": "Kim Abercrombie"},
    {"customerid": 297, "firstname": "Humberto", "lastname": "Acevedo", "fullname": "Humberto Acevedo"},
]


def solve(clients, outputs: dict, prefix: str) -> None:
    kinesis, firehose = clients("kinesis"), clients("firehose")
    stream = f"{prefix}-customers_stream"
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    for customer in CUSTOMERS:
        kinesis.put_record(StreamName=stream, Data=json.dumps(customer).encode(), PartitionKey=str(customer["customerid"]))
    shard = kinesis.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert len(kinesis.get_records(ShardIterator=iterator)["Records"]) == len(CUSTOMERS)
    delivery = f"{prefix}-customers-to-s3"
    firehose.create_delivery_stream(
        DeliveryStreamName=delivery, DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={
            "RoleARN": outputs["FirehoseRoleArn"], "BucketARN": f"arn:aws:s3:::{outputs['BucketName']}", "Prefix": "firehose/customers/",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
        },
    )
    for customer in CUSTOMERS:
        firehose.put_record(DeliveryStreamName=delivery, Record={"Data": (json.dumps(customer) + "\n").encode()})
