"""Reference solution of the Glue lab: catalog, crawler, CSV-to-Parquet job, schedule, workflow and quality rules."""

JOB_SCRIPT = b'''import sys
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "source_database", "target_path"])
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)
orders = glue_context.create_dynamic_frame.from_catalog(database=args["source_database"], table_name="orders", transformation_ctx="orders")
glue_context.write_dynamic_frame.from_options(frame=orders, connection_type="s3", format="parquet",
                                              connection_options={"path": args["target_path"]}, transformation_ctx="write_orders")
job.commit()
'''


def solve(clients, outputs: dict, prefix: str) -> None:
    glue, s3 = clients("glue"), clients("s3")
    bucket, role = outputs["BucketName"], outputs["GlueRoleArn"]
    db = prefix.replace("-", "_")
    raw, processed = f"{db}_raw_data", f"{db}_processed_data"
    for name in (raw, processed):
        glue.create_database(DatabaseInput={"Name": name})
    glue.create_table(DatabaseName=raw, TableInput={
        "Name": "customers", "TableType": "EXTERNAL_TABLE", "Parameters": {"classification": "csv"},
        "StorageDescriptor": {
            "Columns": [{"Name": "customerid", "Type": "int"}, {"Name": "firstname", "Type": "string"},
                        {"Name": "lastname", "Type": "string"}, {"Name": "fullname", "Type": "string"}],
            "Location": f"s3://{bucket}/staged/customers/",
            "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": ","}},
        },
    })
    glue.create_crawler(Name=f"{prefix}-headers-crawler", Role=role, DatabaseName=raw, Targets={"S3Targets": [
        {"Path": f"s3://{bucket}/staged/employees_headers/"}, {"Path": f"s3://{bucket}/staged/orders_headers/"}]})
    s3.put_object(Bucket=bucket, Key="scriptLocation/orders_to_parquet.py", Body=JOB_SCRIPT)
    job = f"{prefix}-orders-to-parquet"
    glue.create_job(Name=job, Role=role, GlueVersion="5.0", WorkerType="G.1X", NumberOfWorkers=2,
                    Command={"Name": "glueetl", "ScriptLocation": f"s3://{bucket}/scriptLocation/orders_to_parquet.py", "PythonVersion": "3"},
                    DefaultArguments={"--source_database": raw, "--target_path": f"s3://{bucket}/processedData/orders/",
                                      "--TempDir": f"s3://{bucket}/tmpDir/", "--job-bookmark-option": "job-bookmark-enable"})
    glue.create_trigger(Name=f"{prefix}-nightly", Type="SCHEDULED", Schedule="cron(0 2 * * ? *)", Actions=[{"JobName": job}],
                        StartOnCreation=True)  # without it a scheduled trigger stays CREATED and never fires
    workflow = f"{prefix}-orders-pipeline"
    glue.create_workflow(Name=workflow)
    glue.create_trigger(Name=f"{prefix}-pipeline-start", WorkflowName=workflow, Type="ON_DEMAND", Actions=[{"CrawlerName": f"{prefix}-headers-crawler"}])
    if not clients.sandbox:  # the sandbox has no Glue Data Quality
        glue.create_data_quality_ruleset(
            Name=f"{prefix}-orders-rules", TargetTable={"DatabaseName": raw, "TableName": "orders"},
            Ruleset='Rules = [ IsPrimaryKey "salesorderdetailid", ColumnValues "orderqty" > 0, Completeness "customerid" > 0.99 ]',
        )
        glue.start_crawler(Name=f"{prefix}-headers-crawler")
