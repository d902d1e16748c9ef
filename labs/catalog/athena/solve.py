"""Reference solution of the Athena lab: a workgroup, the demo_data database and its external tables, a query."""

COLUMNS = {
    "customers": [("customerid", "int"), ("firstname", "string"), ("lastname", "string"), ("fullname", "string")],
    "employees": [("employeeid", "int"), ("managerid", "int"), ("firstname", "string"), ("lastname", "string"), ("fullname", "string"),
                  ("jobtitle", "string"), ("organizationlevel", "int"), ("maritalstatus", "string"), ("gender", "string"),
                  ("territory", "string"), ("country", "string"), ("group", "string")],
    "orders": [("salesorderid", "int"), ("salesorderdetailid", "int"), ("orderdate", "string"), ("duedate", "string"), ("shipdate", "string"),
               ("employeeid", "int"), ("customerid", "int"), ("subtotal", "double"), ("taxamt", "double"), ("freight", "double"),
               ("totaldue", "double"), ("productid", "int"), ("orderqty", "int"), ("unitprice", "double"), ("unitpricediscount", "double"),
               ("linetotal", "double")],
}


def solve(clients, outputs: dict, prefix: str) -> None:
    athena, glue = clients("athena"), clients("glue")
    bucket, database, workgroup = outputs["BucketName"], f"{prefix.replace('-', '_')}_demo_data", f"{prefix}-course"
    athena.create_work_group(Name=workgroup, Configuration={"ResultConfiguration": {"OutputLocation": f"s3://{bucket}/athena/"}})
    # In a real account this is Athena DDL (CREATE DATABASE / CREATE EXTERNAL TABLE); the Glue API creates the same catalog entries.
    glue.create_database(DatabaseInput={"Name": database})
    for table, columns in COLUMNS.items():
        glue.create_table(DatabaseName=database, TableInput={
            "Name": table, "TableType": "EXTERNAL_TABLE", "Parameters": {"classification": "csv"},
            "StorageDescriptor": {
                "Columns": [{"Name": name, "Type": kind} for name, kind in columns],
                "Location": f"s3://{bucket}/staged/{table}/",
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": ","}},
            },
        })
    athena.start_query_execution(QueryString=f"SELECT customerid, fullname FROM {database}.customers WHERE fullname LIKE 'J%'", WorkGroup=workgroup)
