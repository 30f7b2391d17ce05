import { skipUnreadStackTraces } from "../../components/pulumiTraces";

// Under the test runner some 80,000 traces, a third of the component tests' CPU and a sixth of a synth's.
skipUnreadStackTraces({ resourcePositions: "skip" });
