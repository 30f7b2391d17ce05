import type { ElasticsearchStoreSpec } from "../../temporal/serverConfig";
import type { SearchOnKubernetes } from "../search/onKubernetes";
import { InClusterElasticsearch } from "./inClusterElasticsearch";

export const inClusterElasticsearchOnKubernetes: SearchOnKubernetes = (name, args, visibility, _managed, opts) => {
  if (visibility.store !== "elasticsearch") throw new Error(`not an in-cluster Elasticsearch: ${visibility.store}`);
  const search = new InClusterElasticsearch(
    `${name}-elasticsearch`,
    {
      names: args.names,
      namespace: args.namespace,
      image: visibility.image,
      storageSize: visibility.storageSize,
      storageClassName: visibility.storageClassName,
      resources: visibility.resources,
      heapSize: visibility.heapSize,
      pod: visibility.pod,
    },
    opts,
  );
  const spec = search.url.apply((url: string): ElasticsearchStoreSpec => {
    const parsed = new URL(url);
    return { kind: "elasticsearch", version: search.version, scheme: parsed.protocol === "https:" ? "https" : "http", host: parsed.host, index: visibility.index };
  });
  return { spec, ready: [search] };
};
