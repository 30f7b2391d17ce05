/**
 * The layers of docs/architecture.md ("Layers"), as rules over the import graph. A rule says which
 * files may not import which others: globs over repository paths (`components/config/**`) or over
 * package specifiers (`@pulumi/aws/ec2`), in the syntax of Node's `path.matchesGlob`. A rule over a
 * folder that does not exist yet passes, so a folder gets its rule before its first file.
 */
export interface LayerRule {
  /** The importing files. */
  files: string;
  mayNotImport: string[];
  /** What the rule lets through although `mayNotImport` names it: the layer's own files, the layers below it. */
  unless?: string[];
  /** Checks every file the importing files reach through the kit's own files, not only their own imports. */
  transitively?: true;
  /** Why, in one sentence; a failure names it. */
  because: string;
}

/** Everything of the kit that is not a package. */
const KIT = "{components,policy,tools,test}/**";
/** Pulumi's providers and the clouds' own SDKs; `@pulumi/pulumi` itself is not one. */
const CLOUD_SDKS = ["@pulumi/{aws,azure-native,kubernetes,random,tls}{,/**}", "@aws-sdk/**", "@azure/**"];
const MODEL = "components/temporal/**";
const CONFIG = "components/config/**";
/** A store kind's or a platform's own part of the stack-config schema, which config/ assembles. */
const CONFIG_PIECES = "components/{stores,platforms}/*/config.ts";
/** What every store kind's rules are written against, beside their config pieces. */
const STORE_RULE_INPUT = "components/stores/rules.ts";
const KUBERNETES_RUNTIME = "components/{kubernetes,runtime/kubernetes}/**";
const ECS_RUNTIME = "components/{aws/ecs,runtime/ecs}/**";
const PLATFORMS = "components/{aws,azure,platforms}/**";

export const LAYER_RULES: LayerRule[] = [
  { files: MODEL, mayNotImport: [KIT], unless: [MODEL], because: "the Temporal model is the bottom layer: every platform and config build on it, and it on nothing of the kit" },
  { files: MODEL, mayNotImport: ["@pulumi/**", ...CLOUD_SDKS], because: "the Temporal model is plain data, so every platform and every test uses it without Pulumi or a cloud" },
  { files: CONFIG, mayNotImport: [KIT], unless: [CONFIG, MODEL, CONFIG_PIECES, STORE_RULE_INPUT], because: "config sits on the Temporal model alone and assembles the stores' and platforms' config pieces" },
  { files: CONFIG, mayNotImport: CLOUD_SDKS, transitively: true, because: "config is parsed before any resource exists, without loading a cloud SDK" },
  {
    // config/load.ts alone reads the stack's config and secrets from the Pulumi runtime.
    files: "components/config/**/!(load).ts",
    mayNotImport: ["@pulumi/pulumi", "@pulumi/pulumi/!(errors){,/**}"],
    transitively: true,
    because: "the config parser runs in tools and library code that never start the Pulumi runtime, which takes seconds to load",
  },
  { files: STORE_RULE_INPUT, mayNotImport: CLOUD_SDKS, transitively: true, because: "the store kinds' rules run inside config, which loads no cloud SDK" },
  { files: CONFIG_PIECES, mayNotImport: CLOUD_SDKS, transitively: true, because: "a store's or platform's config piece is part of config, which loads no cloud SDK" },
  { files: ECS_RUNTIME, mayNotImport: [KUBERNETES_RUNTIME, "@pulumi/kubernetes{,/**}"], because: "ECS runs Temporal without Kubernetes; what both runtimes need belongs to the Temporal model" },
  { files: KUBERNETES_RUNTIME, mayNotImport: [ECS_RUNTIME], because: "the Kubernetes runtime and the ECS runtime are siblings; what both need belongs to the Temporal model" },
  { files: KUBERNETES_RUNTIME, mayNotImport: [PLATFORMS], because: "the Kubernetes runtime is the same on every cluster: a platform hands it a provider and stores, never the reverse" },
  {
    // Not components/platforms/: a platform there sits above the runtimes it picks.
    files: "components/{aws,azure}/**",
    mayNotImport: [KUBERNETES_RUNTIME],
    because: "the clouds' builders provision what the Kubernetes runtime runs on and build on nothing of it",
  },
  {
    files: "components/{aws,azure}/**",
    mayNotImport: ["components/{stores,platforms,runtime}/**"],
    because: "the clouds' folders hold building blocks (network, clusters, tags, identities) that stores, runtimes and platforms build on",
  },
  { files: "components/stores/**", mayNotImport: ["components/platforms/**"], because: "a store kind says how each platform makes it; the platform composes the kinds, never the reverse" },
  { files: "components/runtime/**", mayNotImport: ["components/platforms/**"], because: "a runtime carries out the deploy plan on whatever target a platform hands it, never asking which platform" },
  {
    files: "components/temporalCluster.ts",
    mayNotImport: ["components/{aws,azure,kubernetes}/**", ...CLOUD_SDKS],
    because: "TemporalCluster picks a platform and a runtime and composes; which cloud it is on is the platform's business",
  },
  { files: "components/*/**", mayNotImport: ["components/{program,temporalCluster}.ts"], because: "composition sits above every component folder: it picks the parts, the parts do not pick each other" },
  { files: "components/{tls,capacity}/**", mayNotImport: [PLATFORMS, KUBERNETES_RUNTIME, "components/{runtime,stores}/**"], because: "certificates and capacity are helpers the runtimes and platforms use, beneath them" },
  { files: "components/**", mayNotImport: ["{tools,policy,test}/**"], because: "the program deploys without the kit's tools, policy pack or tests" },
  { files: "policy/**", mayNotImport: ["{tools,test}/**"], because: "the policy pack runs inside the Pulumi engine, which loads neither the kit's tools nor its tests" },
  { files: "tools/**", mayNotImport: ["test/**"], because: "the tools run without the test suite" },
];
