import { preloadModule } from "../../components/lazyModule";
import * as eksAddons from "../../components/aws/eksAddons";
import * as eksCluster from "../../components/aws/eksCluster";
import * as kubernetesProvider from "../../components/kubernetes/provider";
import * as eksPlatform from "../../components/platforms/eks";
import * as onAws from "../../components/platforms/onAws";
import * as onAzure from "../../components/platforms/onAzure";
import * as ecsRuntime from "../../components/runtime/ecs/temporalOnEcs";
import * as kubernetesRuntime from "../../components/runtime/kubernetes/temporalOnKubernetes";

// Vitest loads TypeScript through its own module runner, which the kit's lazy `require` bypasses
// (components/lazyModule.ts): the tests hand over the runner's copies, so each module exists once.
preloadModule("aws/eksAddons", eksAddons);
preloadModule("aws/eksCluster", eksCluster);
preloadModule("kubernetes/provider", kubernetesProvider);
preloadModule("platforms/eks", eksPlatform);
preloadModule("platforms/onAws", onAws);
preloadModule("platforms/onAzure", onAzure);
preloadModule("runtime/ecs/temporalOnEcs", ecsRuntime);
preloadModule("runtime/kubernetes/temporalOnKubernetes", kubernetesRuntime);
