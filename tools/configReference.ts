import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_REFERENCE_PATH, configReferenceText } from "./configReference/document";

// `npm run config:docs`: rewrites the configuration reference after the schema, a preset or a rule changed.
writeFileSync(join(__dirname, "..", CONFIG_REFERENCE_PATH), configReferenceText());
console.log(`wrote ${CONFIG_REFERENCE_PATH}`);
