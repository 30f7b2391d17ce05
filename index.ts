import { runProgram } from "./components/program";

// Pulumi calls the exported function and publishes what it returns as the stack outputs.
export = () => runProgram();
