import * as appautoscaling from "@pulumi/aws/appautoscaling";
import * as ecs from "@pulumi/aws/ecs";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { awsTags } from "../tags";
import type { ContainerDefinition } from "./containerDefinitions";
import type { FargateSize } from "../../config/fargateSize";

export interface FargateTaskArgs {
  size: FargateSize;
  containers: pulumi.Input<ContainerDefinition[]>;
  executionRoleArn: pulumi.Input<string>;
  /** Only tasks that call AWS themselves get a task role: workers with AWS policies, server roles that archive. */
  taskRoleArn?: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** A Fargate task definition; a new revision is what rolls a service or re-runs a one-off task. */
export function fargateTaskDefinition(name: string, args: FargateTaskArgs, opts: pulumi.CustomResourceOptions): ecs.TaskDefinition {
  return new ecs.TaskDefinition(
    name,
    {
      family: name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(args.size.cpu),
      memory: String(args.size.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: args.executionRoleArn,
      ...(args.taskRoleArn ? { taskRoleArn: args.taskRoleArn } : {}),
      containerDefinitions: pulumi.output(args.containers).apply((containers) => JSON.stringify(containers)),
      // Scratch space: every volume a container mounts is a Fargate bind mount, emptied with the task.
      volumes: pulumi.output(args.containers).apply((containers) => [...new Set(containers.flatMap((container) => (container.mountPoints ?? []).map((mount) => mount.sourceVolume)))].map((volume) => ({ name: volume }))),
      tags: awsTags(args.tags, name),
    },
    opts,
  );
}

export interface FargateServiceArgs extends FargateTaskArgs {
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  desiredCount: number;
  subnetIds: pulumi.Input<string>[];
  securityGroupIds: pulumi.Input<string>[];
  /** Register the tasks behind a load balancer target group. */
  loadBalancer?: { targetGroupArn: pulumi.Input<string>; containerName: string; containerPort: number };
  /** Register the tasks' addresses in a Cloud Map service. */
  discoveryServiceArn?: pulumi.Input<string>;
  autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuUtilization: number };
}

/**
 * A long-running Fargate service: tasks in the private subnets without public addresses, rolled
 * without ever dropping below the desired count, rolled back automatically when a new revision
 * cannot become healthy, and (with `waitForSteadyState`) finished only when it runs, so whatever
 * depends on it in the resource graph starts after it is up.
 */
export class FargateService extends pulumi.ComponentResource {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly service: ecs.Service;

  constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:FargateService", name, {}, opts);
    const scaling = args.autoscaling;
    if (scaling && !(scaling.minReplicas <= args.desiredCount && args.desiredCount <= scaling.maxReplicas)) {
      throw new Error(`FargateService ${name}: desiredCount ${args.desiredCount} must lie between minReplicas and maxReplicas`);
    }

    this.taskDefinition = fargateTaskDefinition(`${name}-task`, args, childOf(this, opts));

    this.service = new ecs.Service(
      `${name}-service`,
      {
        cluster: args.clusterArn,
        taskDefinition: this.taskDefinition.arn,
        desiredCount: args.desiredCount,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        networkConfiguration: { subnets: args.subnetIds, securityGroups: args.securityGroupIds, assignPublicIp: false },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        availabilityZoneRebalancing: "ENABLED",
        ...(args.loadBalancer
          ? {
              loadBalancers: [args.loadBalancer],
              // A cold Temporal role needs time to join the ring before the load balancer judges it.
              healthCheckGracePeriodSeconds: 180,
            }
          : {}),
        ...(args.discoveryServiceArn ? { serviceRegistries: { registryArn: args.discoveryServiceArn } } : {}),
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        waitForSteadyState: true,
        tags: awsTags(args.tags, name),
      },
      // With autoscaling on, the scaler owns the count; a deploy must not reset it.
      { ...childOf(this, opts), ...(scaling ? { ignoreChanges: ["desiredCount"] } : {}) },
    );

    if (scaling) {
      const target = new appautoscaling.Target(
        `${name}-scaling`,
        {
          serviceNamespace: "ecs",
          scalableDimension: "ecs:service:DesiredCount",
          resourceId: pulumi.interpolate`service/${args.clusterName}/${this.service.name}`,
          minCapacity: scaling.minReplicas,
          maxCapacity: scaling.maxReplicas,
          tags: awsTags(args.tags, `${name}-scaling`),
        },
        childOf(this, opts),
      );
      new appautoscaling.Policy(
        `${name}-cpu`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
            targetValue: scaling.targetCpuUtilization,
            // Scale out fast on a backlog, in slowly: a worker stopped mid-activity retries it elsewhere.
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
          },
        },
        childOf(this, opts),
      );
    }

    this.registerOutputs({ serviceName: this.service.name });
  }
}
