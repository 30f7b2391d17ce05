import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { PINS_FILE, type StatefulPins, lostUrns } from "../../tools/synth/statefulResources";
import { PROJECT_ROOT } from "../helpers/synthRuns";

/**
 * Moving a component or resource in the code changes its URN unless its logical name and the TYPES
 * of all its parents stay the same; Pulumi then creates the "new" resource and deletes the old: a
 * new database, password or key. Every stateful or protected resource's URN is pinned
 * (test/stacks/pinStatefulUrns.ts); each must still be made, or be an alias of a resource that is.
 */
const runs = inject("synthRuns");
const pins = JSON.parse(readFileSync(join(PROJECT_ROOT, PINS_FILE), "utf8")) as StatefulPins;

describe("the URNs of stateful resources survive a move of the code", () => {
  it.each(Object.entries(pins.stacks))("%s keeps every pinned URN, or an alias of it", (label, pinned) => {
    const run = runs.find((candidate) => candidate.label === label);
    if (!run) throw new Error(`${label} is pinned in ${PINS_FILE} but no longer synthesized. If that stack was removed on purpose, regenerate the pins (npx tsx test/stacks/pinStatefulUrns.ts) and say why in the commit.`);
    expect(run.status, run.stderr).toBe(0);
    const records = JSON.parse(readFileSync(join(run.outDir, "resources.json"), "utf8")) as ResourceRecord[];
    const lost = lostUrns(pinned, records);
    if (lost.length > 0) {
      throw new Error(
        [
          `${label}: ${lost.length} pinned URN(s) of stateful resources are neither made nor aliased; a deploy of an existing stack would replace them:`,
          ...lost.map((urn) => `  ${urn}`),
          "Fix: give the resource that moved `aliases: [...]` naming its old URN (or the name, type or parent that changed) so the stack updates it in place.",
          `If the loss is deliberate, regenerate the pins (npx tsx test/stacks/pinStatefulUrns.ts) and explain in the commit why that resource may be replaced.`,
        ].join("\n"),
      );
    }
  });
});

describe("the root component", () => {
  const rootOf = (label: string) => {
    const run = runs.find((candidate) => candidate.label === label)!;
    const records = JSON.parse(readFileSync(join(run.outDir, "resources.json"), "utf8")) as ResourceRecord[];
    return records.find((record) => record.type === "temporal-kit:index:TemporalCluster")!;
  };

  it.each(Object.keys(pins.stacks))("is named temporal in %s, whatever its clusterName", (label) => {
    expect(rootOf(label).name).toBe("temporal");
  });

  it("keeps, through an alias, the root a stack with another clusterName made under that name", () => {
    // test/fixtures/Pulumi.with-workers.yaml: clusterName tk.
    expect(rootOf("fixture:with-workers").aliases).toEqual(["urn:pulumi:with-workers::temporal-kit::temporal-kit:index:TemporalCluster::tk"]);
    expect(rootOf("dev").aliases).toBeUndefined();
  });
});

/** A record as the synth writes it: the mock monitor keeps only the parent's own type in a URN (tools/synth/urns.ts). */
function record(type: string, name: string, parent?: ResourceRecord, aliases?: string[]): ResourceRecord {
  const prefix = parent ? `${parent.urn.split("::")[2].split("$").pop()}$` : "";
  return { urn: `urn:pulumi:s::p::${prefix}${type}::${name}`, type, name, parent: parent?.urn ?? null, custom: true, dependsOn: [], provider: null, inputs: {}, ...(aliases ? { aliases } : {}) };
}

describe("what counts as kept", () => {
  const CLUSTER = "temporal-kit:index:TemporalCluster";
  const MYSQL = "temporal-kit:kubernetes:InClusterMysql";
  const PASSWORD = "random:index/randomPassword:RandomPassword";
  const pinned = [`urn:pulumi:s::p::${CLUSTER}$${MYSQL}$${PASSWORD}::temporal-mysql-password`];

  it("pins the engine's URN, which holds every ancestor's type and no ancestor's name", () => {
    const cluster = record(CLUSTER, "anything");
    const mysql = record(MYSQL, "temporal-mysql", cluster);
    expect(lostUrns(pinned, [cluster, mysql, record(PASSWORD, "temporal-mysql-password", mysql)])).toEqual([]);
  });

  it("loses the URN of a resource whose component moves under a new one", () => {
    const cluster = record(CLUSTER, "temporal");
    const stores = record("temporal-kit:stores:Stores", "temporal-stores", cluster);
    const mysql = record(MYSQL, "temporal-mysql", stores);
    expect(lostUrns(pinned, [cluster, stores, mysql, record(PASSWORD, "temporal-mysql-password", mysql)])).toEqual(pinned);
  });

  it("keeps it when the moved component is aliased to its old place: the engine carries the alias down to its children", () => {
    const cluster = record(CLUSTER, "temporal");
    const stores = record("temporal-kit:stores:Stores", "temporal-stores", cluster);
    const mysql = record(MYSQL, "temporal-mysql", stores, [`urn:pulumi:s::p::${CLUSTER}$${MYSQL}::temporal-mysql`]);
    expect(lostUrns(pinned, [cluster, stores, mysql, record(PASSWORD, "temporal-mysql-password", mysql)])).toEqual([]);
  });

  it("keeps it when the resource itself is renamed with an alias", () => {
    const cluster = record(CLUSTER, "temporal");
    const mysql = record(MYSQL, "temporal-mysql", cluster);
    const password = record(PASSWORD, "temporal-mysql-user-password", mysql, pinned);
    expect(lostUrns(pinned, [cluster, mysql, password])).toEqual([]);
  });
});
