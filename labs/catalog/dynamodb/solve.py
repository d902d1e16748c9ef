"""Reference solution of the DynamoDB lab: the table with both indexes, then order lines written as items."""

import csv
import io

from labs.datasets import generate

ITEMS = 50


def solve(clients, outputs: dict, prefix: str) -> None:
    dynamodb = clients("dynamodb")
    table = f"{prefix}-orders"
    dynamodb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "customerid", "AttributeType": "N"},
            {"AttributeName": "salesorderdetailid", "AttributeType": "N"},
            {"AttributeName": "orderdate", "AttributeType": "S"},
            {"AttributeName": "employeeid", "AttributeType": "N"},
        ],
        KeySchema=[{"AttributeName": "customerid", "KeyType": "HASH"}, {"AttributeName": "salesorderdetailid", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{
            "IndexName": "by-orderdate", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "customerid", "KeyType": "HASH"}, {"AttributeName": "orderdate", "KeyType": "RANGE"}],
        }],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-employee", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "employeeid", "KeyType": "HASH"}, {"AttributeName": "salesorderdetailid", "KeyType": "RANGE"}],
        }],
        Tags=[{"Key": "studyapp:run", "Value": prefix}],
    )
    rows = list(csv.reader(io.StringIO(generate("orders").decode())))[:ITEMS]
    for row in rows:
        dynamodb.put_item(TableName=table, Item={
            "customerid": {"N": row[6]}, "salesorderdetailid": {"N": row[1]}, "salesorderid": {"N": row[0]},
            "orderdate": {"S": row[2]}, "employeeid": {"N": row[5]}, "totaldue": {"N": row[10]},
        })
    dynamodb.query(TableName=table, IndexName="by-employee", KeyConditionExpression="employeeid = :e", ExpressionAttributeValues={":e": {"N": "276"}})
