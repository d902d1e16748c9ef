"""Reference solution of the EMR lab: script, cluster, Spark step, the same step through Step Functions, a custom scaling policy."""

import json

RELEASE = "emr-7.12.0"
INSTANCE_TYPE = "m5.xlarge"
SCRIPT_KEY = "emr/scripts/taxi_to_parquet.py"
ADD_STEP_SYNC = "arn:aws:states:::elasticmapreduce:addStep.sync"

SCRIPT = b'''"""Taxi trips from CSV to Parquet, partitioned by pickup month.

spark-submit taxi_to_parquet.py <source S3 folder> <target S3 folder>
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

source, target = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.appName("taxi-csv-to-parquet").getOrCreate()
trips = spark.read.csv(source, header=True, inferSchema=True)
trips = trips.filter(F.col("trip_distance") > 0).withColumn("pickup_month", F.date_format("tpep_pickup_datetime", "yyyy-MM"))
trips.write.mode("overwrite").partitionBy("pickup_month").parquet(target)
print(f"wrote {trips.count()} trips to {target}")
spark.stop()
'''


def spark_args(bucket: str, output: str) -> list[str]:
    return ["spark-submit", "--deploy-mode", "cluster", f"s3://{bucket}/{SCRIPT_KEY}", f"s3://{bucket}/staged/taxi_trips/", f"s3://{bucket}/emr/output/{output}/"]


def scaling_rule(name: str, comparison: str, threshold: float, adjustment: int) -> dict:
    return {
        "Name": name,
        "Action": {"SimpleScalingPolicyConfiguration": {"AdjustmentType": "CHANGE_IN_CAPACITY", "ScalingAdjustment": adjustment, "CoolDown": 300}},
        "Trigger": {"CloudWatchAlarmDefinition": {
            "ComparisonOperator": comparison, "EvaluationPeriods": 1, "MetricName": "YARNMemoryAvailablePercentage", "Namespace": "AWS/ElasticMapReduce",
            "Period": 300, "Statistic": "AVERAGE", "Threshold": threshold, "Unit": "PERCENT",
            "Dimensions": [{"Key": "JobFlowId", "Value": "${emr.clusterId}"}]}},
    }


def solve(clients, outputs: dict, prefix: str) -> None:
    s3, emr, sfn = clients("s3"), clients("emr"), clients("stepfunctions")
    bucket = outputs["BucketName"]
    s3.put_object(Bucket=bucket, Key=SCRIPT_KEY, Body=SCRIPT)

    cluster_id = emr.run_job_flow(
        Name=f"{prefix}-spark", ReleaseLabel=RELEASE, Applications=[{"Name": "Spark"}, {"Name": "Hive"}],
        LogUri=f"s3://{bucket}/emr-logs/", ServiceRole=outputs["EmrServiceRoleName"], JobFlowRole=outputs["Ec2InstanceProfileName"],
        AutoScalingRole=outputs["AutoScalingRoleName"], VisibleToAllUsers=True, AutoTerminationPolicy={"IdleTimeout": 3600},
        Instances={"Ec2SubnetId": outputs["SubnetId"], "KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": [
            {"Name": "Primary", "InstanceRole": "MASTER", "Market": "ON_DEMAND", "InstanceType": INSTANCE_TYPE, "InstanceCount": 1},
            {"Name": "Core", "InstanceRole": "CORE", "Market": "ON_DEMAND", "InstanceType": INSTANCE_TYPE, "InstanceCount": 1}]},
        Tags=[{"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}, {"Key": "studyapp:run", "Value": prefix}],
    )["JobFlowId"]

    emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[{
        "Name": "taxi-csv-to-parquet", "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": spark_args(bucket, "trips")}}])

    definition = {
        "Comment": "Run the taxi Spark step on a running EMR cluster and wait until it finishes",
        "StartAt": "RunSparkStep",
        "States": {"RunSparkStep": {
            "Type": "Task", "Resource": ADD_STEP_SYNC, "End": True,
            "Parameters": {"ClusterId.$": "$.ClusterId", "Step": {
                "Name": "taxi-csv-to-parquet-sfn", "ActionOnFailure": "CONTINUE",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": spark_args(bucket, "trips-sfn")}}}}},
    }
    machine = sfn.create_state_machine(name=f"{prefix}-taxi-pipeline", roleArn=outputs["StatesRoleArn"], definition=json.dumps(definition),
                                       tags=[{"key": "studyapp:run", "value": prefix}])["stateMachineArn"]
    sfn.start_execution(stateMachineArn=machine, input=json.dumps({"ClusterId": cluster_id}))

    core = next(g["Id"] for g in emr.list_instance_groups(ClusterId=cluster_id)["InstanceGroups"] if g["InstanceGroupType"] == "CORE")
    emr.put_auto_scaling_policy(ClusterId=cluster_id, InstanceGroupId=core, AutoScalingPolicy={
        "Constraints": {"MinCapacity": 1, "MaxCapacity": 3},
        "Rules": [scaling_rule("ScaleOutWhenYarnMemoryLow", "LESS_THAN", 15, 1), scaling_rule("ScaleInWhenYarnMemoryIdle", "GREATER_THAN", 75, -1)],
    })
