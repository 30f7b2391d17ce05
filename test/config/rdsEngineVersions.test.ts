import { describe, expect, it } from "vitest";
import {
  RDS_ENGINE_VERSIONS_READ_ON,
  extendedSupportRdsMajors,
  offeredRdsMajors,
  rdsEngineVersionProblem,
  rdsMajorOf,
  type RdsEngine,
} from "../../components/stores/rds/rdsEngineVersions";
import { PERSISTENCE_PRESETS } from "../../components/config/storePresets";
import { ENVIRONMENTS } from "../../components/config/schema";

const ENGINES: RdsEngine[] = ["mysql8", "postgres12"];

describe("the RDS engine version list", () => {
  it.each(ENGINES)("%s: every offered major is under standard support on the day the list was read, every other one is past it", (engine) => {
    for (const { standardSupportEnds } of offeredRdsMajors(engine)) expect(standardSupportEnds > RDS_ENGINE_VERSIONS_READ_ON).toBe(true);
    for (const { standardSupportEnds } of extendedSupportRdsMajors(engine)) expect(standardSupportEnds < RDS_ENGINE_VERSIONS_READ_ON).toBe(true);
  });

  it("lists what the release calendars gave on 2026-12-03", () => {
    expect(RDS_ENGINE_VERSIONS_READ_ON).toBe("2026-12-03");
    expect(offeredRdsMajors("mysql8").map((entry) => entry.major)).toEqual(["8.4"]);
    expect(offeredRdsMajors("postgres12").map((entry) => entry.major)).toEqual(["14", "15", "16", "17", "18"]);
    expect(extendedSupportRdsMajors("mysql8").map((entry) => entry.major)).toContain("8.0");
    expect(extendedSupportRdsMajors("postgres12").map((entry) => entry.major)).toEqual(["13", "12", "11"]);
  });

  it("only offers majors Temporal's plugins can use (MySQL 8, PostgreSQL 12 and newer)", () => {
    for (const { major } of offeredRdsMajors("mysql8")) expect(major).toMatch(/^8\.\d+$/);
    for (const { major } of offeredRdsMajors("postgres12")) expect(Number(major)).toBeGreaterThanOrEqual(12);
  });

  it("reads the major of a version string the way RDS counts it", () => {
    expect(rdsMajorOf("mysql8", "8.4.6")).toBe("8.4");
    expect(rdsMajorOf("mysql8", "8.4")).toBe("8.4");
    expect(rdsMajorOf("postgres12", "16.4")).toBe("16");
    expect(rdsMajorOf("postgres12", "17")).toBe("17");
    expect(rdsMajorOf("postgres12", "latest")).toBeUndefined();
  });
});

describe("rdsEngineVersionProblem", () => {
  it("accepts every offered major", () => {
    for (const engine of ENGINES) for (const { major } of offeredRdsMajors(engine)) expect(rdsEngineVersionProblem(engine, major)).toBeUndefined();
  });

  it("refuses 16.4, which RDS no longer creates, and asks for its major instead", () => {
    expect(rdsEngineVersionProblem("postgres12", "16.4")).toBe(
      "must be the major version 16 without a minor: RDS creates the newest 16 minor it offers and keeps it patched, while a pinned minor stops being creatable about a year after its release; " +
        "PostgreSQL major versions RDS creates under standard support: 14, 15, 16, 17, 18 (the RDS release calendar, read 2026-12-03)",
    );
    expect(rdsEngineVersionProblem("mysql8", "8.4.3")).toContain("must be the major version 8.4 without a minor");
  });

  it("refuses majors past standard support, saying since when and that Extended Support costs extra", () => {
    expect(rdsEngineVersionProblem("mysql8", "8.0")).toBe(
      "must be one of the MySQL major versions RDS creates under standard support: 8.4 (the RDS release calendar, read 2026-12-03); " +
        "MySQL 8.0 left RDS standard support on 2026-07-31 and is created only under RDS Extended Support, billed extra " +
        "(an instance already on it may stay, as the major version 8.0, with persistence.acceptExtendedSupport: true until its major-version upgrade)",
    );
    expect(rdsEngineVersionProblem("mysql8", "8.0.40")).toContain("MySQL 8.0 left RDS standard support on 2026-07-31");
    expect(rdsEngineVersionProblem("postgres12", "13")).toContain("PostgreSQL 13 left RDS standard support on 2026-02-28");
  });

  it("lets an instance already on an Extended Support major stay on it when its stack accepts the fee, as a major only", () => {
    expect(rdsEngineVersionProblem("mysql8", "8.0", true)).toBeUndefined();
    expect(rdsEngineVersionProblem("postgres12", "13", true)).toBeUndefined();
    expect(rdsEngineVersionProblem("mysql8", "8.0.40", true)).toContain("MySQL 8.0 left RDS standard support");
  });

  it("refuses versions of the other engine and versions RDS never had", () => {
    expect(rdsEngineVersionProblem("postgres12", "8.4")).toBe(
      "must be one of the PostgreSQL major versions RDS creates under standard support: 14, 15, 16, 17, 18 (the RDS release calendar, read 2026-12-03)",
    );
    expect(rdsEngineVersionProblem("mysql8", "17")).toContain("MySQL major versions RDS creates under standard support: 8.4");
    expect(rdsEngineVersionProblem("postgres12", "19")).toContain("14, 15, 16, 17, 18");
  });
});

describe("the RDS presets", () => {
  it.each(ENVIRONMENTS)("%s: default to a version RDS creates", (environment) => {
    const rds = PERSISTENCE_PRESETS[environment].rds;
    expect(rds?.hosting).toBe("rds");
    if (rds?.hosting !== "rds") return;
    expect(rdsEngineVersionProblem(rds.engine, rds.engineVersion)).toBeUndefined();
  });

  it("default to the newest MySQL major RDS offers", () => {
    const newest = offeredRdsMajors("mysql8").at(-1)?.major;
    for (const environment of ENVIRONMENTS) expect(PERSISTENCE_PRESETS[environment].rds).toMatchObject({ engine: "mysql8", engineVersion: newest });
  });
});
