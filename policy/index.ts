import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Constructing a PolicyPack starts the gRPC server the Pulumi CLI talks to, and reads the version
// from ./package.json: this file is only the CLI's entry point. Tests and `npm run policy` import
// `./policies` instead and call the same rules offline (see ./offline.ts).
new PolicyPack("temporal-kit", { policies, enforcementLevel: "mandatory" });
