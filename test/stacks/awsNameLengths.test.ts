import { describe, expect, inject, it } from "vitest";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { readSynthOutput } from "../helpers/synthRuns";

/**
 * AWS refuses names past each API's limit, and Pulumi's mocks check none of them. A resource the
 * kit leaves to Pulumi's auto-naming gets its resource name plus "-" and 7 random characters, so
 * that sum must fit too. Limits are the APIs' own parameter constraints (AWS API references:
 * Elastic Load Balancing v2 CreateLoadBalancer/CreateTargetGroup Name, IAM CreateRole RoleName and
 * CreatePolicy PolicyName, Lambda FunctionName, RDS DBInstanceIdentifier, OpenSearch DomainName,
 * EKS CreateCluster name, ECS CreateCluster clusterName, EC2 GroupName, RDS DBSubnetGroupName and
 * DBParameterGroupName, CloudWatch Logs logGroupName, Secrets Manager Name, SSM Parameter Name).
 */
const NAME_LIMITS: Record<string, { field: string; max: number }> = {
  "aws:lb/loadBalancer:LoadBalancer": { field: "name", max: 32 },
  "aws:lb/targetGroup:TargetGroup": { field: "name", max: 32 },
  "aws:iam/role:Role": { field: "name", max: 64 },
  "aws:iam/policy:Policy": { field: "name", max: 128 },
  "aws:lambda/function:Function": { field: "name", max: 64 },
  "aws:rds/instance:Instance": { field: "identifier", max: 63 },
  "aws:opensearch/domain:Domain": { field: "domainName", max: 28 },
  "aws:eks/cluster:Cluster": { field: "name", max: 100 },
  "aws:ecs/cluster:Cluster": { field: "name", max: 255 },
  "aws:ec2/securityGroup:SecurityGroup": { field: "name", max: 255 },
  "aws:rds/subnetGroup:SubnetGroup": { field: "name", max: 255 },
  "aws:rds/parameterGroup:ParameterGroup": { field: "name", max: 255 },
  "aws:cloudwatch/logGroup:LogGroup": { field: "name", max: 512 },
  "aws:secretsmanager/secret:Secret": { field: "name", max: 512 },
  "aws:ssm/parameter:Parameter": { field: "name", max: 2048 },
};
const AUTO_NAME_SUFFIX = 8;

/** Each named resource's name as AWS would receive it, or the auto-name's longest form. */
function tooLong(resources: ResourceRecord[]): string[] {
  return resources.flatMap((record) => {
    const limit = NAME_LIMITS[record.type];
    if (!limit) return [];
    const given = record.inputs[limit.field];
    if (typeof given === "string") {
      return given !== "[unknown]" && given.length > limit.max ? [`${record.type} ${record.name}: "${given}" has ${given.length} characters, more than ${limit.max}`] : [];
    }
    const autoLength = record.name.length + AUTO_NAME_SUFFIX;
    return autoLength > limit.max ? [`${record.type} ${record.name}: auto-named, ${autoLength} characters with Pulumi's suffix, more than ${limit.max}`] : [];
  });
}

const runs = inject("synthRuns").filter((run) => !run.label.endsWith("invalid"));

describe("AWS names", () => {
  it("finds AWS resources to check in the AWS stacks", () => {
    const checked = runs.flatMap((run) => readSynthOutput(run).resources).filter((record) => NAME_LIMITS[record.type]);
    expect(new Set(checked.map((record) => record.type))).toContain("aws:lb/loadBalancer:LoadBalancer");
  });

  it.each(runs.map((run) => run.label))("%s: every name fits its API's limit, auto-names with Pulumi's suffix included", (label) => {
    expect(tooLong(readSynthOutput(runs.find((run) => run.label === label)!).resources)).toEqual([]);
  });

  it("would have caught the ECS load balancers' auto-names (36 characters)", () => {
    const autoNamed = { urn: "", type: "aws:lb/loadBalancer:LoadBalancer", name: "temporal-ecs-frontend-lb-nlb", parent: null, custom: true, dependsOn: [], provider: null, inputs: {} };
    expect(tooLong([autoNamed])).toEqual(["aws:lb/loadBalancer:LoadBalancer temporal-ecs-frontend-lb-nlb: auto-named, 36 characters with Pulumi's suffix, more than 32"]);
  });
});
