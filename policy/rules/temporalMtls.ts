import type { PolicyResource } from "@pulumi/policy";
import { parse } from "yaml";
import { TASK_DEFINITION_TYPE, ecsContainersOf } from "../ecs";
import { stackPolicy } from "../stackRule";

import { RENDERED_CONFIG_LABEL } from "../../components/temporal/roles";
export const ECS_SERVER_CONFIG_VARIABLE = "TEMPORAL_KIT_SERVER_CONFIG_B64";

export interface RenderedServerConfig {
  source: PolicyResource;
  text: string;
}

/** Every rendered Temporal server config the stack ships, on Kubernetes and on ECS. */
export function renderedServerConfigs(resources: PolicyResource[]): RenderedServerConfig[] {
  const configs: RenderedServerConfig[] = [];
  for (const resource of resources) {
    if (resource.type === "kubernetes:core/v1:ConfigMap" && resource.props.metadata?.labels?.[RENDERED_CONFIG_LABEL]) {
      const text = resource.props.data?.["temporal.yaml"];
      if (typeof text === "string") configs.push({ source: resource, text });
    }
    if (resource.type === TASK_DEFINITION_TYPE) {
      for (const container of ecsContainersOf(resource.props) ?? []) {
        const variable = (container.environment ?? []).find((candidate) => candidate.name === ECS_SERVER_CONFIG_VARIABLE);
        if (variable?.value) configs.push({ source: resource, text: Buffer.from(variable.value, "base64").toString("utf8") });
      }
    }
  }
  return configs;
}

/** The config is a template (`{{ env "X" }}` fills in secrets at start): each placeholder reads as a string. */
export function parseServerConfig(text: string): Record<string, any> {
  return (parse(text.replace(/\{\{.*?\}\}/g, '"templated"')) ?? {}) as Record<string, any>;
}

const hasAny = (group: Record<string, any> | undefined, fileKey: string, dataKey: string) => {
  const value = group?.[fileKey] ?? group?.[dataKey];
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
};

/** What is missing from one side (internode or frontend) of global.tls for mutual TLS. */
export function mtlsGaps(tls: Record<string, any> | undefined, side: "internode" | "frontend"): string[] {
  const group = tls?.[side];
  const server = group?.server;
  const gaps: string[] = [];
  if (!hasAny(server, "certFile", "certData") || !hasAny(server, "keyFile", "keyData")) gaps.push(`global.tls.${side}.server has no certificate and key`);
  if (server?.requireClientAuth !== true) gaps.push(`global.tls.${side}.server.requireClientAuth is not true`);
  if (!hasAny(server, "clientCaFiles", "clientCaData")) gaps.push(`global.tls.${side}.server has no clientCaFiles`);
  if (side === "internode" && !hasAny(group?.client, "rootCaFiles", "rootCaData")) gaps.push("global.tls.internode.client has no rootCaFiles");
  return gaps;
}

export const temporalMtls = stackPolicy({
  name: "temporal-mtls",
  description:
    "Outside dev, Temporal's rendered server config turns on mutual TLS for internode and frontend traffic (global.tls: server certificate and key, requireClientAuth, client CAs; internode client root CAs).",
  environments: ["staging", "production"],
  check: (resources, reportViolation) => {
    const configs = renderedServerConfigs(resources);
    const seen = new Set<string>();
    for (const { source, text } of configs) {
      // Every ECS role carries the same config: report each distinct gap once per resource.
      const tls = parseServerConfig(text).global?.tls;
      for (const gap of [...mtlsGaps(tls, "internode"), ...mtlsGaps(tls, "frontend")]) {
        const key = `${source.urn} ${gap}`;
        if (seen.has(key)) continue;
        seen.add(key);
        reportViolation(`${source.name}: ${gap}.`, source.urn);
      }
    }
  },
});
