import { runProgram } from "./components/program";
import { skipUnreadStackTraces } from "./components/pulumiTraces";

skipUnreadStackTraces();

// Pulumi calls the exported function and publishes what it returns as the stack outputs.
export = () => runProgram();
