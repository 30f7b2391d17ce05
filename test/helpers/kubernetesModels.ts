/**
 * Validates one Kubernetes object against Kubernetes' own OpenAPI schema, as compiled by
 * kubernetes-models for its API group and version; throws when it breaks the schema.
 */
export async function validateKubernetesObject(object: Record<string, unknown>): Promise<void> {
  const { apiVersion, kind } = object as { apiVersion: string; kind: string };
  const module = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[kind];
  if (!Model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  new Model(object).validate();
}
