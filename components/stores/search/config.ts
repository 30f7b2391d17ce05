import { z } from "zod";

/** The visibility index of a search store. */
export const visibilityIndex = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,200}$/, "must be an index name: lower-case letters, digits, _ and -")
  .meta({ description: "The index that holds the visibility records; the schema job installs its template and creates it, or updates an existing one." });

export const VISIBILITY_INDEX = "temporal_visibility_v1";
