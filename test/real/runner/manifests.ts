import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ResourceRecord } from "../../../tools/synth/recorder";

/** A Kubernetes object as the synth rendered it; the runner reads only the fields it executes. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Manifests are open-ended; each reader narrows what it uses.
  [field: string]: any;
}

/** One object to apply, with the objects the deploy must have finished before it (Pulumi's graph). */
export interface PlannedObject {
  key: string;
  object: KubeObject;
  dependsOn: string[];
}

/**
 * A resource of a Pulumi dynamic provider (the kit's upgrade guard): no Kubernetes object, but
 * objects depend on it and its provider's check can stop the deploy (dynamic.ts runs it).
 */
export interface DynamicResource {
  key: string;
  urn: string;
  type: string;
  /** Its inputs as registered, the serialized provider (`__provider`) among them. */
  inputs: Record<string, unknown>;
  dependsOn: string[];
}

export interface SynthOutput {
  stack: string;
  dir: string;
  plan: PlannedObject[];
  /** Dynamic resources, in registration order; Kubernetes objects name them in dependsOn by key. */
  dynamic: DynamicResource[];
  outputs: Record<string, unknown>;
}

const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic\//;
export const dynamicKey = (record: Pick<ResourceRecord, "type" | "name">): string => `${record.type}/${record.name}`;

export const objectKey = (object: Pick<KubeObject, "kind" | "metadata">): string =>
  `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;

/**
 * Reads what `npm run synth` wrote: the objects with their secrets (private/kubernetes.yaml), and the
 * order a deploy creates them in, from the dependencies Pulumi recorded (resources.json). The i-th
 * Kubernetes resource in resources.json is the i-th object in the YAML: both come from one list.
 */
export function readSynth(dir: string): SynthOutput {
  const resources = JSON.parse(readFileSync(join(dir, "resources.json"), "utf8")) as ResourceRecord[];
  const objects = parseAllDocuments(readFileSync(join(dir, "private", "kubernetes.yaml"), "utf8")).map((document) => document.toJS() as KubeObject);
  const kubernetesRecords = resources.filter((record) => record.custom && record.type.startsWith("kubernetes:"));
  if (kubernetesRecords.length !== objects.length) {
    throw new Error(`${dir}: resources.json lists ${kubernetesRecords.length} Kubernetes resources but private/kubernetes.yaml holds ${objects.length}: synthesize again`);
  }
  const keyByUrn = new Map(kubernetesRecords.map((record, index) => [record.urn, objectKey(objects[index])]));
  const dynamicRecords = resources.filter((record) => record.custom && DYNAMIC_TYPE.test(record.type));
  for (const record of dynamicRecords) keyByUrn.set(record.urn, dynamicKey(record));
  const childrenOf = new Map<string, string[]>();
  for (const record of resources) {
    if (record.parent) childrenOf.set(record.parent, [...(childrenOf.get(record.parent) ?? []), record.urn]);
  }
  // Depending on a component means depending on everything beneath it, as in Pulumi.
  const expand = (urn: string): string[] => {
    const key = keyByUrn.get(urn);
    if (key) return [key];
    return (childrenOf.get(urn) ?? []).flatMap(expand);
  };
  const plan = kubernetesRecords.map((record, index) => ({
    key: objectKey(objects[index]),
    object: objects[index],
    dependsOn: [...new Set(record.dependsOn.flatMap(expand))],
  }));
  const dynamic = dynamicRecords.map((record) => ({
    key: dynamicKey(record),
    urn: record.urn,
    type: record.type,
    inputs: record.inputs,
    dependsOn: [...new Set(record.dependsOn.flatMap(expand))],
  }));
  const outputs = JSON.parse(readFileSync(join(dir, "outputs.json"), "utf8")) as Record<string, unknown>;
  return { stack: dir.split("/").filter(Boolean).pop() ?? dir, dir, plan, dynamic, outputs };
}
