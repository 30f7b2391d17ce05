import { SERVER_ENV } from "../../temporal/roles";
import type { ElasticsearchStoreSpec } from "../../temporal/serverConfig";
import type { SearchOnKubernetes } from "../search/onKubernetes";

/** The domain the AWS platform made, reached over HTTPS with the master user's password. */
export const openSearchOnKubernetes: SearchOnKubernetes = (_name, _args, visibility, managed) => {
  const store = managed.store;
  if (store?.kind !== "elasticsearch" || !managed.password) throw new Error("an OpenSearch visibility store needs the AWS platform that created it");
  const spec = store.host.apply(
    (host): ElasticsearchStoreSpec => ({
      kind: "elasticsearch",
      version: store.version,
      scheme: "https",
      host: `${host}:443`,
      index: visibility.index,
      username: store.username,
      passwordEnv: SERVER_ENV.visibilityStorePassword,
      // Amazon's endpoint certificate chains to a public CA, which the images trust.
      tls: { enabled: true, serverName: host },
    }),
  );
  return { spec, password: managed.password, ready: [] };
};
