import { parse } from "yaml";
import { ecsTaskDefinitions, ecsTemporalFiles, kubernetesObjects, temporalFiles } from "./artifacts";
import type { DiagramStore } from "../../components/stores/contract";
import { STORE_KINDS } from "../../components/stores/kinds";
import type { ResourceRecord } from "./recorder";

/**
 * A Mermaid flowchart of what a synthesized stack actually deploys: the Temporal roles, the user's
 * worker pools, the web console, the data stores (named by what hosts them), the one-off jobs and
 * how they connect. Read from the registered resources and the rendered server config only, never
 * from the stack config, so the picture cannot claim what the program did not build. Resource
 * types it does not know are left out.
 */
export function renderDiagram(resources: ResourceRecord[]): string {
  return render(pictureOf(resources));
}

const ROLE_ORDER = ["frontend", "internal-frontend", "history", "matching", "worker"] as const;
type Role = (typeof ROLE_ORDER)[number];

interface Scale {
  replicas?: number;
  min?: number;
  max?: number;
}

interface Store {
  key: string;
  id: string;
  label: string;
  holds: string[];
}

interface Picture {
  platform: string;
  roles: Map<Role, Scale>;
  webConsole?: Scale;
  pools: { name: string; scale: Scale }[];
  frontendLoadBalancer?: string;
  consoleLoadBalancer?: string;
  stores: Store[];
  archival?: string;
  schemaJob: boolean;
  namespaces: string[];
}

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  environment?: { name: string; value: string }[];
}

/** One long-running or one-off workload, Kubernetes or ECS alike. */
interface Workload {
  kind: "service" | "job";
  component?: string;
  name: string;
  containers: Container[];
  scale: Scale;
}

const envValue = (container: Container, name: string) =>
  [...(container.env ?? []), ...(container.environment ?? [])].find((variable) => variable.name === name)?.value;

function workloadsOf(resources: ResourceRecord[]): Workload[] {
  const byParent = new Map<string | null, ResourceRecord[]>();
  for (const record of resources) byParent.set(record.parent, [...(byParent.get(record.parent) ?? []), record]);
  const siblings = (record: ResourceRecord, type: string) => (byParent.get(record.parent) ?? []).filter((other) => other.type === type);

  const workloads: Workload[] = [];
  for (const record of resources) {
    const inputs = record.inputs as Record<string, any>;
    if (record.type === "kubernetes:apps/v1:Deployment" || record.type === "kubernetes:apps/v1:StatefulSet" || record.type === "kubernetes:batch/v1:Job") {
      const hpa = siblings(record, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0]?.inputs as Record<string, any> | undefined;
      workloads.push({
        kind: record.type === "kubernetes:batch/v1:Job" ? "job" : "service",
        component: inputs.metadata?.labels?.["app.kubernetes.io/component"],
        name: String(inputs.metadata?.name ?? record.name),
        containers: inputs.spec?.template?.spec?.containers ?? [],
        scale: { replicas: inputs.spec?.replicas, min: hpa?.spec?.minReplicas, max: hpa?.spec?.maxReplicas },
      });
    }
    if (record.type === "aws:ecs/taskDefinition:TaskDefinition") {
      const service = siblings(record, "aws:ecs/service:Service")[0]?.inputs as Record<string, any> | undefined;
      const target = siblings(record, "aws:appautoscaling/target:Target")[0]?.inputs as Record<string, any> | undefined;
      let containers: Container[] = [];
      try {
        containers = JSON.parse(String(inputs.containerDefinitions));
      } catch {
        // An unreadable definition is left out of the picture rather than guessed at.
      }
      workloads.push({
        kind: service ? "service" : "job",
        name: String(inputs.family ?? record.name),
        containers,
        scale: { replicas: service?.desiredCount, min: target?.minCapacity, max: target?.maxCapacity },
      });
    }
  }
  return workloads;
}

function pictureOf(resources: ResourceRecord[]): Picture {
  const has = (type: string) => resources.some((record) => record.type === type);
  const ofType = (type: string) => resources.filter((record) => record.type === type);
  const workloads = workloadsOf(resources);
  const picture: Picture = {
    platform: platformOf(has),
    roles: new Map(),
    pools: [],
    stores: storesOf(resources, workloads),
    schemaJob: false,
    namespaces: [],
  };

  for (const workload of workloads) {
    for (const container of workload.containers) {
      const role = envValue(container, "TEMPORAL_SERVICES");
      const taskQueue = envValue(container, "TEMPORAL_TASK_QUEUE");
      const namespace = envValue(container, "TEMPORAL_KIT_NAMESPACE");
      if (workload.kind === "service" && role && (ROLE_ORDER as readonly string[]).includes(role)) {
        picture.roles.set(role as Role, workload.scale);
      } else if (workload.kind === "service" && taskQueue) {
        const pool = workload.component?.replace(/^worker-/, "") ?? /-worker-(.+)-task$/.exec(workload.name)?.[1] ?? taskQueue;
        picture.pools.push({ name: pool, scale: workload.scale });
      } else if (workload.kind === "service" && envValue(container, "TEMPORAL_UI_PORT") !== undefined) {
        picture.webConsole = workload.scale;
      } else if (workload.kind === "job" && (workload.component === "schema" || container.name === "schema")) {
        picture.schemaJob = true;
      } else if (workload.kind === "job" && namespace) {
        picture.namespaces.push(namespace);
      } else if (workload.kind === "job" && container.name === "namespaces") {
        picture.namespaces.push(...namespacesOfTask(container));
      }
    }
  }
  picture.pools.sort((a, b) => a.name.localeCompare(b.name));
  picture.namespaces = [...new Set(picture.namespaces)].sort();

  for (const balancer of ofType("aws:lb/loadBalancer:LoadBalancer")) {
    const inputs = balancer.inputs as Record<string, unknown>;
    const reach = inputs.internal === false ? "internet-facing" : "internal";
    if (inputs.loadBalancerType === "network") picture.frontendLoadBalancer = `Network Load Balancer, ${reach}`;
    if (inputs.loadBalancerType === "application") picture.consoleLoadBalancer = `Application Load Balancer, ${reach}`;
  }

  if (has("aws:s3/bucketV2:BucketV2") || has("aws:s3/bucket:Bucket")) picture.archival = "Amazon S3 bucket";
  else if (has("azure-native:storage:BlobContainer")) picture.archival = "Azure Blob Storage container";
  else if (has("google-native:storage/v1:Bucket") || has("gcp:storage/bucket:Bucket")) picture.archival = "Google Cloud Storage bucket";
  return picture;
}

function platformOf(has: (type: string) => boolean): string {
  if (has("aws:ecs/cluster:Cluster")) return "Amazon ECS on Fargate";
  if (has("aws:eks/cluster:Cluster")) return "Amazon EKS";
  if (has("azure-native:containerservice:ManagedCluster")) return "Azure Kubernetes Service";
  return "Kubernetes";
}

/** The ECS namespace task registers every namespace in one run, each from its own NS_<n>_NAME variable. */
function namespacesOfTask(container: Container): string[] {
  return [...(container.env ?? []), ...(container.environment ?? [])]
    .filter((variable) => /^NS_\d+_NAME$/.test(variable.name) && variable.value)
    .map((variable) => String(variable.value));
}

interface Datastore {
  name: string;
  kind: "mysql" | "postgresql" | "cassandra" | "elasticsearch";
  address: string;
}

/** The stores the rendered server config points at, each named by the resource that hosts it. */
function storesOf(resources: ResourceRecord[], workloads: Workload[]): Store[] {
  const persistence = persistenceOf(resources);
  if (!persistence) return [];
  const stores: Store[] = [];
  const roles: [string, string | undefined][] = [
    ["default store", persistence.defaultStore],
    ["visibility", persistence.visibilityStore],
  ];
  for (const [purpose, storeName] of roles) {
    const datastore = storeName ? datastoreOf(storeName, persistence.datastores?.[storeName]) : undefined;
    if (!datastore) continue;
    const same = stores.find((store) => store.key === storeKey(datastore));
    if (same) {
      same.holds.push(purpose);
      continue;
    }
    stores.push({ key: storeKey(datastore), id: "", label: hostedLabel(datastore, resources, workloads), holds: [purpose] });
  }
  // Ids by purpose, not by address: addresses of cloud stores are only known after a deploy.
  for (const store of stores) store.id = store.holds.length > 1 ? "store" : store.holds[0] === "default store" ? "default_store" : "visibility_store";
  return stores;
}

interface Persistence {
  defaultStore?: string;
  visibilityStore?: string;
  datastores?: Record<string, Record<string, any>>;
}

function persistenceOf(resources: ResourceRecord[]): Persistence | undefined {
  const files = { ...temporalFiles(kubernetesObjects(resources)), ...ecsTemporalFiles(ecsTaskDefinitions(resources)) };
  const text = files["temporal.yaml"];
  if (!text) return undefined;
  try {
    // Template expressions are not YAML; their values do not matter for the picture.
    return (parse(text.replace(/\{\{.*?\}\}/g, "templated")) as { persistence?: Persistence }).persistence;
  } catch {
    return undefined;
  }
}

function datastoreOf(name: string, spec: Record<string, any> | undefined): Datastore | undefined {
  if (!spec) return undefined;
  if (spec.sql) {
    const plugin = String(spec.sql.pluginName ?? "");
    return { name, kind: plugin.startsWith("postgres") ? "postgresql" : "mysql", address: String(spec.sql.connectAddr ?? "") };
  }
  if (spec.cassandra) return { name, kind: "cassandra", address: String(spec.cassandra.hosts ?? "") };
  if (spec.elasticsearch) return { name, kind: "elasticsearch", address: String(spec.elasticsearch.url?.host ?? "") };
  return undefined;
}

/** Two datastores at the same address are one server holding two databases. */
const storeKey = (datastore: Datastore) => `${datastore.kind} ${datastore.address}`;

/** Names what hosts a datastore: the first store kind that claims it, or an outside server at its address. */
function hostedLabel(datastore: Datastore, resources: ResourceRecord[], workloads: Workload[]): string {
  const store: DiagramStore = {
    engine: datastore.kind,
    address: datastore.address,
    resourceOfType: (...types) => resources.find((record) => types.includes(record.type))?.inputs as Record<string, any> | undefined,
    inClusterReplicas: (component) => {
      const workload = workloads.find((candidate) => candidate.component === component && candidate.kind === "service");
      return workload ? (workload.scale.replicas ?? 1) : undefined;
    },
  };
  for (const kind of STORE_KINDS) {
    const label = kind.diagramLabel(store);
    if (label !== undefined) return label;
  }
  return `${OUTSIDE_ENGINE_NAMES[datastore.kind]}, external<br/>${datastore.address}`;
}

/** What a datastore is called that no store kind claims: a server outside the kit. */
const OUTSIDE_ENGINE_NAMES: Record<Datastore["kind"], string> = { mysql: "MySQL 8", postgresql: "PostgreSQL", cassandra: "Apache Cassandra", elasticsearch: "Elasticsearch" };

function scaleText(scale: Scale | undefined): string {
  if (!scale) return "";
  const count = scale.replicas !== undefined ? ` x${scale.replicas}` : "";
  const range = scale.min !== undefined && scale.max !== undefined ? `<br/>autoscaled ${scale.min}-${scale.max} on CPU` : "";
  return `${count}${range}`;
}

function render(picture: Picture): string {
  const lines = ["flowchart LR"];
  const node = (text: string) => lines.push(`  ${text}`);
  const edge = (text: string) => lines.push(`  ${text}`);
  const frontendOf = picture.roles.has("frontend") ? "frontend" : undefined;

  node(`clients(["Temporal clients<br/>SDKs, temporal CLI"])`);
  if (picture.frontendLoadBalancer) node(`frontend_lb[/"${picture.frontendLoadBalancer}"/]`);
  if (picture.webConsole) {
    node(`browsers(["Browsers"])`);
    if (picture.consoleLoadBalancer) node(`console_lb[/"${picture.consoleLoadBalancer}"/]`);
    node(`web["Web console${scaleText(picture.webConsole)}"]`);
  }
  for (const pool of picture.pools) node(`pool_${safeId(pool.name)}["Worker pool ${pool.name}${scaleText(pool.scale)}"]`);

  if (picture.roles.size > 0) {
    lines.push(`  subgraph server["Temporal server on ${picture.platform}: one membership ring"]`);
    for (const role of ROLE_ORDER) {
      if (!picture.roles.has(role)) continue;
      const label = role === "worker" ? "worker (system)" : role;
      lines.push(`    ${safeId(role)}["${label}${scaleText(picture.roles.get(role))}"]`);
    }
    lines.push("  end");
  }
  for (const store of picture.stores) node(`${store.id}[("${store.label}")]`);
  if (picture.archival) node(`archival[("Archival<br/>${picture.archival}")]`);
  if (picture.schemaJob) node(`schema[["Schema job<br/>create and update"]]`);
  if (picture.namespaces.length > 0) node(`namespaces[["Namespace registration<br/>${picture.namespaces.join(", ")}"]]`);

  if (frontendOf) {
    if (picture.frontendLoadBalancer) {
      edge(`clients -->|gRPC| frontend_lb`);
      edge(`frontend_lb --> frontend`);
    } else {
      edge(`clients -->|gRPC 7233| frontend`);
    }
    if (picture.webConsole) {
      if (picture.consoleLoadBalancer) {
        edge(`browsers -->|HTTP| console_lb`);
        edge(`console_lb --> web`);
      } else {
        edge(`browsers -->|HTTP 8080| web`);
      }
      edge(`web -->|gRPC| frontend`);
    }
    for (const pool of picture.pools) edge(`pool_${safeId(pool.name)} -->|poll task queue| frontend`);
  }
  const has = (role: Role) => picture.roles.has(role);
  for (const front of ["frontend", "internal-frontend"] as Role[]) {
    if (!has(front)) continue;
    if (has("history")) edge(`${safeId(front)} --> history`);
    if (has("matching")) edge(`${safeId(front)} --> matching`);
  }
  if (has("history") && has("matching")) edge(`history <--> matching`);
  if (has("worker")) {
    const systemFrontend = has("internal-frontend") ? "internal-frontend" : has("frontend") ? "frontend" : undefined;
    if (systemFrontend) edge(`worker --> ${safeId(systemFrontend)}`);
  }
  if (picture.roles.size > 0) {
    for (const store of picture.stores) edge(`server -->|${store.holds.join(" + ")}| ${store.id}`);
    if (picture.archival && has("history")) edge(`history -->|archival| archival`);
  }
  if (picture.schemaJob) for (const store of picture.stores) edge(`schema -.->|schema| ${store.id}`);
  if (picture.namespaces.length > 0 && frontendOf) edge(`namespaces -.->|register| frontend`);
  return `${lines.join("\n")}\n`;
}

const safeId = (name: string) => name.replace(/[^A-Za-z0-9]+/g, "_");
