import { ofType, stackPolicy } from "../stackRule";

export const deletionProtection = stackPolicy({
  name: "deletion-protection",
  description: "Production databases cannot be deleted by accident: RDS deletionProtection on and a final snapshot kept.",
  environments: ["production"],
  check: (resources, reportViolation) => {
    for (const type of ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"]) {
      for (const database of ofType(resources, type)) {
        if (database.props.deletionProtection !== true) reportViolation(`${database.name}: deletionProtection is not on.`, database.urn);
        if (database.props.skipFinalSnapshot === true) reportViolation(`${database.name}: skipFinalSnapshot is on, deleting it keeps no snapshot.`, database.urn);
      }
    }
  },
});
