import { createRequire } from "node:module";
import { beforeEach, describe, expect, it, vi } from "vitest";

interface Container {
  name: string;
  exitCode?: number | null;
  reason?: string;
}
interface Task {
  taskArn: string;
  lastStatus: string;
  stoppedReason?: string;
  stopCode?: string;
  containers?: Container[];
}
interface RunTaskResponse {
  tasks?: { taskArn: string }[];
  failures?: { arn?: string; reason?: string; detail?: string }[];
}
interface FakeEcs {
  runTask(input: Record<string, unknown>): Promise<RunTaskResponse>;
  describeTasks(input: { cluster: string; tasks: string[] }): Promise<{ tasks?: Task[] }>;
  stopTask(input: { cluster: string; task: string; reason: string }): Promise<unknown>;
}
interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  remainingMs(): number;
}
interface RunEvent {
  cluster: string;
  taskDefinition: string;
  subnets: string[];
  securityGroups: string[];
  containerName: string;
  startedBy: string;
}
interface Handler {
  run(event: RunEvent, ecs: FakeEcs, clock: Clock): Promise<{ taskArn: string; exitCode: number }>;
  POLL_MS: number;
  STOP_MARGIN_MS: number;
}

// Loading the handler must not need the AWS SDK, which only the Lambda runtime provides.
const handler = createRequire(__filename)("../../components/aws/ecs/runOneOffTask.js") as Handler;

const TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/temporal/0123456789abcdef0123456789abcdef";
const event: RunEvent = {
  cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/temporal",
  taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/temporal-schema:7",
  subnets: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  securityGroups: ["sg-0aaaaaaaaaaaaaaaa"],
  containerName: "schema",
  startedBy: "temporal-kit-schema",
};

const running: Task = { taskArn: TASK_ARN, lastStatus: "RUNNING", containers: [{ name: "schema" }] };
const stopped = (container: Container, stoppedReason = "Essential container in task exited", stopCode = "EssentialContainerExited"): Task => ({
  taskArn: TASK_ARN,
  lastStatus: "STOPPED",
  stoppedReason,
  stopCode,
  containers: [{ name: "sidecar", exitCode: 0 }, container],
});

/** A clock that only moves when the handler sleeps, inside a Lambda invocation with `budgetMs` to run. */
function fakeClock(budgetMs = 630_000): Clock & { elapsed(): number } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    remainingMs: () => budgetMs - now,
    elapsed: () => now,
  };
}

/** ECS answering RunTask with `started` and DescribeTasks with each of `states` in turn, the last one for ever after. */
function fakeEcs(states: (Task | undefined)[], started: RunTaskResponse = { tasks: [{ taskArn: TASK_ARN }], failures: [] }) {
  const calls = { runTask: [] as Record<string, unknown>[], describeTasks: [] as { cluster: string; tasks: string[] }[], stopTask: [] as { cluster: string; task: string; reason: string }[] };
  let described = 0;
  const ecs: FakeEcs = {
    runTask: async (input) => {
      calls.runTask.push(input);
      return started;
    },
    describeTasks: async (input) => {
      calls.describeTasks.push(input);
      const state = states[Math.min(described++, states.length - 1)];
      return { tasks: state ? [state] : [], ...(state ? {} : { failures: [{ arn: TASK_ARN, reason: "MISSING" }] }) };
    },
    stopTask: async (input) => {
      calls.stopTask.push(input);
      return {};
    },
  };
  return { ecs, calls };
}

beforeEach(() => {
  // The handler reports progress to its CloudWatch log; keep the test output quiet.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});

describe("runOneOffTask handler", () => {
  it("starts one Fargate task in the given private subnets and security groups, tagged with what it is for", async () => {
    const { ecs, calls } = fakeEcs([stopped({ name: "schema", exitCode: 0 })]);
    await handler.run(event, ecs, fakeClock());
    expect(calls.runTask).toEqual([
      {
        cluster: event.cluster,
        taskDefinition: event.taskDefinition,
        launchType: "FARGATE",
        count: 1,
        startedBy: "temporal-kit-schema",
        networkConfiguration: {
          awsvpcConfiguration: { subnets: event.subnets, securityGroups: event.securityGroups, assignPublicIp: "DISABLED" },
        },
      },
    ]);
  });

  it("waits for the task to stop and returns its ARN when the container exited 0", async () => {
    const { ecs, calls } = fakeEcs([undefined, { ...running, lastStatus: "PROVISIONING" }, running, running, stopped({ name: "schema", exitCode: 0 })]);
    const clock = fakeClock();
    await expect(handler.run(event, ecs, clock)).resolves.toEqual({ taskArn: TASK_ARN, exitCode: 0 });
    expect(calls.describeTasks).toHaveLength(5);
    for (const call of calls.describeTasks) expect(call).toEqual({ cluster: event.cluster, tasks: [TASK_ARN] });
    expect(clock.elapsed()).toBe(4 * handler.POLL_MS);
    expect(calls.stopTask).toEqual([]);
  });

  it("fails naming every reason ECS gives for not starting the task", async () => {
    const { ecs, calls } = fakeEcs([running], {
      tasks: [],
      failures: [
        { arn: "arn:aws:ecs:us-east-1:123456789012:container-instance/none", reason: "RESOURCE:ENI", detail: "no free addresses in subnet-0aaaaaaaaaaaaaaaa" },
        { reason: "AGENT" },
      ],
    });
    const failure = handler.run(event, ecs, fakeClock());
    await expect(failure).rejects.toThrow("could not start the temporal-kit-schema task: RESOURCE:ENI no free addresses in subnet-0aaaaaaaaaaaaaaaa");
    await expect(failure).rejects.toThrow("; AGENT");
    expect(calls.describeTasks).toEqual([]);
  });

  it("fails when RunTask answers with neither a task nor a failure", async () => {
    const { ecs } = fakeEcs([running], {});
    await expect(handler.run(event, ecs, fakeClock())).rejects.toThrow("could not start the temporal-kit-schema task: RunTask returned no task");
  });

  it("retries RunTask while a just-created role policy is still reaching IAM, then gives up", async () => {
    const clock = fakeClock();
    const denied = Object.assign(new Error("User is not authorized to perform: ecs:RunTask"), { name: "AccessDeniedException" });
    const { ecs } = fakeEcs([stopped({ name: "schema", exitCode: 0 })]);
    let attempts = 0;
    ecs.runTask = async () => {
      if (++attempts <= 2) throw denied;
      return { tasks: [{ taskArn: TASK_ARN }] };
    };
    await expect(handler.run(event, ecs, clock)).resolves.toEqual({ taskArn: TASK_ARN, exitCode: 0 });
    expect(attempts).toBe(3);

    ecs.runTask = async () => {
      attempts++;
      throw denied;
    };
    attempts = 0;
    await expect(handler.run(event, ecs, fakeClock())).rejects.toThrow(
      "could not start the temporal-kit-schema task: AccessDeniedException: User is not authorized to perform: ecs:RunTask",
    );
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(20);
  });

  it("does not retry RunTask errors other than access denied", async () => {
    const { ecs } = fakeEcs([running]);
    let attempts = 0;
    ecs.runTask = async () => {
      attempts++;
      throw Object.assign(new Error("Cluster not found."), { name: "ClusterNotFoundException" });
    };
    await expect(handler.run(event, ecs, fakeClock())).rejects.toThrow("could not start the temporal-kit-schema task: ClusterNotFoundException: Cluster not found.");
    expect(attempts).toBe(1);
  });

  it("fails with the task ARN, the exit code, the stop reason and where the logs are when the container exits non-zero", async () => {
    const { ecs } = fakeEcs([running, stopped({ name: "schema", exitCode: 3 })]);
    const failure = handler.run(event, ecs, fakeClock());
    await expect(failure).rejects.toThrow(
      `temporal-kit-schema task ${TASK_ARN} failed: container "schema" exited with code 3; ` +
        "the task stopped: Essential container in task exited (EssentialContainerExited). See the task's logs in CloudWatch.",
    );
  });

  it("explains a container that never ran, such as an image that could not be pulled", async () => {
    const pullError = "CannotPullContainerError: pull image manifest has been retried 1 time(s): temporalio/admin-tools:9.9.9 not found";
    const { ecs } = fakeEcs([stopped({ name: "schema", reason: pullError }, pullError, "TaskFailedToStart")]);
    await expect(handler.run(event, ecs, fakeClock())).rejects.toThrow(
      `failed: container "schema" has no exit code (${pullError}); the task stopped: ${pullError} (TaskFailedToStart)`,
    );
  });

  it("reports a task that could not be set up at all", async () => {
    const setupError = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed";
    const { ecs } = fakeEcs([stopped({ name: "schema", exitCode: null }, setupError, "TaskFailedToStart")]);
    await expect(handler.run(event, ecs, fakeClock())).rejects.toThrow(`container "schema" has no exit code; the task stopped: ${setupError}`);
  });

  it("fails when the task has no container of the given name, rather than trusting another one", async () => {
    const { ecs } = fakeEcs([{ ...stopped({ name: "schema", exitCode: 0 }), containers: [{ name: "sidecar", exitCode: 0 }] }]);
    await expect(handler.run(event, ecs, fakeClock())).rejects.toThrow(
      `temporal-kit-schema task ${TASK_ARN} has no container named "schema"; the task stopped: Essential container in task exited`,
    );
  });

  it("stops a task that outlasts the function's time, with enough time left to say so", async () => {
    const budgetMs = 120_000;
    const clock = fakeClock(budgetMs);
    const { ecs, calls } = fakeEcs([running]);
    await expect(handler.run(event, ecs, clock)).rejects.toThrow(
      new RegExp(`^temporal-kit-schema task ${TASK_ARN} did not finish within \\d+ s; stopped it\\. See the task's logs in CloudWatch\\.$`),
    );
    expect(calls.stopTask).toEqual([{ cluster: event.cluster, task: TASK_ARN, reason: "temporal-kit-schema timed out" }]);
    expect(budgetMs - clock.elapsed()).toBeGreaterThanOrEqual(handler.STOP_MARGIN_MS);
    expect(budgetMs - clock.elapsed()).toBeLessThan(handler.STOP_MARGIN_MS + 2 * handler.POLL_MS);
  });

  it("still fails, and says so, when the overdue task cannot be stopped", async () => {
    const { ecs } = fakeEcs([running]);
    ecs.stopTask = async () => {
      throw new Error("Rate exceeded");
    };
    await expect(handler.run(event, ecs, fakeClock(60_000))).rejects.toThrow("could not stop it (Rate exceeded)");
  });
});
