"""Reference solution of the setup lab: what the learner does in the console, with boto3."""

from labs.datasets import filename, generate

FOLDERS = ("rawData/", "processedData/", "scriptLocation/", "tmpDir/", "athena/")
TABLES = ("customers", "employees", "orders")


def solve(clients, outputs: dict, prefix: str) -> None:
    s3 = clients("s3")
    bucket = outputs["BucketName"]
    for folder in FOLDERS:
        s3.put_object(Bucket=bucket, Key=folder)  # the console's "Create folder" makes this empty object
    for table in TABLES:
        s3.put_object(Bucket=bucket, Key=f"rawData/{table}/{filename(table)}", Body=generate(table))
