import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_FILE_SCHEMA_PATH, stackFileSchemaText } from "./configSchema/stackFileSchema";

// `npm run config:schema`: rewrites the stack files' editor schema after the config schema changed.
const path = join(__dirname, "..", STACK_FILE_SCHEMA_PATH);
writeFileSync(path, stackFileSchemaText());
console.log(`wrote ${STACK_FILE_SCHEMA_PATH}`);
