"""Reference solution of the MSK lab: a two-broker provisioned cluster with IAM authentication, then a topic made through the MSK API.

MSK clusters cannot come from the lab's template (the sandbox's CloudFormation does not create AWS::MSK::Cluster), so the
cluster is made here, as the learner makes it in the console or with the CLI.
"""

import time

KAFKA_VERSION = "3.8.x"
TOPIC = "customers"
WAIT_SECONDS = 45 * 60


def solve(clients, outputs: dict, prefix: str) -> None:
    kafka = clients("kafka")
    arn = kafka.create_cluster(
        ClusterName=f"{prefix}-msk",
        KafkaVersion=KAFKA_VERSION,
        NumberOfBrokerNodes=2,  # one broker per subnet, two Availability Zones: MSK's smallest layout
        BrokerNodeGroupInfo={
            "InstanceType": "kafka.t3.small",
            "ClientSubnets": [outputs["SubnetA"], outputs["SubnetB"]],
            "SecurityGroups": [outputs["SecurityGroupId"]],
            "StorageInfo": {"EbsStorageInfo": {"VolumeSize": 1}},
        },
        ClientAuthentication={"Sasl": {"Iam": {"Enabled": True}}, "Unauthenticated": {"Enabled": False}},
        EncryptionInfo={"EncryptionInTransit": {"ClientBroker": "TLS", "InCluster": True}},
        Tags={"studyapp:run": prefix},
    )["ClusterArn"]
    if clients.sandbox:
        return  # the sandbox's clusters never become ACTIVE and it has no topic API: the checks that need them say so
    deadline = time.monotonic() + WAIT_SECONDS
    while kafka.describe_cluster_v2(ClusterArn=arn)["ClusterInfo"]["State"] != "ACTIVE":
        if time.monotonic() > deadline:
            raise TimeoutError(f"cluster {prefix}-msk did not become ACTIVE in {WAIT_SECONDS // 60} minutes")
        time.sleep(30)
    kafka.create_topic(ClusterArn=arn, TopicName=TOPIC, PartitionCount=2, ReplicationFactor=2)
