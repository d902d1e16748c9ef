"""Reference solution of the Redshift lab: a private single-node cluster with the COPY role, then the SQL through the Data API.

The sandbox emulates only the cluster (its Data API runs no SQL and returns fixed rows), so there the solution stops
after creating the cluster; in a real account it waits for the cluster and runs every statement of the lab in order.
"""

import secrets
import time

ADMIN_USER = "awsuser"


def statements(bucket: str, role_arn: str) -> list[str]:
    copy = f"IAM_ROLE '{role_arn}' FORMAT AS CSV IGNOREHEADER 1"
    return [
        "CREATE TABLE public.customers (customerid INTEGER NOT NULL, firstname VARCHAR(100), lastname VARCHAR(100), fullname VARCHAR(200),"
        " PRIMARY KEY (customerid)) DISTSTYLE KEY DISTKEY (customerid) SORTKEY (customerid)",
        "CREATE TABLE public.employees (employeeid INTEGER NOT NULL, managerid INTEGER, firstname VARCHAR(100), lastname VARCHAR(100),"
        " fullname VARCHAR(200), jobtitle VARCHAR(100), organizationlevel SMALLINT, maritalstatus CHAR(1), gender CHAR(1),"
        ' territory VARCHAR(50), country VARCHAR(50), "group" VARCHAR(50), PRIMARY KEY (employeeid)) DISTSTYLE ALL',
        "CREATE TABLE public.orders (salesorderid INTEGER NOT NULL, salesorderdetailid INTEGER NOT NULL, orderdate DATE, duedate DATE,"
        " shipdate DATE, employeeid INTEGER, customerid INTEGER, subtotal DECIMAL(19,4), taxamt DECIMAL(19,4), freight DECIMAL(19,4),"
        " totaldue DECIMAL(19,4), productid INTEGER, orderqty SMALLINT, unitprice DECIMAL(19,4), unitpricediscount DECIMAL(19,4),"
        " linetotal DECIMAL(19,4), PRIMARY KEY (salesorderdetailid)) DISTSTYLE KEY DISTKEY (customerid) SORTKEY (orderdate)",
        f"COPY public.customers FROM 's3://{bucket}/staged/customers_headers/' {copy}",
        f"COPY public.employees FROM 's3://{bucket}/staged/employees_headers/' {copy}",
        f"COPY public.orders FROM 's3://{bucket}/staged/orders_headers/' {copy} DATEFORMAT 'MM/DD/YYYY'",
        "SELECT c.customerid, c.fullname, o.salesorderid, o.orderdate, o.linetotal FROM public.customers AS c"
        " INNER JOIN public.orders AS o ON o.customerid = c.customerid ORDER BY o.orderdate DESC LIMIT 20",
        "CREATE MATERIALIZED VIEW public.mv_customer_order_value AUTO REFRESH YES AS SELECT c.customerid, c.fullname, o.salesorderid,"
        " o.orderdate, SUM(o.linetotal) AS order_value, COUNT(*) AS order_lines FROM public.customers AS c"
        " JOIN public.orders AS o ON o.customerid = c.customerid GROUP BY c.customerid, c.fullname, o.salesorderid, o.orderdate",
        "SELECT fullname, COUNT(*) AS orders, SUM(order_value) AS lifetime_value FROM public.mv_customer_order_value"
        " GROUP BY fullname ORDER BY lifetime_value DESC LIMIT 10",
        'SELECT "table", diststyle, sortkey1, tbl_rows, skew_rows, unsorted, stats_off FROM svv_table_info'
        " WHERE schema = 'public'" ' ORDER BY "table"',
        "SELECT query_id, query_type, status, elapsed_time / 1000000.0 AS seconds, TRIM(query_text) AS query_text FROM sys_query_history"
        " WHERE query_type = 'COPY' ORDER BY start_time DESC LIMIT 10",
        "CREATE TABLE public.orders_scratch AS SELECT * FROM public.orders",
        "DELETE FROM public.orders_scratch WHERE orderdate < '2012-01-01'",
        "VACUUM DELETE ONLY public.orders_scratch",
        "VACUUM FULL public.orders",
        "ANALYZE public.orders",
        "DROP TABLE public.orders_scratch",
    ]


def run(data, cluster: str, sql: str, timeout: float = 600) -> None:
    """One statement through the Data API, waited for: each call is asynchronous and the next statement depends on it."""
    statement_id = data.execute_statement(ClusterIdentifier=cluster, Database="dev", DbUser=ADMIN_USER, Sql=sql)["Id"]
    deadline = time.monotonic() + timeout
    while (description := data.describe_statement(Id=statement_id))["Status"] not in ("FINISHED", "FAILED", "ABORTED"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {description['Status']} after {timeout:.0f} s: {sql[:60]}")
        time.sleep(2)
    if description["Status"] != "FINISHED":
        raise RuntimeError(f"{description['Status']}: {description.get('Error', '')} ({sql[:60]})")


def solve(clients, outputs: dict, prefix: str) -> None:
    redshift, cluster = clients("redshift"), f"{prefix}-dw"
    redshift.create_cluster(
        ClusterIdentifier=cluster, ClusterType="single-node", NodeType="ra3.large", DBName="dev",
        MasterUsername=ADMIN_USER, MasterUserPassword="Aa1" + secrets.token_urlsafe(24),  # never used again: the Data API signs in with temporary credentials
        IamRoles=[outputs["RedshiftRoleArn"]], PubliclyAccessible=False, Tags=[{"Key": "studyapp:run", "Value": prefix}],
    )
    if clients.sandbox:
        return
    redshift.get_waiter("cluster_available").wait(ClusterIdentifier=cluster, WaiterConfig={"Delay": 30, "MaxAttempts": 40})
    data = clients("redshift-data")
    for sql in statements(outputs["BucketName"], outputs["RedshiftRoleArn"]):
        run(data, cluster, sql)
