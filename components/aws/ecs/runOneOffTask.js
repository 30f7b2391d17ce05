"use strict";
/**
 * Runs one ECS Fargate task to its end on behalf of `pulumi up`, which has no "run a task"
 * resource. An aws.lambda.Invocation calls this function synchronously; a thrown error comes back
 * as a FunctionError, which fails the invocation and with it the deployment. The stack lock keeps
 * two deployments of one stack from running the same task at once.
 *
 * Plain CommonJS with no dependencies of its own: it ships as a single file, and the Lambda
 * runtime provides the AWS SDK.
 */

/** How often the task is looked at while it runs. */
const POLL_MS = 5_000;
/**
 * Time kept back from the Lambda timeout to stop the task and say so. Without it Lambda kills this
 * function mid-wait and the task goes on running, unwatched, while the deployment reports a timeout.
 */
const STOP_MARGIN_MS = 20_000;
/** A role policy created moments before may not have reached every IAM endpoint yet. */
const ACCESS_DENIED_RETRY_MS = 30_000;

/**
 * @param event {cluster, taskDefinition, subnets, securityGroups, containerName, startedBy}
 * @param ecs {runTask(input), describeTasks(input), stopTask(input)}, each answering like the ECS API
 * @param clock {now(): ms, sleep(ms), remainingMs(): ms left before Lambda stops this function}
 */
exports.run = async (event, ecs, { now, sleep, remainingMs }) => {
  const { cluster, taskDefinition, subnets, securityGroups, containerName, startedBy } = event;
  const startedAt = now();
  const taskArn = await startTask(event, ecs, { now, sleep });
  console.log(`${startedBy}: started ${taskArn}`);

  let lastStatus;
  for (;;) {
    const { tasks = [] } = await ecs.describeTasks({ cluster, tasks: [taskArn] });
    // Right after RunTask the task can be briefly unknown to DescribeTasks (eventual consistency).
    const task = tasks[0];
    if (task && task.lastStatus !== lastStatus) {
      lastStatus = task.lastStatus;
      console.log(`${startedBy}: ${taskArn} is ${lastStatus}`);
    }
    if (task && task.lastStatus === "STOPPED") return outcome(task, containerName, startedBy);
    if (remainingMs() < STOP_MARGIN_MS + POLL_MS) {
      const seconds = Math.round((now() - startedAt) / 1000);
      const stopped = await ecs.stopTask({ cluster, task: taskArn, reason: `${startedBy} timed out` }).then(
        () => "stopped it",
        (error) => `could not stop it (${error.message})`,
      );
      throw new Error(`${startedBy} task ${taskArn} did not finish within ${seconds} s; ${stopped}. See the task's logs in CloudWatch.`);
    }
    await sleep(POLL_MS);
  }
};

async function startTask(event, ecs, { now, sleep }) {
  const input = {
    cluster: event.cluster,
    taskDefinition: event.taskDefinition,
    launchType: "FARGATE",
    count: 1,
    startedBy: event.startedBy,
    // Private subnets reach image registries through NAT or endpoints; the task needs no address of its own.
    networkConfiguration: {
      awsvpcConfiguration: { subnets: event.subnets, securityGroups: event.securityGroups, assignPublicIp: "DISABLED" },
    },
  };
  const giveUpAt = now() + ACCESS_DENIED_RETRY_MS;
  let response;
  for (;;) {
    try {
      response = await ecs.runTask(input);
      break;
    } catch (error) {
      if (error.name !== "AccessDeniedException" || now() >= giveUpAt) {
        throw new Error(`could not start the ${event.startedBy} task: ${error.name}: ${error.message}`);
      }
      await sleep(POLL_MS);
    }
  }
  const failures = response.failures || [];
  const task = (response.tasks || [])[0];
  if (failures.length > 0 || !task) {
    const reasons = failures.map((failure) => [failure.reason, failure.detail, failure.arn].filter(Boolean).join(" ")).join("; ");
    throw new Error(`could not start the ${event.startedBy} task: ${reasons || "RunTask returned no task"}`);
  }
  return task.taskArn;
}

/** Success only when the container that does the work ran and exited 0; anything else explains itself. */
function outcome(task, containerName, startedBy) {
  const stopped = `the task stopped: ${task.stoppedReason || "no reason given"}${task.stopCode ? ` (${task.stopCode})` : ""}`;
  const container = (task.containers || []).find((candidate) => candidate.name === containerName);
  if (!container) {
    throw new Error(`${startedBy} task ${task.taskArn} has no container named "${containerName}"; ${stopped}`);
  }
  if (container.exitCode === 0) return { taskArn: task.taskArn, exitCode: 0 };
  // No exit code means the container never ran: an image that could not be pulled, a secret that could not be read.
  const exit = container.exitCode === undefined || container.exitCode === null ? "has no exit code" : `exited with code ${container.exitCode}`;
  const reason = container.reason ? ` (${container.reason})` : "";
  throw new Error(
    `${startedBy} task ${task.taskArn} failed: container "${containerName}" ${exit}${reason}; ${stopped}. See the task's logs in CloudWatch.`,
  );
}

exports.handler = async (event, context) => {
  // Loaded here, not at the top, so that tests can exercise `run` without the SDK installed.
  const { ECSClient, RunTaskCommand, DescribeTasksCommand, StopTaskCommand } = require("@aws-sdk/client-ecs");
  const client = new ECSClient({});
  const ecs = {
    runTask: (input) => client.send(new RunTaskCommand(input)),
    describeTasks: (input) => client.send(new DescribeTasksCommand(input)),
    stopTask: (input) => client.send(new StopTaskCommand(input)),
  };
  return exports.run(event, ecs, {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
};

exports.POLL_MS = POLL_MS;
exports.STOP_MARGIN_MS = STOP_MARGIN_MS;
