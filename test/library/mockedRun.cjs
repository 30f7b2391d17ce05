// Runs the compiled example program under Pulumi's mocks inside the temporary project, and prints
// what it registered and exported as JSON. Plain JavaScript: it must need nothing the project lacks.
const pulumi = require("@pulumi/pulumi");

const resources = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      resources.push({ type: args.type, name: args.name, namespace: args.inputs?.metadata?.namespace });
      // The random provider's only output the kit reads; plain Kubernetes needs no cloud answers.
      const generated = args.type.startsWith("random:") ? { result: "mocked-random-value" } : {};
      return { id: `${args.name}-id`, state: { ...args.inputs, ...generated } };
    },
    call(args) {
      return args.inputs;
    },
  },
  "temporal-kit-library-example",
  "test",
  false,
);

const program = require(process.argv[2]);
const valueOf = (value) => (pulumi.Output.isInstance(value) ? new Promise((resolve) => value.apply(resolve)) : value);

(async () => {
  const outputs = {};
  for (const [key, value] of Object.entries(program)) outputs[key] = await valueOf(value);
  await pulumi.runtime.waitForRPCs();
  process.stdout.write(JSON.stringify({ resources, outputs }));
})();
